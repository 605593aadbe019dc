"""Turn the bytes of an input file into text, or refuse them with a reason.

German text arrives as UTF-8 (with or without a byte-order mark), UTF-16 from Windows
tools, or cp1252/latin-1 from older systems, and scraped files often mix UTF-8 with
cp1252 bytes. We decode UTF-8 and read each byte that is not valid UTF-8 as cp1252: a pure
cp1252 file and a mixed one both come out right, because German cp1252 text almost never
forms valid UTF-8 sequences by accident.
"""

from __future__ import annotations

import codecs
import functools
import unicodedata
from dataclasses import dataclass

from debrief.errors import InputError

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
