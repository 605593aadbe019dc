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


# pysbd's time grows with the square of the text it is given (it looks each sentence up
# in the whole text): a 200 KB paragraph took 21 s. Longer texts are first cut into
# blocks at clear sentence ends, and pysbd reads one block at a time.
BLOCK_CHARS = 8000
_CLEAR_ENGLISH_SENTENCE_END = re.compile(r"(?<=[a-z]{3}[.!?])[\"'”]?\s+(?=[A-Z])")


def block_cuts(
    text: str, clear_sentence_end: re.Pattern[str], size: int = BLOCK_CHARS
) -> list[int]:
    """Offsets that cut `text` into blocks of at most about `size` characters, each cut at
    the last `clear_sentence_end` in the second half of its block (else at whitespace,
    else anywhere), so that no sentence a segmenter would find is cut."""
    cuts = []
    start = 0
    while len(text) - start > size:
        window = text[start + size // 2 : start + size]
        ends = [match.end() for match in clear_sentence_end.finditer(window)]
        if not ends:  # no sentence end: any whitespace will do, as for a run-on sentence
            ends = [match.end() for match in re.finditer(r"\s+", window)]
        # With no whitespace at all (one giant word), cut anywhere; chunking cuts it later.
        cut = start + size // 2 + ends[-1] if ends else start + size
        cuts.append(cut)
        start = cut
    return cuts


def _sentence_cuts(flat: str) -> list[int]:
    try:
        spans = _english_segmenter().segment(flat)
    except Exception:  # a pysbd bug on odd input: the block stays one piece
        spans = []
    return [span.end for span in spans if 0 < span.end < len(flat) and flat[span.end - 1].isspace()]


def split_sentences(text: str) -> list[str]:
    """Split English text into sentences, each with its whitespace collapsed.

    Paragraph breaks always end a sentence. Boundaries come from pysbd, and are kept only
    where the text has whitespace, so the sentences joined with spaces give back the text.
    Time grows linearly with the text (blocks of BLOCK_CHARS).
    """
    sentences: list[str] = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        flat = pysbd_safe(paragraph)
        blocks = [0, *block_cuts(flat, _CLEAR_ENGLISH_SENTENCE_END, BLOCK_CHARS), len(flat)]
        cuts = [
            block_start + cut
            for block_start, block_end in itertools.pairwise(blocks)
            for cut in _sentence_cuts(flat[block_start:block_end])
        ]
        edges = [0, *sorted(set(cuts) | set(blocks[1:-1])), len(flat)]
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
