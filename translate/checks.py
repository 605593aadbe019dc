"""Faithfulness checks: on each translated segment, and on the brief against the translation.

Neural translation fails quietly: a number changed, a name lost, a clause dropped, a
phrase repeated in a loop. An abstractive brief can state what the article never said.
Each check here is a pure function of texts that returns the problems it sees as `Check`
records; the pipeline runs the translation checks on every segment, `debrief run` the
summary checks on every brief, and the JSON record lists both under "checks".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from summarize.chunking import split_sentences
from translate.article import Check, TranslatedParagraph
from translate.names import english_names, missing_names
from translate.numbers import english_numbers, number_mismatch

# English characters per German character, measured on news sentences and their faithful
# English written by the team: 20 in tests/tiny_models.py (mean 0.97, deviation 0.10,
# range 0.81-1.21), then 30 held out in tests/parallel_news.py (mean 0.96, deviation 0.12,
# range 0.70-1.16); both sets together: mean 0.96, deviation 0.115. The band's floor is
# the mean less 3 deviations (0.62), rounded down: a translation under 60% of its source has lost
# a clause. Its ceiling is looser (mean plus almost 4): English rarely runs much longer
# than German, and a loop that does lengthens it by far more. Segments under 40
# characters vary too much to judge.
LENGTH_RATIO_BAND = (0.6, 1.4)
MIN_CHARACTERS_FOR_RATIO = 40
# A phrase of 2-8 words said 3 times in a row, or one word 4 times, is a decoding loop;
# people write "very, very" but not "in the city in the city in the city".
LOOP_REPEATS = {1: 4, **{words: 3 for words in range(2, 9)}}
# A brief sentence is supported by a translated segment when this share of its content
# words occurs in that segment. Set on briefs written for the two test articles (tests/
# test_translate_summary_checks.py): 18 faithful sentences, copied, cut, reworded or fused
# from two segments, share 0.56 or more with their best segment (the fused one is lowest);
# 8 sentences stating what neither article says share 0.29 or less. The threshold sits
# about midway between.
MIN_SUPPORT = 0.45
# Words that carry no content of their own, so they neither make nor break support.
_ENGLISH_FUNCTION_WORDS = frozenset(
    """a an the and or but nor so yet of in on at to for from by with about into over after
    before under between through during against among as than then that this these those
    there here it its it's he him his she her they them their we us our you your i me my
    is are was were be been being has have had do does did will would shall should can
    could may might must not no also only very just more most such which who whom whose
    what when where why how all any both each few other some own same too s""".split()
)
_WORD = re.compile(r"[^\W_]+")


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


@dataclass(frozen=True)
class SentenceSupport:
    """The translated segment that best supports a brief sentence, and how well: the share
    of the sentence's content words found in it (0-1)."""

    sentence: str
    paragraph: int
    segment: int
    overlap: float


def content_words(text: str) -> set[str]:
    """The lowercase words of an English text that carry content."""
    return {word.lower() for word in _WORD.findall(text)} - _ENGLISH_FUNCTION_WORDS


def english_segments(paragraphs: Sequence[TranslatedParagraph]) -> list[list[str]]:
    """The English of each segment, paragraph by paragraph: what a brief is checked against."""
    return [[segment.translation for segment in paragraph.segments] for paragraph in paragraphs]


def brief_support(
    sentences: Sequence[str], paragraphs: Sequence[Sequence[str]]
) -> list[SentenceSupport]:
    """For each brief sentence, the source segment sharing most of its content words.

    `paragraphs` hold the English segments of the text the brief condenses. Ties go to
    the earlier segment; a sentence with no content words is fully supported by the first.
    """
    segments = [
        (paragraph_index, segment_index, content_words(segment))
        for paragraph_index, paragraph in enumerate(paragraphs)
        for segment_index, segment in enumerate(paragraph)
    ]
    supports = []
    for sentence in sentences:
        words = content_words(sentence)
        best = (0, 0, 1.0 if not words else 0.0)
        for paragraph_index, segment_index, segment_words in segments if words else ():
            overlap = len(words & segment_words) / len(words)
            if overlap > best[2]:
                best = (paragraph_index, segment_index, overlap)
        supports.append(SentenceSupport(sentence, *best))
    return supports


def check_summary(
    brief: str, paragraphs: Sequence[Sequence[str]]
) -> tuple[tuple[Check, ...], tuple[SentenceSupport, ...]]:
    """The problems of a brief measured against the English it condenses, and the
    support of each of its sentences.

    `paragraphs` hold the English segments (`english_segments` of a translation). Every
    number and every name (a capitalised word inside a sentence) of the brief must occur
    in that English, and each sentence needs a segment that supports it (`MIN_SUPPORT`).
    A check is placed at the brief sentence's best-supporting segment; its detail names
    the brief sentence (counted from 1).
    """
    translation = " ".join(segment for paragraph in paragraphs for segment in paragraph)
    translation_numbers = english_numbers(translation)
    translation_words = {word.lower() for word in _WORD.findall(translation)}
    supports = brief_support(split_sentences(brief), paragraphs)
    checks = []
    for number, support in enumerate(supports, start=1):

        def flag(kind: str, detail: str, support: SentenceSupport = support) -> Check:
            return Check("summary", support.paragraph, support.segment, kind, detail)

        numbers = [n for n in english_numbers(support.sentence) if n not in translation_numbers]
        if numbers:
            checks.append(
                flag(
                    "number",
                    f"brief sentence {number}: {', '.join(numbers)} not in the translation",
                )
            )
        names = [
            name
            for name in dict.fromkeys(english_names(support.sentence))
            if name.lower() not in translation_words
        ]
        if names:
            checks.append(
                flag("name", f"brief sentence {number}: {', '.join(names)} not in the translation")
            )
        if support.overlap < MIN_SUPPORT:
            checks.append(
                flag(
                    "unsupported",
                    f"brief sentence {number}: at most {support.overlap:.0%} of its words in "
                    "any translated sentence",
                )
            )
    return tuple(checks), tuple(supports)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _kinds(checks: Sequence[Check]) -> str:
    kinds = Counter(check.kind for check in checks)
    return ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))


def describe_checks(
    checks: Sequence[Check], segments: int, brief_sentences: int = 0, retried: int = 0
) -> str:
    """One line for a QA summary: how much was checked, retried and flagged.

    `retried` segments were translated again because they were flagged; those still
    flagged are counted among the flagged, the others as fixed. The brief's part appears
    when `brief_sentences` were checked.
    """
    translation = [check for check in checks if check.stage == "translation"]
    summary = [check for check in checks if check.stage == "summary"]
    flagged = len({(check.paragraph, check.segment) for check in translation})
    line = f"{_count(segments, 'segment')} checked, "
    if retried:
        line += f"{retried} retried ({retried - flagged} fixed), "
    line += f"{flagged} flagged ({_kinds(translation)})" if translation else "nothing flagged"
    if brief_sentences:
        line += "; brief: " + describe_brief_checks(summary, brief_sentences)
    return line


def describe_brief_checks(checks: Sequence[Check], brief_sentences: int) -> str:
    """The QA summary of a brief's checks."""
    summary = [check for check in checks if check.stage == "summary"]
    return f"{_count(brief_sentences, 'sentence')} checked, " + (
        f"{len(summary)} items flagged ({_kinds(summary)})" if summary else "nothing flagged"
    )
