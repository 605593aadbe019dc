"""Faithfulness checks on a translated segment: numbers, length, repetition loops.

Neural translation fails quietly: a number changed, a clause dropped, a phrase repeated
in a loop. Each check here is a pure function of a German segment and its English and
returns the problems it sees as `Check` records; the pipeline runs them on every
segment and the JSON record lists them under "checks". Work in progress for issue 6:
names, the summary checks and the retry are still to come.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from translate.names import missing_names
from translate.numbers import number_mismatch

if TYPE_CHECKING:
    from translate.article import TranslatedParagraph

# English characters per German character, measured on the 20 parallel news sentences
# of tests/tiny_models.py (written by the team): mean 0.97, standard deviation 0.10,
# range 0.81-1.21. The band is the mean +- about 4 deviations, rounded outward: a
# translation under 55% of its source has most likely lost a clause, one over 140% is
# most likely repeating itself. Short segments vary too much to judge.
LENGTH_RATIO_BAND = (0.55, 1.4)
MIN_CHARACTERS_FOR_RATIO = 40
# A phrase of 2-8 words said 3 times in a row, or one word 4 times, is a decoding loop;
# people write "very, very" but not "in the city in the city in the city".
LOOP_REPEATS = {1: 4, **{words: 3 for words in range(2, 9)}}


@dataclass(frozen=True)
class Check:
    """One flagged problem. `paragraph` and `segment` count from 0; `kind` is one of
    "number", "length", "repetition" (and later "name", "unsupported")."""

    stage: str
    paragraph: int
    segment: int
    kind: str
    detail: str


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


def check_segment(german: str, english: str, paragraph: int, segment: int) -> list[Check]:
    """The problems of one translated segment."""

    def flag(kind: str, detail: str) -> Check:
        return Check("translation", paragraph, segment, kind, detail)

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
    return checks


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


def describe_checks(checks: Sequence[Check], segments: int) -> str:
    """One line for a QA summary: how many segments were checked and what was flagged."""
    if not checks:
        return f"{segments} segments checked, nothing flagged"
    kinds = Counter(check.kind for check in checks)
    flagged = len({(check.paragraph, check.segment) for check in checks})
    details = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    return f"{segments} segments checked, {flagged} flagged ({details})"
