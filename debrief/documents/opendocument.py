"""OpenDocument text (.odt) and presentations (.odp) in and out, read with lxml.

The article is the paragraphs and headings of the document's body (tables, lists, text
boxes, footnotes and a presentation's slides and speaker notes included), then those of
its page headers and footers; the translated document is the same package with only
content.xml and styles.xml rewritten, each paragraph's English where its first piece of
text was (debrief/documents/xml_text.py), so styles, pictures, tables and the rest stay.
Annotations (comments) and tracked deletions are not translated.
"""

from __future__ import annotations

from typing import Any

from debrief.documents.packages import open_package, read_part, replaced_parts
from debrief.documents.slots import paired
from debrief.documents.xml_text import (
    TextLayout,
    own_text,
    paragraph_elements,
    parse_xml,
    replace_own_text,
    serialize_xml,
)
from debrief.errors import InputError
from translate.article import Article, TranslatedArticle

MEDIA_TYPES = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
_NAMESPACES = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}


def _names(*qualified: str) -> frozenset[str]:
    tags = set()
    for name in qualified:
        prefix, local = name.split(":")
        tags.add(f"{{{_NAMESPACES[prefix]}}}{local}")
    return frozenset(tags)


LAYOUT = TextLayout(
    paragraphs=_names("text:p", "text:h"),
    apart=_names("text:note", "draw:frame", "draw:custom-shape", "draw:text-box"),
    skipped=_names("office:annotation", "text:tracked-changes", "text:note-citation"),
    spaces=_names("text:s", "text:tab", "text:line-break"),
)
_HEADERS_AND_FOOTERS = (
    ".//style:master-page/style:header",
    ".//style:master-page/style:header-left",
    ".//style:master-page/style:header-first",
    ".//style:master-page/style:footer",
    ".//style:master-page/style:footer-left",
    ".//style:master-page/style:footer-first",
)


def opendocument_suffix(mimetype: bytes) -> str | None:
    """ ".odt" or ".odp" for what an OpenDocument package's mimetype entry says, else None."""
    for suffix, media_type in MEDIA_TYPES.items():
        if mimetype.strip() == media_type.encode():
            return suffix
    return None


class _Parts:
    """The package's content and styles parsed, with the paragraphs of each."""

    def __init__(self, data: bytes, name: str, suffix: str) -> None:
        self.archive = open_package(data, name, kind=suffix, main_part="content.xml")
        try:
            self.content = _parse(read_part(self.archive, "content.xml", name), name)
            names = set(self.archive.namelist())
            self.styles = (
                _parse(read_part(self.archive, "styles.xml", name), name)
                if "styles.xml" in names
                else None
            )
            self.meta = (
                _parse(read_part(self.archive, "meta.xml", name), name)
                if "meta.xml" in names
                else None
            )
        except InputError:
            self.archive.close()
            raise
        body = self.content.find("office:body", _NAMESPACES)
        self.paragraphs = paragraph_elements(body, LAYOUT) if body is not None else []
        if self.styles is not None:
            for path in _HEADERS_AND_FOOTERS:
                for region in self.styles.iterfind(path, _NAMESPACES):
                    self.paragraphs += paragraph_elements(region, LAYOUT)

    def metadata(self, field: str) -> str | None:
        if self.meta is None:
            return None
        found = self.meta.find(f".//{field}", _NAMESPACES)
        text = " ".join((found.text or "").split()) if found is not None else ""
        return text or None


def _parse(data: bytes, name: str) -> Any:
    try:
        return parse_xml(data)
    except Exception as error:  # lxml's XMLSyntaxError and its kin
        raise InputError(f"{name} could not be read: a part is damaged ({error})") from None


def article_from_opendocument(data: bytes, name: str, suffix: str) -> Article:
    """The article of an .odt or .odp: each paragraph that holds text, in order."""
    parts = _Parts(data, name, suffix)
    with parts.archive:
        paragraphs = tuple(own_text(paragraph, LAYOUT) for paragraph in parts.paragraphs)
        if not paragraphs:
            raise InputError(f"{name} holds no text to translate")
        title = parts.metadata("dc:title")
        author = parts.metadata("dc:creator") or parts.metadata("meta:initial-creator")
    return Article(paragraphs=paragraphs, title=title, author=author)


def translated_opendocument(
    data: bytes, name: str, suffix: str, translated: TranslatedArticle
) -> bytes:
    """The .odt or .odp `data` with its paragraphs (as `article_from_opendocument` lists
    them) in the English of `translated`; everything else as it was."""
    parts = _Parts(data, name, suffix)
    with parts.archive:
        for paragraph, translation in paired(parts.paragraphs, translated, name):
            replace_own_text(paragraph, translation, LAYOUT)
        rewritten = {"content.xml": serialize_xml(parts.content)}
        if parts.styles is not None:
            rewritten["styles.xml"] = serialize_xml(parts.styles)
        return replaced_parts(parts.archive, rewritten)
