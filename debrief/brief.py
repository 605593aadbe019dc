"""The brief and its checks: summarise a translated article, then check the brief against
the translation it condenses.

An abstractive brief can state what the article never said. `check_summary` measures
each brief sentence against the translated segments: its numbers and names must occur in
the English, and one segment must share enough of its content words (`MIN_SUPPORT`);
`SentenceSupport` records which segment that is, so a reader can trace every sentence of
the brief to its source. `brief_translation` is the second half of the job for one
article; `Debrief` holds the result in memory, ready for the outputs (debrief/outputs/).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from summarize.chunking import split_sentences
from summarize.model import Summarizer, Summary
from translate.article import Check, TranslatedArticle, TranslatedParagraph
from translate.names import english_names
from translate.numbers import english_numbers
from translate.pipeline import Progress

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


def english_text(translated: TranslatedArticle) -> str:
    """The translation's paragraphs, as the summarizer reads them."""
    return "\n\n".join(paragraph.translation for paragraph in translated.paragraphs)


@dataclass(frozen=True)
class Debrief:
    """One article's finished job, in memory: its translation, its brief, and the brief's
    checks and support in the translation. debrief.outputs renders it (its record:
    `debrief_to_dict`; its review page: `render_debrief`)."""

    translated: TranslatedArticle
    summary: Summary
    summary_checks: tuple[Check, ...] = ()
    support: tuple[SentenceSupport, ...] = ()


def brief_translation(
    translated: TranslatedArticle, summarizer: Summarizer, progress: Progress | None = None
) -> Debrief:
    """Brief a translated article and check the brief against the translation; the
    second half of the job for one article (`progress` follows the brief's chunks)."""
    summary = summarizer.summarize(english_text(translated), progress=progress)
    checks, support = check_summary(summary.text, english_segments(translated.paragraphs))
    return Debrief(translated, summary, checks, support)
