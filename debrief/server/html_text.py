"""Translate the text of an HTML fragment and keep its markup, as LibreTranslate's
`format: "html"` does: each run of text between tags is translated, tags stay as sent,
and what comes back is escaped, so a translation can add no markup."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from html.parser import HTMLParser

_RAW_TEXT = {"script", "style"}


class _Pieces(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[tuple[str, str]] = []  # ("markup" | "text", content)
        self._raw = 0

    def handle_starttag(self, tag, attrs):
        self.pieces.append(("markup", self.get_starttag_text() or ""))
        self._raw += tag in _RAW_TEXT

    def handle_startendtag(self, tag, attrs):
        self.pieces.append(("markup", self.get_starttag_text() or ""))

    def handle_endtag(self, tag):
        self.pieces.append(("markup", f"</{tag}>"))
        self._raw -= tag in _RAW_TEXT and self._raw > 0

    def handle_data(self, data):
        self.pieces.append(("markup" if self._raw else "text", data))

    def handle_comment(self, data):
        self.pieces.append(("markup", f"<!--{data}-->"))

    # A document's declarations are kept as sent, never translated or dropped.
    def handle_decl(self, decl):
        self.pieces.append(("markup", f"<!{decl}>"))

    def handle_pi(self, data):
        self.pieces.append(("markup", f"<?{data}>"))  # data keeps an XML PI's closing "?"

    def unknown_decl(self, data):
        # "CDATA[..." (its "]]>" not included) or a conditional comment's "if IE"
        end = "]]>" if data.startswith("CDATA[") else "]>"
        self.pieces.append(("markup", f"<![{data}{end}"))


def translate_html(html: str, translate: Callable[[Sequence[str]], list[str]]) -> str:
    """`html` with each run of text translated by `translate` (all in one call)."""
    parser = _Pieces()
    parser.feed(html)
    parser.close()
    texts = [content for kind, content in parser.pieces if kind == "text" and content.strip()]
    translated = iter(translate(texts) if texts else [])
    out = []
    for kind, content in parser.pieces:
        if kind == "text" and content.strip():
            lead = content[: len(content) - len(content.lstrip())]
            trail = content[len(content.rstrip()) :]
            out.append(lead + escape(next(translated), quote=False) + trail)
        elif kind == "text":
            out.append(content)
        else:
            out.append(content)
    return "".join(out)
