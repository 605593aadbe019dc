"""German words: which are common nouns, which names, which places (German Wiktionary,
through the `german-nouns` package, CC BY-SA 4.0), and which are frequent in German but
unknown to English (wordfreq). Read once, cached; for the name check."""

from __future__ import annotations

import csv
import functools
import importlib.resources

# Zipf frequencies (log10 of uses per billion words, wordfreq) that tell a common German
# word the lexicon lacks from a name, chosen on WMT human references 2014-2018 and 2022
# (6,000 segments): German 2.5 and English 1.0 cut the name check's false flags from
# 4.6% to 4.0% and caught as many planted name deletions (73%); 2.0 or 1.5 cut more
# false flags and lose deletions (see docs/checks.md).
COMMON_GERMAN_ZIPF = 2.5
ABSENT_ENGLISH_ZIPF = 1.0
# Tags German Wiktionary gives to proper nouns.
_NAME_TAGS = frozenset({"Toponym", "Nachname", "Vorname", "Eigenname", "Straßenname"})


@functools.cache
def _read_lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    common: set[str] = set()
    names: set[str] = set()
    places: set[str] = set()
    data = importlib.resources.files("german_nouns").joinpath("nouns.csv")
    with data.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        for row in rows:
            tags = set(row[1].split(","))
            if tags & _NAME_TAGS:
                names.add(row[0])
                if "Toponym" in tags:
                    places.add(row[0])
            else:
                common.add(row[0])
                common.update(form for form in row[7:] if form)
    return frozenset(common), frozenset(names), frozenset(places)


def german_lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """(common noun forms, proper names) of German Wiktionary, read once (about 1 s)."""
    common, names, _ = _read_lexicon()
    return common, names


def german_places() -> frozenset[str]:
    """The proper names German Wiktionary tags as places (Toponym)."""
    return _read_lexicon()[2]


@functools.cache  # asked for every part of every compound the name check splits
def common_german_word(word: str) -> bool:
    """A word frequent in German and absent from English (wordfreq's corpora): a common
    word the lexicon lacks (Betracht, Dunkeln, Besseres, Versicherer), where a name,
    however local, is rare in German (Kallstadt 1.7, Aiwanger 2.4) or used in English too
    (Trump, Sanders, Janeiro)."""
    from wordfreq import zipf_frequency

    lowered = word.lower()
    return (
        zipf_frequency(lowered, "de") >= COMMON_GERMAN_ZIPF
        and zipf_frequency(lowered, "en") < ABSENT_ENGLISH_ZIPF
    )
