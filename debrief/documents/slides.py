"""PowerPoint presentations (.pptx) in and out, read with python-pptx (MIT).

The article is every paragraph of text on the slides, in slide order (text boxes and
placeholders, tables, grouped shapes), each slide's speaker notes after it; the
translated presentation is the same file with each paragraph's text in English, which
takes the formatting of its first run. Charts, SmartArt and the masters' placeholder
prompts are not translated.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from debrief.documents.packages import load_package
from debrief.documents.slots import paired
from debrief.errors import InputError
from translate.article import Article, TranslatedArticle

PPTX_SUFFIX = ".pptx"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
MAIN_PART = "ppt/presentation.xml"


def _open(data: bytes, name: str) -> Any:
    import pptx

    return load_package(data, name, kind=PPTX_SUFFIX, main_part=MAIN_PART, load=pptx.Presentation)


def _shape_paragraphs(shapes: Any) -> Iterator[Any]:
    for shape in shapes:
        if getattr(shape, "shape_type", None) is not None and hasattr(shape, "shapes"):
            yield from _shape_paragraphs(shape.shapes)  # a group
        if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            yield from shape.text_frame.paragraphs
        if getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                for cell in row.cells:
                    if not cell.is_spanned:  # a merged cell's text is in its origin
                        yield from cell.text_frame.paragraphs


def presentation_paragraphs(presentation: Any) -> list[Any]:
    """The presentation's paragraphs that hold text: each slide's, then its notes'."""
    paragraphs: list[Any] = []
    for slide in presentation.slides:
        paragraphs += _shape_paragraphs(slide.shapes)
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            paragraphs += slide.notes_slide.notes_text_frame.paragraphs
    return [paragraph for paragraph in paragraphs if paragraph.text.strip()]


def article_from_pptx(data: bytes, name: str) -> Article:
    """The article of a .pptx: each paragraph that holds text, slide by slide."""
    presentation = _open(data, name)
    paragraphs = tuple(" ".join(p.text.split()) for p in presentation_paragraphs(presentation))
    if not paragraphs:
        raise InputError(f"{name} holds no text to translate")
    properties = presentation.core_properties
    return Article(
        paragraphs=paragraphs, title=properties.title or None, author=properties.author or None
    )


def translated_pptx(data: bytes, name: str, translated: TranslatedArticle) -> bytes:
    """The .pptx `data` with its paragraphs (as `article_from_pptx` lists them) in the
    English of `translated`; everything else as it was."""
    presentation = _open(data, name)
    paragraphs = presentation_paragraphs(presentation)
    for paragraph, translation in paired(paragraphs, translated, name):
        runs = [run for run in paragraph.runs if run.text]
        if not runs:  # text only in a field (a slide number): left as it is
            continue
        runs[0].text = translation
        for run in runs[1:]:
            run.text = ""
    output = io.BytesIO()
    presentation.save(output)
    return output.getvalue()
