"""Number normalisation for the faithfulness checks: German and English, case by case."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translate.numbers import (
    english_number_mismatch,
    english_numbers,
    german_numbers,
    number_mismatch,
)


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


# Faithful pairs in the shapes real translators use (written here after the classes of
# false flags seen on WMT human references): numbers in words, times on either clock,
# scores, scales, dates with month names. None may be flagged.
AGREEING = [
    ("Die Verkäufe stiegen in den ersten zehn Monaten.", "Sales rose in the first 10 months."),
    ("62 Prozent halten sie für unehrlich.", "Sixty-two percent think she is dishonest."),
    ("Er ist 100 Millionen Euro schwer.", "He is worth a hundred million euros."),
    ("Der zehnseitige Bericht erschien.", "The 10-page report was published."),
    ("Es spielt in der 2. Bundesliga.", "It plays in the second Bundesliga."),
    ("Phase 1 verbindet London und Birmingham.", "Phase One links London and Birmingham."),
    ("Vorstellungen täglich um 17 und 20 Uhr.", "Shows daily at 5 p.m. and 8 p.m."),
    ("Führungen um 12 und 14 Uhr.", "Tours at midday and 2.00 p.m."),
    ("Um 24 Uhr schloss die Bar.", "The bar closed at midnight."),
    ("Es war um 3 Uhr morgens.", "It was at 3 in the morning."),
    ("Morgen um 15h habe ich einen Test.", "Tomorrow at 15h I have a test."),
    ("Die Runde beginnt um 22.42.", "The round starts at 10.42pm."),
    ("Es endete 16:32 (8:13).", "It ended 16-32 (8-13)."),
    ("Das Paket kostet 3,5 Millionen Euro.", "The package costs 3,500,000 euros."),
    ("Die Mail kam am 26.12. an.", "The mail arrived on December 26th."),
    ("Wir nutzen Version 4.5 und 8.8.", "We use version 4.5 and 8.8."),
    ("Die Bezeichnung 255 001 blieb.", "The designation, 255 001, stayed."),
    ("Der Termin ist um 6.30 Uhr.", "The appointment is at 6.30."),
]
# The same kinds of sentence with a number really changed: each must still be flagged,
# also where a number word nearby could have stood for the changed digits.
DISAGREEING = [
    ("Die Verkäufe stiegen um 20 Prozent.", "Sales rose by 30 percent."),
    ("Er kam am 1. Juni 2017.", "He came on 6 June 2017."),
    ("Sieben Jahre in der Formel 1.", "Seven years in Formula 7."),
    ("Elf Mannschaften, eine Sportpistolen KK1.", "Eleven teams, one KK2 pistol team."),
    ("Die Inflation im Juli betrug 1,0 %.", "Inflation in July was 1.7%."),
    ("Der Kredit beträgt 1.200 Euro.", "The loan is 1.200 euros."),
    ("Um 14 Uhr begann es.", "It began at 4 pm."),
    ("Um 24 Uhr schloss die Bar.", "The bar closed at noon."),
]


@pytest.mark.parametrize(("german", "english"), AGREEING)
def test_numbers_read_the_way_translators_write_them_agree(german, english):
    assert number_mismatch(german, english) == (Counter(), Counter())


@pytest.mark.parametrize(("german", "english"), DISAGREEING)
def test_a_changed_number_is_still_a_mismatch(german, english):
    missing, added = number_mismatch(german, english)
    assert missing or added


def test_two_english_translations_agree_on_numbers_in_words_or_digits():
    assert english_number_mismatch("We got three tries.", "We got 3 tries.") == (
        Counter(),
        Counter(),
    )
    assert english_number_mismatch("We got three tries.", "We got 4 tries.")[1] == Counter(["4"])
