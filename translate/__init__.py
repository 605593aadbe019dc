"""debrief's translation package: German news article in, English translation out.

The public API:

    from translate import load_translator, read_article, translate_article

    article = read_article("seeds/belarus-russland-2020-08.de.txt")
    translator = load_translator("Helsinki-NLP/opus-mt-de-en")  # runtime=Runtime(...)
    result = translate_article(article, translator)
    result.checks  # what the faithfulness checks flagged (flagged segments were retried)

torch and transformers load only when a model does, so importing this package is cheap.
It builds on debrief's base (debrief.errors, debrief.runtime) and never imports
summarize/ or debrief's shell: writing outputs is debrief.outputs (render, write_atomic),
the brief and its checks debrief.brief, the whole job debrief.job.
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
)
from translate.checks import check_segment, check_translation
from translate.marian import DEFAULT_TRANSLATION_MODEL, MarianTranslator, load_translator
from translate.pipeline import TokenBudget, Translator, translate_article
from translate.reading import read_article
from translate.segment import segment_paragraph, split_to_fit

__all__ = [
    "DEFAULT_TRANSLATION_MODEL",
    "Article",
    "Check",
    "DebriefError",
    "InputError",
    "MarianTranslator",
    "ModelLoadError",
    "ModelNotFoundError",
    "TokenBudget",
    "TranslatedArticle",
    "TranslatedParagraph",
    "TranslatedSegment",
    "Translator",
    "check_segment",
    "check_translation",
    "load_translator",
    "parse_article",
    "read_article",
    "segment_paragraph",
    "split_to_fit",
    "translate_article",
]
