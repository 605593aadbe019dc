"""Cut English text into chunks a summarization model can read. Pure functions over strings.

A chunk holds whole sentences up to the model's window. A sentence longer than the window
(rare, but scraped text has them) is cut between words, and a word longer than the window
by characters. No text is dropped: the chunks, joined with spaces, are the input with its
whitespace collapsed.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Sequence

Fits = Callable[[str], bool]

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WHITESPACE = re.compile(r"\s+")


# pysbd reads text with its line breaks as sentence ends, and pysbd 0.3.4 crashes on
# the separators \x1c-\x1f before a digit ("\x1f9. "): its regexes count them as
# whitespace, int() does not (hypothesis found it). Each becomes a space, one character
# for one, so pysbd's offsets stay valid for the original text.
_SPACES_FOR_PYSBD = str.maketrans(dict.fromkeys("\r\n\x1c\x1d\x1e\x1f", " "))


def pysbd_safe(text: str) -> str:
    """`text` with line breaks and the characters pysbd cannot take as spaces."""
    return text.translate(_SPACES_FOR_PYSBD)


@functools.cache
def _english_segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def split_sentences(text: str) -> list[str]:
    """Split English text into sentences, each with its whitespace collapsed.

    Paragraph breaks always end a sentence. Boundaries come from pysbd, and are kept only
    where the text has whitespace, so the sentences joined with spaces give back the text.
    """
    sentences: list[str] = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        flat = pysbd_safe(paragraph)
        try:
            spans = _english_segmenter().segment(flat)
        except Exception:  # a pysbd bug on odd input: the paragraph stays one piece
            spans = []
        cuts = [
            span.end for span in spans if 0 < span.end < len(flat) and flat[span.end - 1].isspace()
        ]
        edges = [0, *cuts, len(flat)]
        for start, end in itertools.pairwise(edges):
            sentence = _WHITESPACE.sub(" ", flat[start:end]).strip()
            if sentence:
                sentences.append(sentence)
    return sentences


def split_characters(text: str, fits: Fits) -> list[str]:
    """Cut a single overlong word into the longest prefixes that fit (at least one character)."""
    pieces = []
    while text:
        low, high = 1, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if fits(text[:middle]):
                low = middle
            else:
                high = middle - 1
        pieces.append(text[:low])
        text = text[low:]
    return pieces


def pack_greedily(
    units: Sequence[str], fits: Fits, split_unit: Callable[[str], list[str]]
) -> list[str]:
    """Join adjacent units with single spaces into the longest runs that fit.

    A unit that does not fit even alone is handed to `split_unit`, whose pieces must fit.
    Order is kept; nothing is dropped.
    """
    packed: list[str] = []
    current = ""
    for unit in units:
        candidate = f"{current} {unit}" if current else unit
        if fits(candidate):
            current = candidate
            continue
        if current:
            packed.append(current)
        if fits(unit):
            current = unit
        else:
            packed.extend(split_unit(unit))
            current = ""
    if current:
        packed.append(current)
    return packed


def chunk_text(text: str, count_tokens: Callable[[str], int], max_tokens: int) -> list[str]:
    """Cut `text` into chunks of whole sentences, each at most `max_tokens` tokens."""

    def fits(chunk: str) -> bool:
        return count_tokens(chunk) <= max_tokens

    def split_sentence(sentence: str) -> list[str]:
        return pack_greedily(sentence.split(" "), fits, lambda word: split_characters(word, fits))

    return pack_greedily(split_sentences(text), fits, split_sentence)
