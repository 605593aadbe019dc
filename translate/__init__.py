"""debrief's translation package: German news article in, English translation out.

The public API:

    from translate import load_translator, read_article, translate_article

    article = read_article("seeds/belarus-russland-2020-08.de.txt")
    translator = load_translator("Helsinki-NLP/opus-mt-de-en")  # runtime=Runtime(...)
    result = translate_article(article, translator)
    result.checks  # what the faithfulness checks flagged (flagged segments were retried)

    # A brief, checked against the translation it condenses:
    checks, support = check_summary(brief_text, english_segments(result.paragraphs))

torch and transformers load only when a model does, so importing this package is cheap.
It builds on debrief's base (errors, models, engines); the whole job is debrief.job.
"""

from __future__ import annotations

from debrief.errors import DebriefError, InputError, ModelLoadError, ModelNotFoundError
from translate.article import (
    Article,
    Check,
    TranslatedArticle,
    TranslatedParagraph,
    TranslatedSegment,
    parse_article,
    read_article,
)
from translate.checks import (
    SentenceSupport,
    check_segment,
    check_summary,
    check_translation,
    english_segments,
)
from translate.marian import DEFAULT_TRANSLATION_MODEL, MarianTranslator, load_translator
from translate.pipeline import TokenBudget, Translator, translate_article
from translate.segment import segment_paragraph, split_to_fit
from translate.writers import render, write_atomic

__all__ = [
    "DEFAULT_TRANSLATION_MODEL",
    "Article",
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
