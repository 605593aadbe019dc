"""The formats of debrief's outputs: a translation as text, Markdown, JSON (the record
that aligns every German segment with its English) or the review page; a brief as text
or JSON; the joint record of `debrief run`; and reading the English back from a record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any
from urllib.parse import quote

from debrief import __version__
from debrief.brief import Debrief, SentenceSupport
from debrief.errors import InputError
from debrief.outputs.review import render_review
from summarize.chunking import split_sentences
from summarize.model import Summary
from translate.article import Check, TranslatedArticle, TranslatedSegment

FORMATS = ("txt", "md", "json", "html")
# translate also writes a document of the kind it read, its layout kept
# (debrief/documents/: LAYOUT_KEEPING_SUFFIXES).
DOCUMENT_OUTPUTS = ("docx", "pptx", "odt", "odp", "epub")
TRANSLATE_FORMATS = (*FORMATS, *DOCUMENT_OUTPUTS)


# A paragraph that starts like Markdown block syntax would render as a heading, quote,
# list or rule; a backslash keeps it a paragraph.
_MARKDOWN_BLOCK_START = re.compile(r"^(#|>|[-+*]\s|\d+[.)]\s|[-*_]{3,}\s*$|=+\s*$)")


def render_text(article: TranslatedArticle) -> str:
    """The translation as plain text: the English title and the URL line first if known,
    paragraphs kept apart."""
    blocks = [article.title_translation] if article.title_translation else []
    blocks += [article.source_url] if article.source_url else []
    blocks += [paragraph.translation for paragraph in article.paragraphs]
    return "\n\n".join(blocks) + "\n"


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]])")


def markdown_text(text: str) -> str:
    """`text` as Markdown that shows it as written: HTML as entities (a tag stays text),
    and the characters of emphasis, code and links escaped (no link can be formed)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def markdown_link(url: str) -> str:
    """`url` as a Markdown link if it is an http(s) URL, with every character that could
    end the link or open HTML percent-encoded; anything else as escaped text."""
    if not re.fullmatch(r"https?://\S+", url, flags=re.ASCII | re.IGNORECASE):
        return markdown_text(url)
    target = quote(url, safe="/:?#@!$&*+,;=%~.-_")
    return f"[{markdown_text(url)}]({target})"


def render_markdown(article: TranslatedArticle) -> str:
    """The translation as Markdown, with the source URL as a link; the text's own
    markup characters and HTML stay text."""
    blocks = [f"# {markdown_text(article.title_translation)}"] if article.title_translation else []
    blocks += [f"Source: {markdown_link(article.source_url)}"] if article.source_url else []
    for paragraph in article.paragraphs:
        text = markdown_text(paragraph.translation)
        blocks.append("\\" + text if _MARKDOWN_BLOCK_START.match(text) else text)
    return "\n\n".join(blocks) + "\n"


def _segment_to_dict(segment: TranslatedSegment) -> dict[str, Any]:
    record: dict[str, Any] = {
        "source": segment.source,
        "translation": segment.translation,
        "pieces": segment.pieces,
    }
    if segment.retried:
        # Which retries ran because the first translation was flagged, and whose
        # translation this is ("first" when no retry did better).
        record["retry"] = {"tried": list(segment.retried), "kept": segment.kept or "first"}
    if segment.terms:
        # Every glossary term of the German: the form found, where, and whether the
        # English kept the glossary's English (a missing one is also a "glossary" check).
        record["glossary"] = [hit.record() for hit in segment.terms]
    return record


def article_to_dict(article: TranslatedArticle) -> dict[str, Any]:
    """The JSON record: every German segment aligned with its English, and how it was made."""
    return {
        "source_url": article.source_url,
        "title": article.title,
        "title_translation": article.title_translation,
        "author": article.author,
        "date": article.date,
        "site": article.site,
        "model": article.model,
        "model_revision": article.model_revision,
        "generation": article.settings,
        "debrief_version": __version__,
        "paragraphs": [
            {
                "source": paragraph.source,
                "translation": paragraph.translation,
                "segments": [_segment_to_dict(segment) for segment in paragraph.segments],
            }
            for paragraph in article.paragraphs
        ],
        "checks": [asdict(check) for check in article.checks],
    }


