"""The review view: one self-contained HTML file to check a translation before quoting it.

German beside English, sentence by sentence; what the checks flagged marked in place, with
the detail on hover and click; retried segments marked with what was kept; the brief on
top, each of its sentences linked to the segment that best supports it; how it was made
at the foot. Inline CSS and script, nothing fetched from anywhere.

Every piece of text from an article is escaped, and the page's Content-Security-Policy
lets only its own script run (by hash) and loads no image, font or frame: even text that
escaped escaping could not execute.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from html import escape
from typing import Any

from debrief import __version__
from debrief.brief import Debrief, SentenceSupport
from summarize.model import Summary
from translate.article import Check, TranslatedArticle, TranslatedSegment
from translate.glossary import english_spans

_STYLE = """
:root { --flag: #b3261e; --flag-bg: #fdecea; --retry: #6b4f00; --mark: #fff3b0; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem;
  color: #1b1b1b; background: #fff; }
header h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
.meta, footer { color: #555; font-size: .875rem; }
.brief { background: #f4f6fa; border-radius: .5rem; padding: .75rem 1rem; margin: 1rem 0; }
.brief h2, .article h2 { font-size: 1rem; margin: 0 0 .5rem; text-transform: uppercase;
  letter-spacing: .05em; color: #444; }
.brief ol { margin: 0; padding-left: 1.25rem; }
.brief a { color: inherit; text-decoration: underline dotted; cursor: pointer; }
.paragraph { border-top: 1px solid #e3e3e3; padding: .5rem 0; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; padding: .25rem .5rem;
  border-radius: .25rem; scroll-margin-top: 2rem; }
.pair.flagged { background: var(--flag-bg); }
.pair.highlight { outline: 3px solid #1a5fb4; background: var(--mark); }
.de { color: #333; }
.marks { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: .25rem; }
.flag, .retry { font-size: .75rem; border-radius: 1rem; padding: 0 .5rem; border: 1px solid;
  background: #fff; cursor: pointer; }
.flag { color: var(--flag); }
.retry { color: var(--retry); cursor: default; }
mark.term { background: #e4eefb; color: inherit; border-bottom: 2px solid #1a5fb4; }
mark.term.missing { background: var(--flag-bg); border-bottom-color: var(--flag); }
.detail { grid-column: 1 / -1; font-size: .875rem; color: var(--flag); margin: 0; }
.detail[hidden] { display: none; }
footer pre { white-space: pre-wrap; font-size: .75rem; }
@media (max-width: 40rem) { .pair { grid-template-columns: 1fr; gap: .25rem; } }
"""

# Links each brief sentence to its segment, and opens a flag's detail on click.
_SCRIPT = """
document.addEventListener("click", function (event) {
  var link = event.target.closest("a[data-segment]");
  if (link) {
    event.preventDefault();
    var target = document.getElementById(link.getAttribute("data-segment"));
    if (!target) return;
    document.querySelectorAll(".pair.highlight").forEach(function (pair) {
      pair.classList.remove("highlight");
    });
    target.classList.add("highlight");
    target.scrollIntoView({behavior: "smooth", block: "center"});
    return;
  }
  var flag = event.target.closest("button.flag");
  if (flag) {
    var detail = document.getElementById(flag.getAttribute("aria-controls"));
    if (detail) {
      detail.hidden = !detail.hidden;
      flag.setAttribute("aria-expanded", String(!detail.hidden));
    }
  }
});
"""


def script_hash(script: str) -> str:
    """The Content-Security-Policy source that lets exactly this inline script run."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


_SCRIPT_SOURCE = script_hash(_SCRIPT)


def segment_id(paragraph: int, segment: int) -> str:
    """The HTML id of a segment's row, counted from 0 as in the JSON."""
    return f"p{paragraph}-s{segment}"


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _link(url: str | None) -> str:
    if not url or not url.lower().startswith(("http://", "https://")):
        return _text(url) if url else ""
    return f'<a href="{_text(url)}" rel="noreferrer noopener">{_text(url)}</a>'


def _brief(summary: Summary, support: Sequence[SentenceSupport], checks: Sequence[Check]) -> str:
    by_sentence: dict[int, list[Check]] = defaultdict(list)
    for check in checks:
        # A summary check's detail starts "brief sentence N: ..." (N from 1).
        head = check.detail.split(":", 1)[0]
        if head.startswith("brief sentence "):
            by_sentence[int(head.removeprefix("brief sentence "))].append(check)
    items = []
    for number, sentence in enumerate(support, start=1):
        target = segment_id(sentence.paragraph, sentence.segment)
        flags = "".join(
            f' <span class="flag" title="{_text(check.detail)}">{_text(check.kind)}</span>'
            for check in by_sentence.get(number, ())
        )
        items.append(
            f'<li><a href="#{target}" data-segment="{target}" '
            f'title="best support: {sentence.overlap:.0%} of its words">'
            f"{_text(sentence.sentence)}</a>{flags}</li>"
        )
    if not items and summary.text:
        items.append(f"<li>{_text(summary.text)}</li>")
    return (
        '<section class="brief" aria-label="Brief"><h2>Brief</h2>'
        f"<ol>{''.join(items)}</ol></section>"
    )


def _marked(text: str, spans: Sequence[tuple[int, int, str, bool]]) -> str:
    """`text` escaped, each (start, end, title, kept) span in a <mark>; overlaps skipped."""
    out, position = [], 0
    for start, end, title, kept in sorted(spans):
        if start < position:
            continue
        css = "term" if kept else "term missing"
        out += [
            _text(text[position:start]),
            f'<mark class="{css}" title="{_text(title)}">{_text(text[start:end])}</mark>',
        ]
        position = end
    out.append(_text(text[position:]))
    return "".join(out)


def _glossary_marks(segment: TranslatedSegment) -> tuple[str, str]:
    """The segment's German and English as HTML, the glossary's terms marked: in the
    German every hit (a missing one in red), in the English each kept term's English."""
    german = [
        (
            hit.start,
            hit.end,
            f"glossary: {hit.term.english}" + ("" if hit.kept else " (missing in the English)"),
            hit.kept,
        )
        for hit in segment.terms
    ]
    english = [
        (start, end, f"glossary: {hit.term.german}", True)
        for hit in {hit.term: hit for hit in segment.terms if hit.kept}.values()
        for start, end in english_spans(hit.term.english, segment.translation)
    ]
    return _marked(segment.source, german), _marked(segment.translation, english)


def _pairs(article: TranslatedArticle) -> str:
    flagged: dict[tuple[int, int], list[Check]] = defaultdict(list)
    for check in article.checks:
        if check.stage == "translation":
            flagged[(check.paragraph, check.segment)].append(check)
    sections = []
    for p, paragraph in enumerate(article.paragraphs):
        rows = []
        for s, segment in enumerate(paragraph.segments):
            checks = flagged.get((p, s), [])
            marks, details = [], []
            for n, check in enumerate(checks):
                detail_id = f"{segment_id(p, s)}-d{n}"
                marks.append(
                    f'<button type="button" class="flag" title="{_text(check.detail)}" '
                    f'aria-controls="{detail_id}" aria-expanded="false">'
                    f"{_text(check.kind)}</button>"
                )
                details.append(
                    f'<p class="detail" id="{detail_id}" hidden>{_text(check.kind)}: '
                    f"{_text(check.detail)}</p>"
                )
            if segment.retried:
                kept = segment.kept or "the first translation"
                marks.append(
                    f'<span class="retry" title="retried: {_text(", ".join(segment.retried))}">'
                    f"retried, kept {_text(kept)}</span>"
                )
            german, english = _glossary_marks(segment)
            rows.append(
                f'<div class="pair{" flagged" if checks else ""}" id="{segment_id(p, s)}">'
                f'<div class="de" lang="de">{german}</div>'
                f'<div class="en" lang="en">{english}</div>'
                + (f'<div class="marks">{"".join(marks)}</div>' if marks else "")
                + "".join(details)
                + "</div>"
            )
        sections.append(f'<section class="paragraph">{"".join(rows)}</section>')
    return (
        '<section class="article" aria-label="Translation"><h2>German and English</h2>'
        f"{''.join(sections)}</section>"
    )


def _how_it_was_made(article: TranslatedArticle, summary: Summary | None) -> str:
    made: dict[str, Any] = {
        "translation model": article.model,
        "revision": article.model_revision,
        "generation": article.settings,
    }
    if summary is not None:
        made.update(
            {
                "summary model": summary.model,
                "summary revision": summary.revision,
                "summary generation": summary.settings,
            }
        )
    return (
        f"<footer><p>Made by debrief {_text(__version__)}. Machine translation: check it "
        "before you quote it. Flags mark what the checks found; unflagged text can still "
        f"be wrong.</p><pre>{_text(json.dumps(made, indent=2, ensure_ascii=False))}</pre>"
        "</footer>"
    )


def render_review(
    article: TranslatedArticle,
    summary: Summary | None = None,
    summary_checks: Sequence[Check] = (),
    support: Sequence[SentenceSupport] = (),
) -> str:
    """The review page of a translation (and of its brief, when given), as one HTML file."""
    heading = article.title_translation or "Translation"
    meta = [_text(value) for value in (article.site, article.author, article.date) if value]
    if article.source_url:
        meta.append(_link(article.source_url))
    policy = (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src '{_SCRIPT_SOURCE}'; img-src 'none'; base-uri 'none'; "
        "form-action 'none'"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        f"<title>{_text(heading)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<header><h1>{_text(heading)}</h1>",
        f'<p class="de-title" lang="de">{_text(article.title)}</p>' if article.title else "",
        f'<p class="meta">{" · ".join(meta)}</p>' if meta else "",
        "</header>",
        _brief(summary, support, summary_checks) if summary is not None else "",
        _pairs(article),
        _how_it_was_made(article, summary),
        f"<script>{_SCRIPT}</script>",
        "</body></html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def render_debrief(debrief: Debrief) -> str:
    """The review page of one article's finished job: translation, brief and checks."""
    return render_review(
        debrief.translated, debrief.summary, debrief.summary_checks, debrief.support
    )
