"""When two stories are the same story: near-identical German text, as agency copy is
when two outlets run it (one trims it, one gives it a new headline and intro, one adds
a paragraph of its own).

A story's fingerprint is a sample of its German text's word 5-grams (casefolded words,
punctuation ignored), each hashed to 32 bits, one in two kept by hash so that two
texts keep the same ones. Two stories are alike when at least ALIKE of the shorter's
sampled 5-grams are in the longer: containment, not Jaccard, so that a trimmed version
is still the story it was cut from. Independent reports of the same event share few
5-grams and are not grouped; this judges copies, not topics. How well it does on real
news (WMT documents, real outlets' edits simulated on them) is measured by
benchmarks/story_grouping_eval.py; docs/digest.md has the figures.

    a, b = fingerprint(paragraphs_a), fingerprint(paragraphs_b)
    resemblance(a, b) >= ALIKE
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence

SHINGLE_WORDS = 5
SAMPLE_EVERY = 2  # one 5-gram in two is kept (by hash, so alike texts keep alike ones)
# Fewer sampled 5-grams than this (a text of about 25 words) is too little to judge by.
MIN_SHINGLES = 10
ALIKE = 0.5

_WORD = re.compile(r"\w+")


def fingerprint(
    paragraphs: Iterable[str], *, size: int = SHINGLE_WORDS, every: int = SAMPLE_EVERY
) -> list[int]:
    """The sampled, hashed word 5-grams of a German text, sorted (`size` and `every`
    are there to be measured, benchmarks/story_grouping_eval.py)."""
    words = _WORD.findall(" ".join(paragraphs).casefold())
    shingles = {
        " ".join(words[start : start + size]) for start in range(max(1, len(words) - size + 1))
    }
    hashes = {
        int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=4).digest(), "big")
        for shingle in shingles
        if shingle
    }
    return sorted(value for value in hashes if value % every == 0)


def resemblance(first: Sequence[int], second: Sequence[int], minimum: int = MIN_SHINGLES) -> float:
    """The share of the shorter fingerprint's 5-grams that are in the other (0 to 1);
    0 when either is too short to judge."""
    if min(len(first), len(second)) < minimum:
        return 0.0
    shorter, longer = sorted((first, second), key=len)
    return len(set(shorter).intersection(longer)) / len(shorter)


def most_alike(
    target: Sequence[int], others: Mapping[str, Sequence[int]], alike: float = ALIKE
) -> str | None:
    """The key of the fingerprint in `others` most like `target`, if it is alike."""
    best, best_score = None, alike
    for key, other in others.items():
        score = resemblance(target, other)
        if score >= best_score:
            best, best_score = key, score
    return best
