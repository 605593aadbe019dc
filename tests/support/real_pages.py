"""The real-page corpus (tests/support/pages/real, gathered by gather_real_pages.py) and
how an extraction of one of its pages is judged.

clean: every string the providing project expects is in the text, and none of those it
expects gone (strings it finds only in reader comments are not judged: trafilatura's
tests keep comments, debrief leaves them out; `comments_left` says which are there). strict: clean, and also no boilerplate block of our list, no sentence cut
between two paragraphs, and the headline not repeated at the top of the body. Strings
are compared with whitespace collapsed, so a line break is no reason to fail.
"""

from __future__ import annotations

import gzip
import itertools
import json
from dataclasses import dataclass
from pathlib import Path

from translate.page_text import comparable, is_boilerplate, is_unfinished, repeats_headline

REAL_PAGES = Path(__file__).resolve().parent / "pages" / "real"
# An unfinished paragraph followed by one opening in lowercase was cut inside a
# sentence, when it is longer than a list item or ends with a comma.
LONGEST_LIST_ITEM = 60


@dataclass(frozen=True)
class RealPage:
    file: str
    url: str
    source: str
    present: tuple[str, ...]
    absent: tuple[str, ...]
    comments: tuple[str, ...]

    def html(self) -> bytes:
        return gzip.decompress((REAL_PAGES / self.file).read_bytes())


@dataclass(frozen=True)
class Verdict:
    missing: tuple[str, ...]
    left: tuple[str, ...]
    comments_left: tuple[str, ...]
    boilerplate: tuple[str, ...]
    cut: tuple[str, ...]
    headline_repeated: bool

    @property
    def clean(self) -> bool:
        return not self.missing and not self.left

    @property
    def strict(self) -> bool:
        return self.clean and not (self.boilerplate or self.cut or self.headline_repeated)


def real_pages() -> list[RealPage]:
    manifest = json.loads((REAL_PAGES / "manifest.json").read_text(encoding="utf-8"))
    return [
        RealPage(
            entry["file"],
            entry["url"],
            entry["source"],
            tuple(entry["present"]),
            tuple(entry["absent"]),
            tuple(entry["comments"]),
        )
        for entry in manifest
    ]


def _flat(text: str) -> str:
    return " ".join(text.split())


def judge(page: RealPage, paragraphs: list[str], title: str | None) -> Verdict:
    text = _flat("\n".join(paragraphs))
    cut = tuple(
        f"{before[-30:]} | {after[:30]}"
        for before, after in itertools.pairwise(paragraphs)
        if is_unfinished(before)
        and after[:1].islower()
        and (len(before) > LONGEST_LIST_ITEM or before.rstrip().endswith(","))
    )
    top = paragraphs[:3]
    return Verdict(
        missing=tuple(s for s in page.present if _flat(s) not in text),
        left=tuple(s for s in page.absent if _flat(s) and _flat(s) in text),
        comments_left=tuple(s for s in page.comments if _flat(s) in text),
        boilerplate=tuple(p for p in paragraphs if is_boilerplate(p) or comparable(p) == ""),
        cut=cut,
        headline_repeated=bool(title) and any(repeats_headline(p, title) for p in top),
    )
