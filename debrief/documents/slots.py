"""A document's paragraphs paired with their English, one for one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from debrief.errors import UsageError
from translate.article import TranslatedArticle

Slot = TypeVar("Slot")


def paired(
    slots: Sequence[Slot], translated: TranslatedArticle, name: str
) -> list[tuple[Slot, str]]:
    """Each of the document's paragraphs (`slots`, as its reader listed them) with the
    translation of the paragraph read from it; a UsageError when the translated article
    was not read from this document (another count of paragraphs)."""
    translations = [paragraph.translation for paragraph in translated.paragraphs]
    if len(slots) != len(translations):
        raise UsageError(
            f"{name}: {len(slots)} paragraphs but {len(translations)} translations; was the "
            "translation made from this document?"
        )
    return list(zip(slots, translations, strict=True))
