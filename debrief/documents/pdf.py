"""PDF as an input: its text is read with pypdf (BSD) and translated; the English comes
out as text, Markdown, JSON or the review page, never as a PDF: a PDF's layout is
placed glyphs, not paragraphs, and is not kept.

A PDF holds lines, not paragraphs, so they are rebuilt: a blank line, or a line that
ends a sentence and falls short of the page's usual line length, ends a paragraph; a
word hyphenated at a line's end is joined again (when the next line goes on in lower
case); a paragraph goes on across a page
break when the page ends mid-sentence; page numbers and the running heads and feet
repeated on most pages are dropped.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from collections.abc import Sequence

from debrief.errors import InputError
from translate.article import Article

PDF_SUFFIX = ".pdf"
PDF_SIGNATURE = b"%PDF-"
_PAGE_NUMBER = re.compile(r"(?i)^(seite\s+)?[-–\s]*\d{1,4}(\s*(/|von)\s*\d{1,4})?[-–\s]*$")
_SENTENCE_END = re.compile(r"[.!?:;…][\"'“”‘’»«)\]]*$")
# A line shorter than this share of the page's usual line ends its paragraph (when it
# ends a sentence) or is a heading (when it does not).
_SHORT_LINE = 0.8


def _running_lines(pages: Sequence[list[str]]) -> set[str]:
    """Lines that stand at a page's top or bottom on most pages (heads and feet)."""
    if len(pages) < 3:
        return set()
    edges = Counter(line for lines in pages for line in set(lines[:2] + lines[-2:]))
    return {line for line, count in edges.items() if count > len(pages) / 2}


def _joined(previous: str, line: str) -> str:
    if re.search(r"\w-$", previous) and line[:1].islower():
        return previous[:-1] + line  # Bundes-/regierung
    return f"{previous} {line}"


def paragraphs_from_pages(page_texts: Sequence[str]) -> list[str]:
    """The paragraphs of a document given as each page's text, line by line."""
    pages = [[line.strip() for line in text.splitlines()] for text in page_texts]
    running = _running_lines([[line for line in lines if line] for lines in pages])
    # The usual length of a full line: most lines of running text are full, the short
    # ones end paragraphs or are headings.
    lengths = [len(line) for lines in pages for line in lines if line]
    usual = statistics.quantiles(lengths, n=5)[-1] if len(lengths) > 1 else 60
    paragraphs: list[str] = []
    current = ""

    def close() -> None:
        nonlocal current
        if current:
            paragraphs.append(current)
        current = ""

    for lines in pages:
        for line in lines:
            if not line:
                close()
                continue
            if line in running or _PAGE_NUMBER.match(line):
                continue
            short = len(line) < _SHORT_LINE * usual
            ends_sentence = bool(_SENTENCE_END.search(line))
            if short and not ends_sentence and not current and line[-1:] != "-":
                paragraphs.append(line)  # a heading
                continue
            current = _joined(current, line) if current else line
            if short and ends_sentence:
                close()
        if current and _SENTENCE_END.search(current):
            close()
    close()
    return [" ".join(paragraph.split()) for paragraph in paragraphs]


def article_from_pdf(data: bytes, name: str) -> Article:
    """The article of a PDF: its text layer's paragraphs; a one-line InputError for a
    damaged or password-protected PDF and for one without text (a scan)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{name} is password-protected; save it without a password")
        texts = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
        author = reader.metadata.author if reader.metadata else None
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise InputError(f"{name} could not be read as a PDF ({error})") from None
    except Exception as error:  # pypdf on a damaged file raises more than its own errors
        raise InputError(f"{name} could not be read as a PDF ({type(error).__name__})") from None
    paragraphs = tuple(paragraphs_from_pages(texts))
    if not paragraphs:
        raise InputError(
            f"{name} has no text layer (a scanned PDF?); debrief does not read images: "
            "run OCR on it first"
        )
    return Article(paragraphs=paragraphs, title=title or None, author=author or None)
