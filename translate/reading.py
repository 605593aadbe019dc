"""Read an input: a file's bytes (or standard input's), checked without reading first,
decoded into text, parsed into an `Article`; or refused with a reason and a remedy.

German text arrives as UTF-8 (with or without a byte-order mark), UTF-16 from Windows
tools, or cp1252/latin-1 from older systems, and scraped files often mix UTF-8 with
cp1252 bytes. We decode UTF-8 and read each byte that is not valid UTF-8 as cp1252: a pure
cp1252 file and a mixed one both come out right, because German cp1252 text almost never
forms valid UTF-8 sequences by accident.
"""

from __future__ import annotations

import codecs
import functools
import os
import stat
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from debrief.errors import InputError
from translate.article import Article, parse_article

# Longest first: the UTF-32 little-endian mark begins with the UTF-16 one.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_FALLBACK_ERRORS = "debrief-cp1252"
# Five bytes cp1252 leaves undefined; latin-1 reads them as control characters.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
# Control characters that ordinary text holds; any other in more than this share of the
# characters means binary data, not an article.
_TEXT_CONTROLS = frozenset("\n\r\t\f\v")
MAX_CONTROL_SHARE = 0.01


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # what was found: "utf-8", "utf-16", "cp1252", "utf-8+cp1252", ...


def _read_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    text = "".join(
        chr(byte) if byte in _CP1252_UNDEFINED else bytes([byte]).decode("cp1252") for byte in bad
    )
    return text, error.end


@functools.cache
def _register_fallback() -> None:
    codecs.register_error(_FALLBACK_ERRORS, _read_as_cp1252)


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    controls = sum(
        1 for char in text if char not in _TEXT_CONTROLS and unicodedata.category(char) == "Cc"
    )
    return controls > MAX_CONTROL_SHARE * max(len(text), 1)


def _decode_auto(data: bytes) -> DecodedText:
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return DecodedText(data.decode(encoding), encoding.removesuffix("-sig"))
    if b"\x00" in data:
        raise ValueError("binary")  # UTF-16 without a mark is not supported; NULs mean binary
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    _register_fallback()
    text = data.decode("utf-8", errors=_FALLBACK_ERRORS)
    try:
        if data.decode("cp1252") == text:
            return DecodedText(text, "cp1252")
    except UnicodeDecodeError:
        pass
    return DecodedText(text, "utf-8+cp1252")


def decode_input(data: bytes, name: str, encoding: str | None = None) -> DecodedText:
    """Decode an input file's bytes; `encoding` forces one (any Python codec name).

    Raises InputError for binary data and for bytes that do not fit a forced encoding.
    Line ends are left as they are; the parser normalises them.
    """
    if encoding:
        try:
            decoded = DecodedText(data.decode(encoding), encoding)
        except LookupError:
            raise InputError(
                f"{name}: unknown encoding '{encoding}'; try utf-8, utf-16, cp1252 or latin-1"
            ) from None
        except UnicodeDecodeError as error:
            raise InputError(
                f"{name}: not valid {encoding} at byte {error.start}; check --encoding "
                "or leave it out to detect the encoding"
            ) from None
    else:
        try:
            decoded = _decode_auto(data)
        except (ValueError, UnicodeDecodeError):
            decoded = None
    if decoded is None or _looks_binary(decoded.text):
        raise InputError(f"{name}: looks like binary data, not text; pass a plain-text article")
    return decoded


# Inputs are read whole; a news article is a few KB and a large dump some MB. Past this,
# the input is far more likely a mistake (/dev/zero, a disk image) than an article.
MAX_INPUT_BYTES = 50 * 1024 * 1024


def megabytes(size: int) -> str:
    """A size as the limit messages write it (MiB, as --max-input-mb counts; bytes under
    100 kB, where a tenth of a megabyte would round them to 0.0)."""
    return f"{size:,} bytes" if size < 100_000 else f"{size / 1024 / 1024:.1f} MB"


def size_over_limit(size: int, limit: int) -> str:
    """ "SIZE is more than the LIMIT", in bytes where megabytes would write both alike."""
    written, allowed = megabytes(size), megabytes(limit)
    if written == allowed:
        written, allowed = f"{size:,} bytes", f"{limit:,} bytes"
    return f"{written} is more than the {allowed}"


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
            f"{path}: {size_over_limit(info.st_size, max_bytes)} an input may hold; raise "
            "the limit with --max-input-mb"
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
