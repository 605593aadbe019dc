"""Faithfulness checks on segments: planted faults are caught, clean text is not flagged."""

from __future__ import annotations

import pytest
from tiny_models import ENGLISH_TRAINING_TEXT, GERMAN_TRAINING_TEXT

from translate.checks import check_segment, repetition_loop

CLEAN_PAIRS = list(
    zip(GERMAN_TRAINING_TEXT.splitlines(), ENGLISH_TRAINING_TEXT.splitlines(), strict=True)
)


@pytest.mark.parametrize(("german", "english"), CLEAN_PAIRS)
def test_clean_translations_raise_no_flag(german, english):
    assert check_segment(german, english, 0, 0) == []


def kinds(german: str, english: str) -> list[str]:
    return [check.kind for check in check_segment(german, english, 2, 5)]


def test_a_changed_number_is_flagged_both_ways():
    checks = check_segment(
        "Die Wirtschaft wuchs um 3,5 Prozent.", "The economy grew by 5.3 percent.", 2, 5
    )
    assert [(c.stage, c.paragraph, c.segment, c.kind) for c in checks] == [
        ("translation", 2, 5, "number"),
        ("translation", 2, 5, "number"),
    ]
    assert "missing in the English: 3.5" in checks[0].detail
    assert "not in the German: 5.3" in checks[1].detail


def test_a_dropped_clause_is_flagged_by_length():
    german = "Die Opposition fordert Neuwahlen und die Freilassung aller politischen Gefangenen."
    assert kinds(german, "The opposition demands.") == ["length"]


def test_a_loop_is_flagged_by_repetition_and_length():
    german = "Die Proteste dauern seit Wochen an, ein Ende ist nicht in Sicht."
    english = "The protests have lasted for weeks, " + "no end in sight, " * 4
    assert kinds(german, english) == ["length", "repetition"]


@pytest.mark.parametrize(
    ("text", "loop"),
    [
        ("in the city in the city in the city", "in the city"),
        ("The the the the end.", "The"),
        ("He said: no, no, no, no.", "no,"),
        ("very, very good", None),
        ("in the city in the city, and elsewhere", None),
        ("", None),
    ],
)
def test_repetition_loop(text, loop):
    assert repetition_loop(text) == loop
