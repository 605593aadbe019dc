"""Does the input look German? A warning (or, when strict, an error) if it does not.

lingua ships its language models inside its wheel, so this works offline. Its low-accuracy
mode is meant for texts longer than a sentence, which articles are; it answers in
milliseconds where the high-accuracy mode loads for seconds. Texts shorter than
MIN_CHARACTERS are not judged: too little to tell.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from debrief.errors import InputError
from translate.article import Article

logger = logging.getLogger("debrief")

MIN_CHARACTERS = 120
SAMPLE_CHARACTERS = 4000


class NotGermanError(InputError):
    """The input looks like another language and --strict was given."""


@dataclass(frozen=True)
class LanguageGuess:
    name: str  # "English"
    iso_code: str  # "en"
    confidence: float


@functools.cache
def _detector():
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def guess_language(text: str, min_characters: int = MIN_CHARACTERS) -> LanguageGuess | None:
    """The most likely language of `text` (its first SAMPLE_CHARACTERS), or None if it
    has fewer than `min_characters` letters."""
    sample = text[:SAMPLE_CHARACTERS]
    if sum(char.isalpha() for char in sample) < max(min_characters, 1):
        return None
    values = _detector().compute_language_confidence_values(sample)
    if not values:
        return None
    best = values[0]
    return LanguageGuess(
        name=best.language.name.capitalize(),
        iso_code=best.language.iso_code_639_1.name.lower(),
        confidence=best.value,
    )


def check_german(article: Article, name: str, strict: bool = False) -> LanguageGuess | None:
    """Warn on the "debrief" logger when `article` does not look German; raise if `strict`.

    Returns the guess when it is another language, else None.
    """
    guess = guess_language("\n\n".join(article.paragraphs))
    if guess is None or guess.iso_code == "de":
        return None
    message = f"{name}: looks like {guess.name} (confidence {guess.confidence:.2f}), not German"
    if strict:
        raise NotGermanError(f"{message}; drop --strict to translate it anyway")
    logger.warning("warning: %s; translating anyway (--strict makes this an error)", message)
    return guess
