"""Number normalisation for the faithfulness checks: German and English, case by case."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translate.numbers import english_numbers, german_numbers, number_mismatch


@pytest.mark.parametrize(
    ("german", "expected"),
    [
        ("Die Wirtschaft wuchs um 3,5 Prozent.", ["3.5"]),
        ("Mehr als 6.700 Menschen wurden festgenommen.", ["6700"]),
        ("Es kostet 1.234,50 Euro.", ["1234.5"]),
        ("Am 9. August 2020 wurde gewählt.", ["9", "2020"]),
        ("Um 14.30 Uhr begann die Kundgebung.", ["14:30"]),
        ("Um 8 Uhr war es still.", ["8:00"]),
        ("Der Zug fuhr um 07:05 ab.", ["7:05"]),
        ("Im 20. Jahrhundert; der 1. FC Köln.", ["20", "1"]),
        ("Die G7 und COVID-19.", ["7", "19"]),
        ("Zwei Wochen später.", []),
        ("3 und 3 und 4", ["3", "3", "4"]),
    ],
)
def test_german_numbers(german, expected):
    assert german_numbers(german) == Counter(expected)


@pytest.mark.parametrize(
    ("english", "expected"),
    [
        ("The economy grew by 3.5 percent.", ["3.5"]),
        ("More than 6,700 people were arrested.", ["6700"]),
        ("More than 6700 people were arrested.", ["6700"]),
        ("It costs 1,234.50 euros.", ["1234.5"]),
        ("The vote was held on 9 August 2020.", ["9", "2020"]),
        ("The vote was held on August 9th, 2020.", ["9", "2020"]),
        ("The rally began at 14:30.", ["14:30"]),
        ("The rally began at 2.30 pm.", ["14:30"]),
        ("The rally began at 2:30 p.m. sharp.", ["14:30"]),
        ("It was quiet at 8 a.m.", ["8:00"]),
        ("At 12 pm, and at 12.15 am.", ["12:00", "0:15"]),
        ("In the 20th century; 1. FC Köln.", ["20", "1"]),
        ("Two weeks later.", []),
    ],
)
def test_english_numbers(english, expected):
    assert english_numbers(english) == Counter(expected)


@pytest.mark.parametrize(
    ("german", "english", "missing", "added"),
    [
        ("Um 14.30 Uhr kamen 1.200 Menschen.", "At 2.30 pm 1,200 people came.", [], []),
        ("Um 14.30 Uhr kamen 1.200 Menschen.", "At 14:30, 1200 people came.", [], []),
        ("Die Preise stiegen um 3,5 Prozent.", "Prices rose by 5.3 percent.", ["3.5"], ["5.3"]),
        ("Am 9. August kamen 200 Menschen.", "On August 9, people came.", ["200"], []),
        ("Es kamen 200 Menschen.", "200 people came, 200 people.", [], ["200"]),
    ],
)
def test_number_mismatch(german, english, missing, added):
    assert number_mismatch(german, english) == (Counter(missing), Counter(added))


@given(st.integers(min_value=0, max_value=10**12))
def test_grouped_integers_agree_across_languages(value):
    german = f"{value:,}".replace(",", ".")
    english = f"{value:,}"
    assert german_numbers(f"Es sind {german} Fälle.") == Counter([str(value)])
    assert english_numbers(f"There are {english} cases.") == Counter([str(value)])


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False))
def test_decimals_agree_across_languages(value):
    english = f"{value:,.2f}"
    german = english.replace(",", "_").replace(".", ",").replace("_", ".")
    assert german_numbers(f"Es sind {german} Prozent.") == english_numbers(
        f"It is {english} percent."
    )


@pytest.mark.parametrize(
    ("german", "english"),
    [
        ("Es kamen 12 000 Menschen.", "12,000 people came."),
        ("Es kamen 12\u202f000 Menschen.", "12 000 people came."),
        ("Der Etat beträgt 1 250 000 Euro.", "The budget is 1,250,000 euros."),
    ],
)
def test_thousands_grouped_by_spaces(german, english):
    assert number_mismatch(german, english) == (Counter(), Counter())
