"""The document model: an article in, a translated article out, and the input parser.

Input format: an optional first line that holds only the article's URL (http or https),
then paragraphs separated by one or more blank lines. A single newline inside a paragraph
is a soft wrap and reads as a space, so hard-wrapped text translates as running prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from translate.glossary import TermHit

_URL_LINE = re.compile(r"https?://\S+")
_BLANK_LINES = re.compile(r"\n[ \t\f\v]*\n\s*")


@dataclass(frozen=True)
class Article:
    """A German article: its paragraphs in order, its source URL if known, and what a web
    page says about itself (title, author, date, site name), when it came from one."""

    paragraphs: tuple[str, ...]
    source_url: str | None = None
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site: str | None = None


@dataclass(frozen=True)
class Check:
    """One problem the faithfulness checks (translate/checks.py) flagged. `paragraph` and
    `segment` count from 0; `kind` is "number", "length", "name", "repetition",
    "glossary" or (for the brief) "unsupported"."""

    stage: str  # "translation" or "summary"
    paragraph: int
    segment: int
    kind: str
    detail: str


@dataclass(frozen=True)
class TranslatedSegment:
    """One source sentence and its translation. `pieces` > 1 when it was split to fit.

    `retried` names the retries made because the first translation was flagged, in
    order; `kept` the retry whose translation this is (None: the first one). `terms` are
    the glossary's terms found in the source, when there was a glossary.
    """

    source: str
    translation: str
    pieces: int = 1
    retried: tuple[str, ...] = ()
    kept: str | None = None
    terms: tuple[TermHit, ...] = ()


@dataclass(frozen=True)
class TranslatedParagraph:
    source: str
    segments: tuple[TranslatedSegment, ...]

    @property
    def translation(self) -> str:
        return " ".join(segment.translation for segment in self.segments if segment.translation)


@dataclass(frozen=True)
class TranslatedArticle:
    """A translated article with what is needed to reproduce it."""

    paragraphs: tuple[TranslatedParagraph, ...]
    source_url: str | None = None
    model: str = ""
    model_revision: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()  # what translate.checks flagged
    title: str | None = None  # the German title of a web page, and its translation
    title_translation: str | None = None
    author: str | None = None
    date: str | None = None
    site: str | None = None

    @property
    def segment_count(self) -> int:
        return sum(len(paragraph.segments) for paragraph in self.paragraphs)

    @property
    def retries(self) -> tuple[Retry, ...]:
        """Where segments were translated again because their first translation was
        flagged, what was tried and what was kept, in document order."""
        return tuple(
            Retry(paragraph_index, segment_index, segment.retried, segment.kept)
            for paragraph_index, paragraph in enumerate(self.paragraphs)
            for segment_index, segment in enumerate(paragraph.segments)
            if segment.retried
        )


@dataclass(frozen=True)
class Retry:
    """A flagged segment translated again: its place (from 0), the retries made, and the
    retry whose translation was kept (None: the first translation)."""

    paragraph: int
    segment: int
    tried: tuple[str, ...]
    kept: str | None


# Control characters other than tab and line ends carry nothing in news text, and read
# raw they would reach a terminal or a page (an escape sequence in a URL line); they read
# as spaces, one for one.
CONTROLS_AS_SPACES = {
    code: " " for code in [*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), *range(0x7F, 0xA0)]
}


def parse_article(text: str) -> Article:
    """Parse article text (see the module docstring for the format) into an `Article`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = text.translate(CONTROLS_AS_SPACES)
    lines = text.lstrip("\n").split("\n", 1)
    source_url = None
    if _URL_LINE.fullmatch(lines[0].strip()):
        source_url = lines[0].strip()
        text = lines[1] if len(lines) > 1 else ""
    paragraphs = tuple(block.strip() for block in _BLANK_LINES.split(text) if block.strip())
    return Article(paragraphs=paragraphs, source_url=source_url)
