"""Translate the text of an HTML fragment and keep its markup, as LibreTranslate's
`format: "html"` does: each run of text between tags is translated, tags stay as sent
(end tags in the case they were sent in), and what comes back is escaped, so a
translation can add no markup. What LibreTranslate leaves alone stays as sent: the text
of an element marked `translate="no"` or class `notranslate` (Mastodon marks links and
custom emoji so) and everything inside it, and of `<code>`, `<pre>`, `<kbd>`, `<samp>`,
`<var>`, `<time>`, `<script>`, `<style>` and `<textarea>`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from html.parser import HTMLParser

_RAW_TEXT = {"script", "style"}
_PROTECTED_TAGS = frozenset({"code", "pre", "kbd", "samp", "var", "time", "textarea"}) | _RAW_TEXT
# Elements without an end tag, which open no scope.
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def _protects(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    attributes = {name.lower(): (value or "") for name, value in attrs}
    return (
        tag in _PROTECTED_TAGS
        or attributes.get("translate", "").strip().lower() == "no"
        or "notranslate" in attributes.get("class", "").split()
    )


class _Pieces(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[tuple[str, str]] = []  # ("markup" | "text", content)
        # The open elements, each with whether it protects its content from translation.
        self._open: list[tuple[str, bool]] = []

    def _protected(self) -> bool:
        return any(protects for _, protects in self._open)

    def handle_starttag(self, tag, attrs):
        self.pieces.append(("markup", self.get_starttag_text() or ""))
        if tag not in _VOID:
            self._open.append((tag, _protects(tag, attrs)))

    def handle_startendtag(self, tag, attrs):
        self.pieces.append(("markup", self.get_starttag_text() or ""))

    def parse_endtag(self, i):
        # The end tag as sent (</P> stays </P>): HTMLParser hands only its lower-cased name.
        before = len(self.pieces)
        end = super().parse_endtag(i)
        if end > i and len(self.pieces) == before + 1 and self.pieces[-1][0] == "end":
            self.pieces[-1] = ("markup", self.rawdata[i:end])
        return end

    def handle_endtag(self, tag):
        self.pieces.append(("end", f"</{tag}>"))
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth][0] == tag:  # close it and whatever was left open inside
                del self._open[depth:]
                break

    def handle_data(self, data):
        self.pieces.append(("markup" if self._protected() else "text", data))

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
        else:
            out.append(content)
    return "".join(out)
