"""The document model: an article in, a translated article out, and the input parser.

Input format: an optional first line that holds only the article's URL (http or https),
then paragraphs separated by one or more blank lines. A single newline inside a paragraph
is a soft wrap and reads as a space, so hard-wrapped text translates as running prose.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from debrief.errors import InputError
from translate.reading import decode_input

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
    `segment` count from 0; `kind` is "number", "length", "name", "repetition" or
    (for the brief) "unsupported"."""

    stage: str  # "translation" or "summary"
    paragraph: int
    segment: int
    kind: str
    detail: str


@dataclass(frozen=True)
class TranslatedSegment:
    """One source sentence and its translation. `pieces` > 1 when it was split to fit.

    `retried` names the retries made because the first translation was flagged, in
    order; `kept` the retry whose translation this is (None: the first one).
    """

    source: str
    translation: str
    pieces: int = 1
    retried: tuple[str, ...] = ()
    kept: str | None = None


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


# Inputs are read whole; a news article is a few KB and a large dump some MB. Past this,
# the input is far more likely a mistake (/dev/zero, a disk image) than an article.
MAX_INPUT_BYTES = 50 * 1024 * 1024
# Control characters other than tab and line ends carry nothing in news text, and read
# raw they would reach a terminal or a page (an escape sequence in a URL line); they read
# as spaces, one for one.
CONTROLS_AS_SPACES = {
    code: " " for code in [*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), *range(0x7F, 0xA0)]
}


def megabytes(size: int) -> str:
    """A size as the limit messages write it (MiB, as --max-input-mb counts)."""
    return f"{size / 1024 / 1024:.1f} MB"


def check_input_file(path: str | Path, max_bytes: int = MAX_INPUT_BYTES) -> None:
    """Refuse an input that is missing, not a regular file, unreadable or too large,
    without reading it (a FIFO would block, /dev/zero never end)."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror}); check the path") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path}: is a directory; pass an article file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"{path}: is not a regular file (a pipe or device); save the article to a file, "
            "or pipe it into standard input as -"
        )
    if not os.access(path, os.R_OK):
        raise InputError(f"{path}: permission denied; check the file's permissions")
    if info.st_size > max_bytes:
        raise InputError(
            f"{path}: {megabytes(info.st_size)} is more than the {megabytes(max_bytes)} "
            "an input may hold; raise the limit with --max-input-mb"
        )


def read_input_bytes(path: str | Path, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of an input file, or of standard input for "-", at most `max_bytes`."""
    if str(path) == "-":
        stream = getattr(sys.stdin, "buffer", None)
        try:
            data = stream.read(max_bytes + 1) if stream is not None else None
        except (OSError, ValueError):
            data = None
        if data is None:
            raise InputError("standard input is closed; pass an article file, or pipe one in")
        if len(data) > max_bytes:
            raise InputError(
                f"standard input holds more than the {megabytes(max_bytes)} an input may "
                "hold; raise the limit with --max-input-mb"
            )
        return data
    path = Path(path)
    check_input_file(path, max_bytes)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except PermissionError:
        raise InputError(f"{path}: permission denied; check the file's permissions") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    if len(data) > max_bytes:  # it grew since it was checked
        raise InputError(f"{path}: more than {megabytes(max_bytes)}; raise --max-input-mb")
    return data


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


def read_article(
    path: str | Path, encoding: str | None = None, max_bytes: int = MAX_INPUT_BYTES
) -> Article:
    """Read and parse an article file ("-": standard input); the encoding is detected
    unless `encoding` is given.

    Raises InputError, with the reason and the remedy, for a missing path, a directory,
    a pipe or device, an unreadable file, more than `max_bytes`, binary data, and a file
    with no text to translate.
    """
    name = "standard input" if str(path) == "-" else str(path)
    return article_from_text(read_input_bytes(path, max_bytes), name, encoding)


def article_from_text(data: bytes, name: str, encoding: str | None = None) -> Article:
    """Decode and parse an article's bytes (`name` for messages); InputError if no text."""
    article = parse_article(decode_input(data, name, encoding).text)
    if not article.paragraphs:
        if article.source_url:
            raise InputError(f"{name}: holds only a URL; add the article's text below it")
        what = "is empty" if not data else "holds only whitespace"
        raise InputError(f"{name}: {what}; there is no text to translate")
    return article
