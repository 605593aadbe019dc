"""Render a translated article as text, Markdown or JSON, and write files atomically."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from debrief import __version__
from summarize.model import Summary
from translate.article import TranslatedArticle, TranslatedSegment
from translate.checks import Check, SentenceSupport

FORMATS = ("txt", "md", "json")

# A paragraph that starts like Markdown block syntax would render as a heading, quote,
# list or rule; a backslash keeps it a paragraph.
_MARKDOWN_BLOCK_START = re.compile(r"^(#|>|[-+*]\s|\d+[.)]\s|[-*_]{3,}\s*$|=+\s*$)")


def render_text(article: TranslatedArticle) -> str:
    """The translation as plain text: the URL line first if known, paragraphs kept apart."""
    blocks = [article.source_url] if article.source_url else []
    blocks += [paragraph.translation for paragraph in article.paragraphs]
    return "\n\n".join(blocks) + "\n"


def render_markdown(article: TranslatedArticle) -> str:
    """The translation as Markdown, with the source URL as a link."""
    blocks = [f"Source: [{article.source_url}]({article.source_url})"] if article.source_url else []
    for paragraph in article.paragraphs:
        text = paragraph.translation
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
    return record


def article_to_dict(article: TranslatedArticle) -> dict[str, Any]:
    """The JSON record: every German segment aligned with its English, and how it was made."""
    return {
        "source_url": article.source_url,
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


RENDERERS = {"txt": render_text, "md": render_markdown, "json": render_json}
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


def debrief_to_json(
    article: TranslatedArticle,
    summary: Summary,
    summary_checks: Sequence[Check] = (),
    support: Sequence[SentenceSupport] = (),
) -> str:
    """The translation record of `render_json` with the brief added under "summary".

    The brief's checks join the translation's under "checks"; "summary" gains "support":
    each brief sentence with the translated segment that best supports it.
    """
    record = article_to_dict(article)
    record["checks"] += [asdict(check) for check in summary_checks]
    record["summary"] = summary_to_dict(summary)
    record["summary"]["support"] = [asdict(sentence) for sentence in support]
    return _json_text(record)


def render(article: TranslatedArticle, output_format: str) -> str:
    """Render `article` in one of FORMATS."""
    return RENDERERS[output_format](article)


def write_atomic(path: str | Path, text: str) -> None:
    """Write `text` to `path` so that readers see the old file or the new one, never half.

    The text goes to a temporary file in the same folder, which then replaces `path`.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
