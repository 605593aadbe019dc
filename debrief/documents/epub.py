"""E-books (.epub, versions 2 and 3) in and out, read with the standard library's
zipfile and lxml: the book's package file names its content documents and their order,
and each is XHTML.

The article is the paragraphs, headings, list items, table cells and captions of the
content documents in reading order (then those outside it, such as the table of
contents); the translated book is the same package with only those documents rewritten,
each paragraph's English where its first piece of text was (xml_text.py), so styles,
pictures, links and metadata stay. Code, preformatted text, scripts, SVG and MathML are
not translated.
"""

from __future__ import annotations

import posixpath
from typing import Any
from urllib.parse import unquote

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

EPUB_SUFFIX = ".epub"
MEDIA_TYPE = "application/epub+zip"
_CONTAINER = "META-INF/container.xml"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
_CONTAINER_NAMESPACES = {"c": "urn:oasis:names:tc:opendocument:xmlns:container"}


def _xhtml(*names: str) -> frozenset[str]:
    return frozenset(_XHTML + name for name in names)


LAYOUT = TextLayout(
    paragraphs=_xhtml(
        *"p h1 h2 h3 h4 h5 h6 li dt dd td th caption figcaption blockquote div".split()
    ),
    apart=_xhtml(
        *"ul ol dl table thead tbody tfoot tr section article aside header footer nav "
        "figure body main".split()
    ),
    skipped=_xhtml(*"head script style code pre kbd samp var textarea svg math".split())
    | frozenset({"{http://www.w3.org/2000/svg}svg", "{http://www.w3.org/1998/Math/MathML}math"}),
    spaces=_xhtml("br"),
)


def _parse(data: bytes, name: str, part: str) -> Any:
    try:
        return parse_xml(data)
    except Exception as error:  # lxml's XMLSyntaxError and its kin
        raise InputError(f"{name}: {part} is not well-formed XML ({error})") from None


class _Book:
    """The book's content documents in reading order, parsed, with their paragraphs."""

    def __init__(self, data: bytes, name: str) -> None:
        self.archive = open_package(data, name, kind=EPUB_SUFFIX, main_part=_CONTAINER)
        try:
            self._read(name)
        except InputError:
            self.archive.close()
            raise

    def _read(self, name: str) -> None:
        container = _parse(read_part(self.archive, _CONTAINER, name), name, _CONTAINER)
        rootfile = container.find(".//c:rootfile", _CONTAINER_NAMESPACES)
        package_path = rootfile.get("full-path") if rootfile is not None else None
        if not package_path:
            raise InputError(f"{name} names no package file in {_CONTAINER}; is it damaged?")
        package = _parse(read_part(self.archive, package_path, name), name, package_path)
        folder = posixpath.dirname(package_path)
        documents = {}
        for item in package.iterfind(".//opf:manifest/opf:item", _OPF):
            if item.get("media-type") == "application/xhtml+xml" and item.get("href"):
                path = posixpath.normpath(posixpath.join(folder, unquote(item.get("href"))))
                documents[item.get("id")] = path
        spine = [ref.get("idref") for ref in package.iterfind(".//opf:spine/opf:itemref", _OPF)]
        order = [documents[idref] for idref in spine if idref in documents]
        order += [path for path in documents.values() if path not in order]
        self.documents = {
            path: _parse(read_part(self.archive, path, name), name, path) for path in order
        }
        self.paragraphs = [
            paragraph
            for root in self.documents.values()
            for paragraph in paragraph_elements(root, LAYOUT)
        ]
        self.title = _metadata(package, "dc:title")
        self.author = _metadata(package, "dc:creator")


def _metadata(package: Any, field: str) -> str | None:
    found = package.find(f".//opf:metadata/{field}", _OPF)
    text = " ".join((found.text or "").split()) if found is not None else ""
    return text or None


def article_from_epub(data: bytes, name: str) -> Article:
    """The article of an .epub: each paragraph that holds text, in reading order."""
    book = _Book(data, name)
    with book.archive:
        paragraphs = tuple(own_text(paragraph, LAYOUT) for paragraph in book.paragraphs)
    if not paragraphs:
        raise InputError(f"{name} holds no text to translate")
    return Article(paragraphs=paragraphs, title=book.title, author=book.author)


def translated_epub(data: bytes, name: str, translated: TranslatedArticle) -> bytes:
    """The .epub `data` with its paragraphs (as `article_from_epub` lists them) in the
    English of `translated`; everything else as it was."""
    book = _Book(data, name)
    with book.archive:
        for paragraph, translation in paired(book.paragraphs, translated, name):
            replace_own_text(paragraph, translation, LAYOUT)
        rewritten = {path: serialize_xml(root) for path, root in book.documents.items()}
        return replaced_parts(book.archive, rewritten)
