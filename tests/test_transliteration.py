"""German spellings of Cyrillic names and the English ones (translate/transliteration.py),
and the name check that uses them: Selenskyj in the German and Zelensky in the English
is no missing name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translate.names import missing_names
from translate.transliteration import ATTESTED, MAX_SPELLINGS, english_spellings, spelling_in

# German news spelling and English news spelling; the rules make each (no table).
BY_RULE = [
    ("Nawalny", "navalny"),
    ("Jelzin", "yeltsin"),
    ("Lukaschenko", "lukashenko"),
    ("Medwedew", "medvedev"),
    ("Lawrow", "lavrov"),
    ("Peskow", "peskov"),
    ("Breschnew", "brezhnev"),
    ("Schukow", "zhukov"),
    ("Chodorkowski", "khodorkovsky"),
    ("Jazenjuk", "yatsenyuk"),
    ("Arsenij", "arseniy"),
    ("Donezk", "donetsk"),
    ("Nowoasowsk", "novoazovsk"),
    ("Solschenizyn", "solzhenitsyn"),
    ("Tschernobyl", "chernobyl"),
    ("Sergej", "sergey"),
    ("Schojgu", "shoigu"),
    ("Wladikawkaz", "vladikavkaz"),
    ("Fanijew", "faniev"),
    ("Dmitrij", "dmitry"),
]


@pytest.mark.parametrize(("german", "english"), BY_RULE)
def test_the_rules_make_the_spelling_english_news_uses(german, english):
    assert english in english_spellings(german)


@pytest.mark.parametrize(("german", "english"), sorted(ATTESTED.items()))
def test_attested_spellings_come_first(german, english):
    assert english_spellings(german)[: len(english)] == tuple(s.lower() for s in english)


@given(st.text(st.sampled_from("aeijklmnoprstuwzchäöü"), min_size=1, max_size=14))
def test_spellings_are_bounded_lowercase_and_free_of_german_letters(name):
    spellings = english_spellings(name.capitalize())
    assert 1 <= len(spellings) <= MAX_SPELLINGS + 3
    assert all(s == s.lower() and "w" not in s and "sch" not in s for s in spellings)


def test_a_name_without_cyrillic_letter_groups_is_spelled_as_written():
    assert english_spellings("Putin") == ("putin",)
    assert english_spellings("Merkel") == ("merkel",)


def test_a_genitive_or_an_english_possessive_is_allowed():
    assert spelling_in("Selenskyjs", {"zelensky"}) == "zelensky"
    assert spelling_in("Nawalny", {"navalnys"}) == "navalny"
    assert spelling_in("Nawalny", {"navy"}) is None


@pytest.mark.parametrize(
    ("german", "english", "missing"),
    [
        # (a sentence's first word is not judged a name: the names stand later)
        ("Am Montag sprach Selenskyj in Kiew.", "On Monday Zelensky spoke in Kyiv.", []),
        ("Damals traf Gorbatschow Jelzin.", "Back then Gorbachev met Yeltsin.", []),
        (
            "Heute sprach Selenskyj in Berlin.",
            "Today the president spoke in Berlin.",
            ["Selenskyj"],
        ),
    ],
)
def test_the_name_check_knows_the_english_spellings(german, english, missing):
    assert missing_names(german, english) == missing
