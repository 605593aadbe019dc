"""The paragraphs of an XML document (OpenDocument's content, an EPUB's XHTML) and
their text put back in English, with lxml.

A paragraph's own text is its text and that of its inline elements (spans, links,
emphasis), not that of what it only holds: a nested paragraph, a footnote or a text box
holds paragraphs of their own, and annotations, scripts and the like are skipped. Its
English goes where its first piece of text was; its other pieces of text are emptied,
so every element (a link, a picture, a bookmark) stays where it was, around the English.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree


@dataclass(frozen=True)
class TextLayout:
    """Which elements of a kind of document are paragraphs, which hold paragraphs of
    their own inside one (a footnote, a frame), which hold no text to translate, and
    which stand for a space (a tab, a line break)."""

    paragraphs: frozenset[str]
    apart: frozenset[str]
    skipped: frozenset[str]
    spaces: frozenset[str]

    def not_own(self, tag: str) -> bool:
        return tag in self.paragraphs or tag in self.apart or tag in self.skipped


def _is_element(node: Any) -> bool:
    return isinstance(node.tag, str)  # comments and processing instructions are not


def _holders(element: Any, layout: TextLayout) -> Iterator[tuple[Any, str]]:
    """Where the paragraph's own text is kept, in order: (element, "text" or "tail"),
    and (element, "space") for an element that stands for a space."""
    if element.text:
        yield element, "text"
    for child in element:
        if _is_element(child) and not layout.not_own(child.tag):
            if child.tag in layout.spaces:
                yield child, "space"
            else:
                yield from _holders(child, layout)
        if child.tail:
            yield child, "tail"


def own_text(element: Any, layout: TextLayout) -> str:
    """The paragraph's own text, its white space made single spaces."""
    pieces = []
    for holder, where in _holders(element, layout):
        pieces.append(" " if where == "space" else getattr(holder, where))
    return " ".join("".join(pieces).split())


def paragraph_elements(root: Any, layout: TextLayout) -> list[Any]:
    """The paragraphs under `root` that hold text of their own, in document order
    (outside the skipped elements)."""
    found = []

    def visit(element: Any) -> None:
        for child in element:
            if not _is_element(child) or child.tag in layout.skipped:
                continue
            if child.tag in layout.paragraphs and own_text(child, layout):
                found.append(child)
            visit(child)

    visit(root)
    return found


def replace_own_text(element: Any, translation: str, layout: TextLayout) -> None:
    """The paragraph's own text replaced by `translation`, in its first piece of text."""
    holders = [(h, where) for h, where in _holders(element, layout) if where != "space"]
    holders = [(h, where) for h, where in holders if getattr(h, where).strip()]
    if not holders:
        element.text = translation + (element.text or "")
        return
    for index, (holder, where) in enumerate(holders):
        text = getattr(holder, where)
        if index == 0:
            lead = text[: len(text) - len(text.lstrip())]
            setattr(holder, where, lead + translation)
        else:
            setattr(holder, where, "")


def parse_xml(data: bytes) -> Any:
    """An XML part parsed without network access, entities or huge trees (a part is
    someone else's file)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(data, parser)


def serialize_xml(root: Any) -> bytes:
    """The part again, with its declaration and doctype."""
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")
