"""Cutting text for a model, shared by both stages. Pure functions over strings.

Both stages segment with pysbd and must never lose a character: the translator cuts
German paragraphs into sentences and overlong sentences into pieces under the model's
limit; the summarizer cuts English into chunks under its window. What they share is here:
making text safe for pysbd, cutting a long text into blocks at clear sentence ends (pysbd
is quadratic), and packing units greedily into the longest runs that fit, cutting a unit
that fits alone by characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

Fits = Callable[[str], bool]

# pysbd reads text with its line breaks as sentence ends, and pysbd 0.3.4 crashes on
# the separators \x1c-\x1f before a digit ("\x1f9. "): its regexes count them as
# whitespace, int() does not (hypothesis found it). Each becomes a space, one character
# for one, so pysbd's offsets stay valid for the original text.
_SPACES_FOR_PYSBD = str.maketrans(dict.fromkeys("\r\n\x1c\x1d\x1e\x1f", " "))


def pysbd_safe(text: str) -> str:
    """`text` with line breaks and the characters pysbd cannot take as spaces."""
    return text.translate(_SPACES_FOR_PYSBD)


# pysbd's time grows with the square of the text it is given (it looks each sentence up
# in the whole text): a 200 KB paragraph took 21 s. Longer texts are first cut into
# blocks at clear sentence ends, and pysbd reads one block at a time.
BLOCK_CHARS = 8000


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
