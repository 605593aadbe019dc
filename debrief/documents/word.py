"""Word documents (.docx) in and out: the article is the document's paragraphs (body,
tables, headers and footers, in that order), and the translated document is the same
file with each paragraph's text replaced by its translation, so styles, tables, images,
headers and the rest stay as they were. Read with python-docx (MIT).

A paragraph's translation takes the formatting of its first run of text (a word set
bold inside a sentence cannot be placed in the English); its other runs of text are
emptied, runs holding only a picture or a field are kept.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import Any

from debrief.documents.packages import load_package
from debrief.documents.slots import paired
from debrief.errors import InputError
from translate.article import Article, TranslatedArticle

DOCX_SUFFIX = ".docx"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAIN_PART = "word/document.xml"


def _open(data: bytes, name: str) -> Any:
    import docx

    return load_package(data, name, kind=DOCX_SUFFIX, main_part=MAIN_PART, load=docx.Document)


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
    for paragraph, translation in paired(paragraphs, translated, name):
        _replace_text(paragraph, translation)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
