"""Documents in and out: Word (.docx), PowerPoint (.pptx), OpenDocument text and
presentations (.odt, .odp), e-books (.epub), each read as an article and written back
in English with its layout kept; and PDF, whose text is read and translated but whose
layout is not kept (its English is text, Markdown, JSON or the review page).

One module per format; this one knows them all and tells them apart, by their content
first and by their names' suffixes second.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from debrief.documents import epub, opendocument, pdf, slides, word
from debrief.documents.packages import zip_member, zip_names
from translate.article import Article, TranslatedArticle


@dataclass(frozen=True)
class DocumentFormat:
    """A kind of document debrief reads: how to read its article and, unless its layout
    cannot be kept (PDF), how to put the English back into it."""

    suffix: str
    label: str  # what a reader calls it: "Word document"
    media_type: str
    read: Callable[[bytes, str], Article]
    write: Callable[[bytes, str, TranslatedArticle], bytes] | None


def _opendocument(suffix: str, label: str) -> DocumentFormat:
    return DocumentFormat(
        suffix,
        label,
        opendocument.MEDIA_TYPES[suffix],
        lambda data, name: opendocument.article_from_opendocument(data, name, suffix),
        lambda data, name, translated: opendocument.translated_opendocument(
            data, name, suffix, translated
        ),
    )


DOCUMENT_FORMATS = {
    ".docx": DocumentFormat(
        ".docx", "Word document", word.MEDIA_TYPE, word.article_from_docx, word.translated_docx
    ),
    ".pptx": DocumentFormat(
        ".pptx",
        "PowerPoint presentation",
        slides.MEDIA_TYPE,
        slides.article_from_pptx,
        slides.translated_pptx,
    ),
    ".odt": _opendocument(".odt", "OpenDocument text"),
    ".odp": _opendocument(".odp", "OpenDocument presentation"),
    ".epub": DocumentFormat(
        ".epub", "e-book", epub.MEDIA_TYPE, epub.article_from_epub, epub.translated_epub
    ),
    ".pdf": DocumentFormat(".pdf", "PDF", "application/pdf", pdf.article_from_pdf, None),
}
# The formats whose English comes back as the same kind of document.
LAYOUT_KEEPING_SUFFIXES = tuple(s for s, f in DOCUMENT_FORMATS.items() if f.write is not None)


def _suffix_of_content(data: bytes) -> str | None:
    if data.startswith(pdf.PDF_SIGNATURE):
        return ".pdf"
    names = zip_names(data)
    if not names:
        return None
    if word.MAIN_PART in names:
        return ".docx"
    if slides.MAIN_PART in names:
        return ".pptx"
    if "mimetype" in names:
        mimetype = zip_member(data, "mimetype", 100)
        if mimetype.strip() == epub.MEDIA_TYPE.encode():
            return ".epub"
        return opendocument.opendocument_suffix(mimetype)
    return None


def document_format(data: bytes, name: str) -> DocumentFormat | None:
    """The format of `data`: what its content shows, else what `name`'s suffix says
    (so that a damaged .docx is refused as one), else None (text or HTML)."""
    suffix = _suffix_of_content(data) or PurePath(name).suffix.lower()
    return DOCUMENT_FORMATS.get(suffix)
