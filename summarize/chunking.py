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
from collections.abc import Callable

from debrief.runtime.cutting import (
    BLOCK_CHARS,
    block_cuts,
    pack_greedily,
    pysbd_safe,
    split_characters,
)

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WHITESPACE = re.compile(r"\s+")


@functools.cache
def _english_segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


_CLEAR_ENGLISH_SENTENCE_END = re.compile(r"(?<=[a-z]{3}[.!?])[\"'”]?\s+(?=[A-Z])")


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


def chunk_text(text: str, count_tokens: Callable[[str], int], max_tokens: int) -> list[str]:
    """Cut `text` into chunks of whole sentences, each at most `max_tokens` tokens."""

    def fits(chunk: str) -> bool:
        return count_tokens(chunk) <= max_tokens

    def split_sentence(sentence: str) -> list[str]:
        return pack_greedily(sentence.split(" "), fits, lambda word: split_characters(word, fits))

    return pack_greedily(split_sentences(text), fits, split_sentence)
