"""German words: which are common nouns, which names, which places (German Wiktionary,
through the `german-nouns` package, CC BY-SA 4.0), and which are frequent in German but
unknown to English (wordfreq). Read once, cached; for the name check."""

from __future__ import annotations

import csv
import functools
import importlib.resources

from debrief.errors import NotInstalledError

# German Wiktionary's nouns as this package ships them (CC BY-SA 4.0), installed without
# its dependencies: its Wiktionary parser pins lxml below 5 (see the Makefile).
LEXICON_PACKAGE = "german-nouns==1.2.5"

# Zipf frequencies (log10 of uses per billion words, wordfreq) that tell a common German
# word the lexicon lacks from a name, chosen on WMT human references 2014-2018 and 2022
# (6,000 segments): German 2.5 and English 1.0 cut the name check's false flags from
# 4.6% to 4.0% and caught as many planted name deletions (73%); 2.0 or 1.5 cut more
# false flags and lose deletions (see docs/checks.md).
COMMON_GERMAN_ZIPF = 2.5
ABSENT_ENGLISH_ZIPF = 1.0
# An English word in a German text: 10x as frequent in English (1.0 Zipf) and under 10
# uses a million words of German (4.0). Measured on the same references: caught 159
# more planted name deletions (+2.3 points) for 23 more false flags (+0.13 points);
# a margin of 0.5 doubled the catches and tripled the false flags (Start, Held, See).
ENGLISH_ZIPF_MARGIN = 1.0
UNCOMMON_GERMAN_ZIPF = 4.0
# A name German Wiktionary also knows as a common noun, frequent in English (4.0: ten
# uses a million words; Paris, Henry, Maria), counts as a name unless an article or a
# determiner comes before it. On the same references: 101 more planted name deletions
# caught for 9 more false flags (Block, Band, Art); 4.5 caught 72 for 7.
FREQUENT_ENGLISH_ZIPF = 4.0
# A German common noun that English uses at least as much (Zipf, wordfreq), and at
# least once a million words (3.0): News, Post, City, League, Bank. Beside a name it is
# part of the name. On WMT human references 2014-2018 and 2022 (18,141 segments): 3.0
# more points of the names the English kept verbatim are found (74.4% -> 77.4%) for
# 0.04 more points of false flags; English 0.5 or 1.0 below German found 0.3 points
# more for 0.1 and 0.3 points more false flags (Premier, Station, Labor).
COGNATE_ENGLISH_ZIPF = 3.0
# Tags German Wiktionary gives to proper nouns.
_NAME_TAGS = frozenset({"Toponym", "Nachname", "Vorname", "Eigenname", "Straßenname"})


@functools.cache
def _read_lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    common: set[str] = set()
    names: set[str] = set()
    places: set[str] = set()
    try:
        data = importlib.resources.files("german_nouns").joinpath("nouns.csv")
        handle = data.open(encoding="utf-8", newline="")
    except (ModuleNotFoundError, FileNotFoundError):
        raise NotInstalledError(
            f"the name check's noun lexicon is not installed: run `pip install --no-deps "
            f"{LEXICON_PACKAGE}` (make install does)"
        ) from None
    with handle:
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


@functools.cache
def english_word_in_german(word: str) -> bool:
    """A word German Wiktionary lists that is an English word (County, Agency, Hospital,
    Holdings): far more frequent in English than in German and uncommon in German. Such
    words, capitalised inside a German sentence, are mostly names of English bodies and
    titles, which a translation keeps."""
    from wordfreq import zipf_frequency

    lowered = word.lower()
    german = zipf_frequency(lowered, "de")
    english = zipf_frequency(lowered, "en")
    return german < UNCOMMON_GERMAN_ZIPF and english >= german + ENGLISH_ZIPF_MARGIN


@functools.cache
def english_cognate(word: str) -> bool:
    """A German word English uses as much as German (News, Post, City, Bank), written
    the same in both."""
    from wordfreq import zipf_frequency

    lowered = word.lower()
    english = zipf_frequency(lowered, "en")
    return english >= COGNATE_ENGLISH_ZIPF and english >= zipf_frequency(lowered, "de")


@functools.cache
def frequent_in_english(word: str) -> bool:
    """A word English uses often (Paris, Henry, Maria, China, Park): said of a name that
    is also a German common noun, it is the name English keeps."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en") >= FREQUENT_ENGLISH_ZIPF