def _json_text(record: dict[str, Any]) -> str:
    # Umlauts stay readable in the file rather than \u escapes.
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def render_json(article: TranslatedArticle) -> str:
    return _json_text(article_to_dict(article))


RENDERERS = {
    "txt": render_text,
    "md": render_markdown,
    "json": render_json,
    "html": render_review,
}


SUMMARY_FORMATS = ("txt", "json")


def summary_to_dict(summary: Summary) -> dict[str, Any]:
    """The brief and how it was made; `chunks` > 1 says the input was read in parts."""
    return {
        "model": summary.model,
        "model_revision": summary.revision,
        "text": summary.text,
        "chunks": summary.chunks,
        "rounds": summary.rounds,
        "generation": summary.settings,
    }


def render_summary(
    summary: Summary,
    output_format: str,
    checks: Sequence[Check] = (),
    support: Sequence[SentenceSupport] = (),
) -> str:
    """Render a brief as txt (the text alone) or json (with how it was made, each
    sentence's support in the text it condenses, and what the checks flagged)."""
    if output_format == "json":
        record = summary_to_dict(summary)
        record["support"] = [asdict(sentence) for sentence in support]
        record["checks"] = [asdict(check) for check in checks]
        return _json_text(record)
    return summary.text + "\n"


def debrief_to_dict(debrief: Debrief) -> dict[str, Any]:
    """The JSON record `debrief run` writes, as data: the translation record of
    `article_to_dict` with the brief added under "summary".

    The brief's checks join the translation's under "checks"; "summary" gains "support":
    each brief sentence with the translated segment that best supports it.
    """
    record = article_to_dict(debrief.translated)
    record["checks"] += [asdict(check) for check in debrief.summary_checks]
    record["summary"] = summary_to_dict(debrief.summary)
    record["summary"]["support"] = [asdict(sentence) for sentence in debrief.support]
    return record


def debrief_to_json(debrief: Debrief) -> str:
    """`debrief_to_dict` as the JSON text `debrief run` writes."""
    return _json_text(debrief_to_dict(debrief))


def english_of_record(data: bytes, name: str) -> list[list[str]]:
    """The English of a `debrief translate --format json` record, as sentences per
    paragraph: each paragraph's segments (or its translation split into sentences).

    Raises InputError for anything else: not JSON, another shape, text that is not a
    string, lone surrogates, nesting too deep to read, no paragraphs at all.
    """
    wrong = InputError(
        f"{name}: not a `debrief translate --format json` file; pass that or plain text"
    )
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise wrong from None
    paragraphs = record.get("paragraphs") if isinstance(record, dict) else None
    if not isinstance(paragraphs, list) or not all(isinstance(p, dict) for p in paragraphs):
        raise wrong
    english: list[list[str]] = []
    for paragraph in paragraphs:
        segments = paragraph.get("segments")
        if isinstance(segments, list) and all(isinstance(s, dict) for s in segments):
            texts = [segment.get("translation") for segment in segments]
        else:
            texts = [paragraph.get("translation")]
            if isinstance(texts[0], str):
                texts = split_sentences(texts[0])
        if not all(isinstance(text, str) for text in texts):
            raise wrong
        english.append(texts)
    text = " ".join(t for texts in english for t in texts)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(
            f"{name}: holds characters that are not valid Unicode (lone surrogates); "
            "translate the article again"
        ) from None
    if not text.strip():
        raise InputError(f"{name}: holds no English text to brief")
    return english


def render(article: TranslatedArticle, output_format: str) -> str:
    """Render `article` in one of FORMATS."""
    return RENDERERS[output_format](article)
