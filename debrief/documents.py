"""Word documents (.docx) in and out: the article is the document's paragraphs (body,
tables, headers and footers, in that order), and the translated document is the same
file with each paragraph's text replaced by its translation, so styles, tables, images,
headers and the rest stay as they were. Read with python-docx (MIT).

A paragraph's translation takes the formatting of its first run of text (a word set
bold inside a sentence cannot be placed in the English); its other runs of text are
emptied, runs holding only a picture or a field are kept.

What is refused, in one line, before anything is written: a file that is not a
document (no zip, no word/document.xml), one saved with a password (an encrypted Office
file is an OLE container, not a zip), one with macros (.docm: vbaProject.bin), and one
whose parts unpack to more than MAX_UNPACKED_BYTES or more than MAX_PACKING_RATIO times
their packed size (a zip bomb).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

from debrief.errors import InputError, UsageError
from translate.article import Article, TranslatedArticle

DOCX_SUFFIX = ".docx"
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PACKING_RATIO = 200
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def looks_like_docx(data: bytes) -> bool:
    """Whether `data` is a zip holding a Word document's main part."""
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def check_docx(data: bytes, name: str) -> None:
    """Raise a one-line InputError for a document debrief will not open."""
    if data.startswith(_OLE_SIGNATURE):
        raise InputError(
            f"{name} is password-protected or an old .doc file; save it as an unprotected "
            ".docx and try again"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(
            f"{name} is not a .docx document (not a zip file); is it damaged?"
        ) from None
    with archive:
        entries = archive.infolist()
        names = {entry.filename for entry in entries}
        if "word/document.xml" not in names:
            raise InputError(f"{name} is a zip file but no Word document (no word/document.xml)")
        if any(entry.endswith("vbaProject.bin") for entry in names):
            raise InputError(
                f"{name} holds macros; debrief does not open documents with macros: save it "
                "as a .docx without them"
            )
        unpacked = sum(entry.file_size for entry in entries)
        packed = max(sum(entry.compress_size for entry in entries), 1)
        if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_PACKING_RATIO * packed:
            raise InputError(
                f"{name} unpacks to {unpacked / 1024 / 1024:,.0f} MB from "
                f"{packed / 1024 / 1024:,.1f} MB; debrief does not open documents that large "
                "or that packed"
            )


def _open(data: bytes, name: str) -> Any:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_docx(data, name)
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise InputError(f"{name} could not be read as a .docx document ({error})") from None
    except Exception as error:  # a damaged part: python-docx raises lxml's and others
        raise InputError(
            f"{name} could not be read as a .docx document ({type(error).__name__})"
        ) from None


def _cells_paragraphs(tables: Sequence[Any]) -> Iterator[Any]:
    for table in tables:
        for row in table.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell is listed once per column it spans
                    continue
                seen.add(id(cell._tc))
                yield from cell.paragraphs
                yield from _cells_paragraphs(cell.tables)


def document_paragraphs(document: Any) -> list[Any]:
    """The document's paragraphs that hold text: the body's, its tables' (nested ones
    too), then each section's headers and footers (each once)."""
    paragraphs = list(document.paragraphs)
    paragraphs += list(_cells_paragraphs(document.tables))
    seen_parts = set()
    for section in document.sections:
        for part in (section.header, section.footer):
            if part.is_linked_to_previous or id(part.part) in seen_parts:
                continue
            seen_parts.add(id(part.part))
            paragraphs += list(part.paragraphs) + list(_cells_paragraphs(part.tables))
    return [paragraph for paragraph in paragraphs if paragraph.text.strip()]


def article_from_docx(data: bytes, name: str) -> Article:
    """The article of a .docx: each paragraph that holds text, in document order."""
    document = _open(data, name)
    paragraphs = tuple(" ".join(p.text.split()) for p in document_paragraphs(document))
    if not paragraphs:
        raise InputError(f"{name} holds no text to translate")
    title = document.core_properties.title or None
    author = document.core_properties.author or None
    return Article(paragraphs=paragraphs, title=title or None, author=author)


def _text_runs(paragraph: Any) -> list[Any]:
    """The paragraph's runs that hold text, in order, those inside hyperlinks too."""
    runs = []
    for item in paragraph.iter_inner_content():
        runs += [run for run in getattr(item, "runs", [item]) if run.text]
    return runs


def _replace_text(paragraph: Any, translation: str) -> None:
    runs = _text_runs(paragraph)
    if not runs:  # text only in a field python-docx does not show as a run
        paragraph.add_run(translation)
        return
    runs[0].text = translation
    for run in runs[1:]:
        run.text = ""


def translated_docx(data: bytes, name: str, translated: TranslatedArticle) -> bytes:
    """The .docx `data` with its paragraphs (as `article_from_docx` lists them) replaced
    by the translations of `translated` (the article read from it), in order;
    everything else as it was."""
    document = _open(data, name)
    paragraphs = document_paragraphs(document)
    translations = [paragraph.translation for paragraph in translated.paragraphs]
    if len(paragraphs) != len(translations):
        raise UsageError(
            f"{name}: {len(paragraphs)} paragraphs but {len(translations)} translations"
        )
    for paragraph, translation in zip(paragraphs, translations, strict=True):
        _replace_text(paragraph, translation)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
