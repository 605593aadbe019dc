"""Segmentation: the German case table, and properties that no character is ever lost."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.german_segment_cases import SEGMENT_CASES

from translate.segment import (
    collapse_whitespace,
    join_pieces,
    segment_paragraph,
    sentence_spans,
    split_to_fit,
)


def test_case_table_is_large_enough():
    assert len(SEGMENT_CASES) >= 60


@pytest.mark.parametrize(
    ("paragraph", "expected"), SEGMENT_CASES, ids=lambda value: str(value)[:40]
)
def test_segment_paragraph_matches_case_table(paragraph, expected):
    assert segment_paragraph(paragraph) == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        # Words that look like abbreviations but end sentences.
        ("Das war so. Dann ging er.", ["Das war so.", "Dann ging er."]),
        ("Er heißt Max. Er ist nett.", ["Er heißt Max.", "Er ist nett."]),
        ("Es geschah 1997. Niemand vergaß es.", ["Es geschah 1997.", "Niemand vergaß es."]),
        ("", []),
        ("   \n  ", []),
    ],
)
def test_segment_paragraph_edge_cases(paragraph, expected):
    assert segment_paragraph(paragraph) == expected


# Random German-looking text: single characters mixed with the fragments that trip
# segmenters (abbreviations, ordinals, times, quotes).
GERMAN_TEXT = st.lists(
    st.sampled_from(
        list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüÄÖÜß0123456789")
        + list(" .,;:!?–-„“\"'()\n\t\u00a0")
        + ["z. B.", "Dr.", " 9. August", "14.30", "3,5", "„Ja.“", "...", "Nr. 5", " Der ", " Die "]
    ),
    max_size=120,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(GERMAN_TEXT)
def test_segments_joined_give_back_the_paragraph(paragraph):
    segments = segment_paragraph(paragraph)
    assert " ".join(segments) == collapse_whitespace(paragraph)
    assert all(segment == segment.strip() and segment for segment in segments)


@settings(max_examples=300, deadline=None)
@given(GERMAN_TEXT)
def test_sentence_spans_tile_the_text(paragraph):
    spans = sentence_spans(paragraph)
    assert "".join(paragraph[start:end] for start, end in spans) == paragraph
    assert all(start < end for start, end in spans)


def word_count(text: str) -> int:
    return len(text.split()) + 1


def character_count(text: str) -> int:
    return len(text)


def test_split_to_fit_prefers_clause_boundaries():
    segment = "Erstens kam er; zweitens sah er: drittens siegte er, und dann ging er nach Hause."
    pieces = split_to_fit(segment, word_count, max_tokens=5)
    assert pieces == [
        "Erstens kam er;",
        "zweitens sah er:",
        "drittens siegte er,",
        "und dann ging er",
        "nach Hause.",
    ]


def test_split_to_fit_keeps_fitting_segment_whole():
    assert split_to_fit("Ein kurzer Satz.", word_count, max_tokens=10) == ["Ein kurzer Satz."]


def test_split_to_fit_cuts_a_word_without_spaces_by_characters():
    word = "Donaudampfschifffahrtsgesellschaftskapitän"
    pieces = split_to_fit(word, character_count, max_tokens=10)
    assert "".join(pieces) == word
    assert all(len(piece) <= 10 for piece in pieces)
    assert join_pieces(pieces, pieces, word) == word


@settings(max_examples=300, deadline=None)
@given(GERMAN_TEXT.map(collapse_whitespace), st.integers(min_value=1, max_value=40))
def test_split_to_fit_is_lossless_and_bounded(segment, max_tokens):
    pieces = split_to_fit(segment, character_count, max_tokens)
    assert all(character_count(piece) <= max_tokens for piece in pieces)
    assert join_pieces(pieces, pieces, segment) == segment


def test_separator_before_a_number_does_not_crash_pysbd():
    # pysbd 0.3.4 raised ValueError on "\x1f9. ": found by hypothesis.
    paragraph = "Es war 0\x1f9.\xa0\xad Dann kam mehr."
    assert " ".join(segment_paragraph(paragraph)) == collapse_whitespace(paragraph)


def test_a_pysbd_failure_falls_back_to_clear_sentence_ends(monkeypatch):
    class BrokenSegmenter:
        def segment(self, text):
            raise ValueError("pysbd bug")

    monkeypatch.setattr("translate.segment._german_segmenter", lambda: BrokenSegmenter())
    paragraph = "Der Präsident sprach lange. Die Regierung schwieg am 9. August."
    assert segment_paragraph(paragraph) == [
        "Der Präsident sprach lange.",
        "Die Regierung schwieg am 9. August.",
    ]
