"""debrief's translation package: German news article in, English translation out.

The public API:

    from translate import read_article, translate_article, MarianTranslator

    article = read_article("seeds/belarus-russland-2020-08.de.txt")
    translator = MarianTranslator.from_pretrained("Helsinki-NLP/opus-mt-de-en")
    result = translate_article(article, translator)
    result.checks  # what the faithfulness checks flagged (flagged segments were retried)

    # A brief, checked against the translation it condenses:
    checks, support = check_summary(brief_text, english_segments(result.paragraphs))

torch and transformers load only when a model does, so importing this package is cheap.
"""

from __future__ import annotations

from importlib import metadata

from translate.article import (
    Article,
    TranslatedArticle,
    TranslatedParagraph,
    TranslatedSegment,
    parse_article,
    read_article,
)
from translate.checks import (
    Check,
    SentenceSupport,
    check_segment,
    check_summary,
    check_translation,
    english_segments,
)
from translate.errors import DebriefError, InputError, ModelLoadError, ModelNotFoundError
from translate.marian import (
    DEFAULT_TRANSLATION_MODEL,
    CTranslate2Translator,
    MarianTranslator,
    load_translator,
)
from translate.pipeline import TokenBudget, Translator, translate_article
from translate.segment import segment_paragraph, split_to_fit
from translate.writers import render, write_atomic

try:
    __version__ = metadata.version("debrief")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"


__all__ = [
    "DEFAULT_TRANSLATION_MODEL",
    "Article",
    "CTranslate2Translator",
    "Check",
    "DebriefError",
    "InputError",
    "MarianTranslator",
    "ModelLoadError",
    "ModelNotFoundError",
    "SentenceSupport",
    "TokenBudget",
    "TranslatedArticle",
    "TranslatedParagraph",
    "TranslatedSegment",
    "Translator",
    "__version__",
    "check_segment",
    "check_summary",
    "check_translation",
    "english_segments",
    "load_translator",
    "parse_article",
    "read_article",
    "render",
    "segment_paragraph",
    "split_to_fit",
    "translate_article",
    "write_atomic",
]
