"""The digest's files: digest.json (one entry per story), digest.md and digest.html
(one page to read them all: newest first under a heading for each day, each story's
English headline, outlet, time, brief and flags, with links to its review page, its
English text and the original; near-identical stories from other outlets under the
earliest of them).

The page follows the review page's rules: every piece of text from a feed or an article
is escaped, links are only http(s) or the story's own files, and a Content-Security-
Policy allows no script, image, font or frame at all.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from html import escape
from typing import Any
from urllib.parse import quote

from debrief import __version__
from debrief.outputs.formats import markdown_link, markdown_text

_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 48rem; padding: 1rem;
  color: #1b1b1b; background: #fff; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
article { border-top: 1px solid #e3e3e3; padding: .75rem 0; }
.day > h2 { font-size: 1rem; margin: 1.5rem 0 0; text-transform: uppercase;
  letter-spacing: .04em; color: #555; }
article h3 { font-size: 1.125rem; margin: 0 0 .25rem; }
.meta, footer { color: #555; font-size: .875rem; }
.brief { margin: .25rem 0; }
.de { color: #555; margin: 0; font-style: italic; }
.flags { color: #b3261e; font-size: .875rem; }
.links a { margin-right: .75rem; font-size: .875rem; }
.also { color: #555; font-size: .875rem; margin: .25rem 0 0; }
.same { margin: .5rem 0 0 1rem; padding-left: .75rem; border-left: 3px solid #e3e3e3; }
.same h4 { font-size: 1rem; margin: 0 0 .25rem; }
.same-note { color: #555; font-size: .875rem; margin: .5rem 0 0; }
"""
_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; "
    "form-action 'none'"
)


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _web_link(url: str | None, label: str) -> str:
    if not url or not url.lower().startswith(("http://", "https://")):
        return ""
    return f'<a href="{_text(url)}" target="_blank" rel="noreferrer noopener">{_text(label)}</a>'


def _file_link(name: str | None, label: str) -> str:
    return f'<a href="{_text(quote(name))}">{_text(label)}</a>' if name else ""


def newest_first(stories: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stories by their time (published, else done), newest first."""
    return sorted(stories, key=_time, reverse=True)


def _when(iso: str | None) -> str | None:
    """2026-12-01T08:00:00Z as 2026-12-01 08:00 UTC."""
    if not iso or len(iso) < 16:
        return iso
    return f"{iso[:10]} {iso[11:16]} UTC"


def _flags(story: dict[str, Any]) -> str:
    kinds = story.get("flags") or {}
    return ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))


def grouped(stories: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The stories in groups (near-identical ones share `group`), the group with the
    newest story first; in a group, the earliest report, then the others newest first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for story in newest_first(stories):
        key = story.get("group") or story.get("stem") or story.get("url")
        groups.setdefault(key, []).append(story)
    ordered = []
    for members in groups.values():
        first = members[-1]  # the earliest: the members are newest first
        ordered.append([first, *members[:-1]])
    return ordered


def _story_html(story: dict[str, Any], heading: str) -> str:
    files = story.get("files") or {}
    headline = story.get("headline") or story.get("title") or story.get("url")
    meta = " · ".join(
        _text(value) for value in (story.get("outlet"), _when(story.get("published"))) if value
    )
    german = story.get("title") if story.get("headline") else None
    flags = _flags(story)
    also = story.get("also") or []
    links = "".join(
        part
        for part in (
            _file_link(files.get("review"), "review page"),
            _file_link(files.get("translation"), "English text"),
            _web_link(story.get("url"), "original"),
        )
        if part
    )
    also_links = ", ".join(
        _web_link(entry.get("url"), entry.get("outlet") or entry.get("url")) for entry in also
    )
    return (
        f"<{heading}>{_text(headline)}</{heading}>"
        + (f'<p class="de" lang="de">{_text(german)}</p>' if german else "")
        + (f'<p class="meta">{meta}</p>' if meta else "")
        + f'<p class="brief">{_text(story.get("brief") or "")}</p>'
        + (f'<p class="flags">checks flagged: {_text(flags)}</p>' if flags else "")
        + f'<p class="links">{links}</p>'
        + (f'<p class="also">also: {also_links}</p>' if also else "")
    )


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _time(story: dict[str, Any]) -> str:
    return story.get("published") or story.get("done") or ""


def by_day(
    stories: Sequence[dict[str, Any]],
) -> list[tuple[str, list[list[dict[str, Any]]]]]:
    """The groups of `grouped`, under the day of each group's newest story ("Tuesday
    1 December 2026", in UTC; "Undated"), the newest day first."""
    days: dict[str, list[list[dict[str, Any]]]] = {}
    for group in grouped(stories):
        days.setdefault(max(_time(story) for story in group)[:10], []).append(group)
    return [(_day(date), groups) for date, groups in days.items()]


def _day(date: str) -> str:
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        return "Undated"
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def render_digest_html(stories: Sequence[dict[str, Any]]) -> str:
    days = []
    for day, groups in by_day(stories):
        articles = []
        for first, *others in groups:
            same = "".join(
                f'<section class="same">{_story_html(story, "h4")}</section>' for story in others
            )
            if others:
                count = len(others)
                same = (
                    f'<p class="same-note">The same story, near word for word, from {count} '
                    f"more {'report' if count == 1 else 'reports'}:</p>{same}"
                )
            articles.append(f"<article>{_story_html(first, 'h3')}{same}</article>")
        days.append(f'<section class="day"><h2>{_text(day)}</h2>{"".join(articles)}</section>')
    body = "".join(days) or "<p>No stories yet.</p>"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">'
        f"<title>Digest</title><style>{_STYLE}</style></head><body>"
        f'<header><h1>Digest</h1><p class="meta">{len(stories)} '
        f"{'story' if len(stories) == 1 else 'stories'}</p></header>"
        f"{body}"
        f"<footer><p>Made by debrief {_text(__version__)}. Machine translation and machine "
        "briefs: check a story before you quote it.</p></footer></body></html>\n"
    )


def _story_markdown(story: dict[str, Any], heading: str) -> str:
    headline = story.get("headline") or story.get("title") or story.get("url") or ""
    meta = " · ".join(str(v) for v in (story.get("outlet"), _when(story.get("published"))) if v)
    lines = [f"{heading} {markdown_text(headline)}"]
    if meta:
        lines.append(markdown_text(meta))
    lines.append(markdown_text(story.get("brief") or ""))
    if _flags(story):
        lines.append(f"Checks flagged: {markdown_text(_flags(story))}")
    files = story.get("files") or {}
    parts = [f"[review page]({quote(files['review'])})"] if files.get("review") else []
    if story.get("url"):
        parts.append(f"original: {markdown_link(story['url'])}")
    lines.append(" · ".join(parts))
    return "\n\n".join(line for line in lines if line)


def render_digest_markdown(stories: Sequence[dict[str, Any]]) -> str:
    blocks = ["# Digest"]
    for day, groups in by_day(stories):
        blocks.append(f"## {day}")
        for first, *others in groups:
            blocks.append(_story_markdown(first, "###"))
            if others:
                blocks.append("The same story, near word for word, from:")
                blocks += [_story_markdown(story, "####") for story in others]
    return "\n\n".join(blocks) + "\n"


def render_digest_json(stories: Sequence[dict[str, Any]]) -> str:
    record = {"debrief_version": __version__, "stories": newest_first(stories)}
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"
