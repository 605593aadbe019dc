"""Faithfulness checks on each translated segment.

Neural translation fails quietly: a number changed, a name lost, a clause dropped, a
phrase repeated in a loop. Each check here is a pure function of texts that returns the
problems it sees as `Check` records; the pipeline runs them on every segment, and the
JSON record lists them under "checks" (the brief's own checks are debrief/brief.py).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from translate.article import Check, TranslatedParagraph
from translate.glossary import Glossary, TermHit
from translate.names import missing_names
from translate.numbers import number_mismatch

# English characters per German character, first measured on 50 news sentences with
# faithful English written by the team (mean 0.96, deviation 0.115; floor 0.6, three
# deviations under the mean), then on 16,800 real human references of WMT newstest
# 2014-2018 and generaltest 2022 (segments of 40 characters or more): mean 0.93,
# deviation 0.14, 0.5th percentile 0.61, 99.9th 1.57. The floor stays 0.6: a translation
# under 60% of its source has lost a clause (96% of references cut in half fall under
# it; 0.55 would catch 91%). The ceiling is the references' 99.9th percentile, rounded
# up: 1.4 flagged 0.85% of them, 1.6 flags 0.47%; a decoding loop is the repetition
# check's to catch. Segments under 40 characters vary too much to judge.
LENGTH_RATIO_BAND = (0.6, 1.6)


MIN_CHARACTERS_FOR_RATIO = 40


# A phrase of 2-8 words said 3 times in a row, or one word 4 times, is a decoding loop;
# people write "very, very" but not "in the city in the city in the city".
LOOP_REPEATS = {1: 4, **{words: 3 for words in range(2, 9)}}


def repetition_loop(text: str) -> str | None:
    """The phrase that `text` repeats in a loop, or None."""
    words = text.split()
    normalised = [word.strip(".,;:!?\"'„“”»«()").lower() for word in words]
    for size, repeats in LOOP_REPEATS.items():
        span = size * repeats
        for start in range(len(words) - span + 1):
            phrase = normalised[start : start + size]
            if all(
                normalised[start + k * size : start + (k + 1) * size] == phrase
                for k in range(1, repeats)
            ):
                return " ".join(words[start : start + size])
    return None


def check_segment(
    german: str, english: str, paragraph: int, segment: int, glossary: Glossary | None = None
) -> list[Check]:
    """The problems of one translated segment; with a `glossary`, each term of the
    German whose English the translation lacks is one too ("glossary")."""

    def flag(kind: str, detail: str) -> Check:
        return Check("translation", paragraph, segment, kind, detail)

    # Decomposed umlauts (a + U+0308, as some sites and PDF copies write them) would
    # otherwise split words in two: Gehäuse read as "Geha" and "use".
    german, english = unicodedata.normalize("NFC", german), unicodedata.normalize("NFC", english)

    checks = []
    missing, added = number_mismatch(german, english)
    if missing:
        checks.append(flag("number", f"missing in the English: {', '.join(sorted(missing))}"))
    if added:
        checks.append(flag("number", f"not in the German: {', '.join(sorted(added))}"))
    if len(german) >= MIN_CHARACTERS_FOR_RATIO:
        ratio = len(english) / len(german)
        low, high = LENGTH_RATIO_BAND
        if not low <= ratio <= high:
            checks.append(
                flag("length", f"English is {ratio:.2f}x the German's length (band {low}-{high})")
            )
    names = missing_names(german, english)
    if names:
        checks.append(flag("name", f"missing in the English: {', '.join(names)}"))
    loop = repetition_loop(english)
    if loop is not None:
        checks.append(flag("repetition", f"repeats '{loop}'"))
    if glossary is not None:
        checks += glossary_checks(glossary.hits(german, english), paragraph, segment)
    return checks


def glossary_checks(hits: Sequence[TermHit], paragraph: int, segment: int) -> list[Check]:
    """A "glossary" check for each hit whose English the translation lacks."""
    return [
        Check(
            "translation",
            paragraph,
            segment,
            "glossary",
            f"{hit.found} should be {hit.term.english!r} ({hit.term.origin})",
        )
        for hit in hits
        if not hit.kept
    ]


def check_translation(paragraphs: Sequence[TranslatedParagraph]) -> tuple[Check, ...]:
    """The problems of every segment of a translation, in document order."""
    return tuple(
        check
        for paragraph_index, paragraph in enumerate(paragraphs)
        for segment_index, segment in enumerate(paragraph.segments)
        for check in check_segment(
            segment.source, segment.translation, paragraph_index, segment_index
        )
    )
