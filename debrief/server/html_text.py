"""Translate the text of an HTML fragment and keep its markup, as LibreTranslate's
`format: "html"` does.

Text is translated in context: the text of a block (a paragraph, a heading, a list
item: what stands between block-level tags) goes to the model whole, inline elements
(<b>, <a>, <span>, ...) included, and each inline element is put back around its own
words in the English: its text is translated alone and looked for in the block's
translation; an inline element with more than one run of text inside (a hashtag:
<a>#<span>Wahl</span></a>) is kept as sent where the English has its words as sent.
Where that fails (the words are not found, or overlap, or an inline element holds no
text), each run of text of that block is translated alone, as a last resort that keeps
every tag.

What LibreTranslate leaves alone stays as sent, byte for byte: the text of an element
marked `translate="no"` or class `notranslate` (Mastodon marks links and custom emoji
so) and everything inside it, and of `<code>`, `<pre>`, `<kbd>`, `<samp>`, `<var>`,
`<time>`, `<script>`, `<style>` and `<textarea>`; inside a block, such an element's
text must come back word for word in the English to be placed. Markup is kept as sent
(end tags in their case, entities, comments, declarations); translated text is escaped,
so a translation can add no markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape, unescape
from html.parser import HTMLParser

_RAW_TEXT = {"script", "style"}
_PROTECTED_TAGS = frozenset({"code", "pre", "kbd", "samp", "var", "time", "textarea"}) | _RAW_TEXT
# Elements without an end tag, which open no scope.
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Elements that stand inside a sentence: their text is translated with the block's.
_INLINE = frozenset(
    "a abbr b bdi bdo big cite code data del dfn em font i img ins kbd label mark q s samp "
    "small span strong sub sup time tt u var wbr".split()
)


def _protects(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    attributes = {name.lower(): (value or "") for name, value in attrs}
    return (
        tag in _PROTECTED_TAGS
        or attributes.get("translate", "").strip().lower() == "no"
        or "notranslate" in attributes.get("class", "").split()
    )


@dataclass
class _Piece:
    kind: str  # "text", "open", "close", "void" or "raw" (kept as sent)
    raw: str  # as sent
    inline: bool  # part of a block's sentence, not a boundary between blocks
    protected: bool = False  # in (or opening) an element whose text is kept as sent

    @property
    def text(self) -> str:
        return unescape(self.raw)


class _Pieces(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)  # entities kept as sent, unescaped for text
        self.pieces: list[_Piece] = []
        # The open elements, each with whether it protects its content from translation.
        self._open: list[tuple[str, bool]] = []

    def _protected(self) -> bool:
        return any(protects for _, protects in self._open)

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text() or ""
        protected = self._protected() or _protects(tag, attrs)
        if tag in _VOID:
            self.pieces.append(_Piece("void", raw, tag in _INLINE, protected))
        else:
            self.pieces.append(_Piece("open", raw, tag in _INLINE, protected))
            self._open.append((tag, _protects(tag, attrs)))

    def handle_startendtag(self, tag, attrs):
        raw = self.get_starttag_text() or ""
        self.pieces.append(_Piece("void", raw, tag in _INLINE, self._protected()))

    def parse_endtag(self, i):
        # The end tag as sent (</P> stays </P>): HTMLParser hands only its lower-cased name.
        before = len(self.pieces)
        end = super().parse_endtag(i)
        if end > i and len(self.pieces) == before + 1 and self.pieces[-1].kind == "close":
            self.pieces[-1].raw = self.rawdata[i:end]
        return end

    def handle_endtag(self, tag):
        protected = self._protected()
        self.pieces.append(_Piece("close", f"</{tag}>", tag in _INLINE, protected))
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth][0] == tag:  # close it and whatever was left open inside
                del self._open[depth:]
                break

    def _text(self, raw: str) -> None:
        protected = self._protected()
        kind = "raw" if protected else "text"
        # Text is part of a block's sentence; protected text only inside an inline
        # element (<code> in a sentence, not <pre> or <script>).
        inline = not protected or not self._open or self._open[-1][0] in _INLINE
        last = self.pieces[-1] if self.pieces else None
        if last and (last.kind, last.protected, last.inline) == (kind, protected, inline):
            last.raw += raw  # text and the entities inside it, one piece
        else:
            self.pieces.append(_Piece(kind, raw, inline, protected))

    def handle_data(self, data):
        self._text(data)

    def handle_entityref(self, name):
        self._text(f"&{name};")

    def handle_charref(self, name):
        self._text(f"&#{name};")

    def handle_comment(self, data):
        self.pieces.append(_Piece("raw", f"<!--{data}-->", inline=False))

    # A document's declarations are kept as sent, never translated or dropped.
    def handle_decl(self, decl):
        self.pieces.append(_Piece("raw", f"<!{decl}>", inline=False))

    def handle_pi(self, data):
        self.pieces.append(_Piece("raw", f"<?{data}>", inline=False))  # an XML PI keeps its "?"

    def unknown_decl(self, data):
        # "CDATA[..." (its "]]>" not included) or a conditional comment's "if IE"
        end = "]]>" if data.startswith("CDATA[") else "]>"
        self.pieces.append(_Piece("raw", f"<![{data}{end}", inline=False))


@dataclass
class _Unit:
    """A top-level inline element of a block: its pieces, and the words to look for in
    the block's English (its text, or its own translation once known)."""

    pieces: list[_Piece]
    text: str  # its text, whitespace made single spaces; "" when it holds none or many
    verbatim: bool  # protected: its text must come back word for word


def _units(block: list[_Piece]) -> list[_Piece | _Unit] | None:
    """The block as its text pieces and top-level inline elements, or None when its tags
    do not nest within it (a stray end tag)."""
    items: list[_Piece | _Unit] = []
    depth, current = 0, []
    for piece in block:
        if depth == 0 and piece.kind in ("text", "raw"):
            items.append(piece)
            continue
        if depth == 0 and piece.kind == "close":
            return None
        current.append(piece)
        depth += {"open": 1, "close": -1}.get(piece.kind, 0)
        if depth == 0:
            runs = [p for p in current if p.kind in ("text", "raw") and p.text.strip()]
            # Protected, or more than one run of text (Mastodon's hashtags and mentions:
            # <a>#<span>Berlin</span></a>): kept as sent where its words come back as sent.
            verbatim = current[0].protected or len(runs) > 1
            text = "".join(p.text for p in current if p.kind in ("text", "raw"))
            items.append(_Unit(current, " ".join(text.split()), verbatim))
            current = []
    return items if depth == 0 else None


def _blocks(pieces: list[_Piece]) -> list[_Piece | list[_Piece]]:
    """The pieces with each run of inline ones (a block's sentence) grouped."""
    grouped: list[_Piece | list[_Piece]] = []
    for piece in pieces:
        if not piece.inline:
            grouped.append(piece)
        elif grouped and isinstance(grouped[-1], list):
            grouped[-1].append(piece)
        else:
            grouped.append([piece])
    return grouped


_TRAILING_PUNCTUATION = re.compile(r"[\s.!?;:,]+$")


def locate(translation: str, needles: Sequence[tuple[str, bool]]) -> list[tuple[int, int]] | None:
    """Where each needle (words, and whether they must match exactly) stands in
    `translation`, without overlaps: longer needles first, whole words before parts of
    words, case ignored unless exact; None when one is not found."""
    taken: list[tuple[int, int]] = []
    spans: dict[int, tuple[int, int]] = {}
    order = sorted(range(len(needles)), key=lambda index: -len(needles[index][0]))
    for index in order:
        needle, exact = needles[index]
        needle = needle.strip() if exact else _TRAILING_PUNCTUATION.sub("", needle.strip())
        if not needle:
            return None
        flags = 0 if exact else re.IGNORECASE
        found = [m.span() for m in re.finditer(re.escape(needle), translation, flags)]
        free = [s for s in found if all(s[1] <= a or s[0] >= b for a, b in taken)]
        if not free:
            return None

        def whole_word(span: tuple[int, int]) -> bool:
            before = translation[span[0] - 1 : span[0]]
            after = translation[span[1] : span[1] + 1]
            return not (before.isalnum() or after.isalnum())

        span = next((s for s in free if whole_word(s)), free[0])
        taken.append(span)
        spans[index] = span
    return [spans[index] for index in range(len(needles))]


def _leaves_words_outside(block: list[_Piece], english: str, spans) -> bool:
    """Whether the English has words outside the inline elements' places when the
    German has words outside its inline elements: an element whose words came back as
    the whole block's translation would otherwise swallow the sentence."""
    depth, outside = 0, ""
    for piece in block:
        if depth == 0 and piece.kind == "text":
            outside += piece.text
        depth += {"open": 1, "close": -1}.get(piece.kind, 0)
    if not any(ch.isalnum() for ch in outside):
        return True
    covered = set()
    for start, end in spans:
        covered.update(range(start, end))
    return any(ch.isalnum() for i, ch in enumerate(english) if i not in covered)


def _block_text(items: Sequence[_Piece | _Unit]) -> str:
    return " ".join("".join(item.text for item in items).split())


def _edges(block: list[_Piece]) -> tuple[str, str]:
    """The white space the block starts and ends with, kept around its English."""
    first, last = block[0], block[-1]
    lead = first.raw[: len(first.raw) - len(first.raw.lstrip())] if first.kind == "text" else ""
    trail = last.raw[len(last.raw.rstrip()) :] if last.kind == "text" else ""
    return lead, trail


def _render_unit(unit: _Unit, english: str) -> str:
    if unit.verbatim:
        return "".join(piece.raw for piece in unit.pieces)
    return "".join(
        escape(english, quote=False) if piece.kind == "text" and piece.text.strip() else piece.raw
        for piece in unit.pieces
        if piece.kind != "text" or piece.text.strip()
    )


def _placed(block: list[_Piece], units: list[_Unit], english: str, spans) -> str:
    lead, trail = _edges(block)
    out, position = [lead], 0
    for unit, (start, end) in sorted(zip(units, spans, strict=True), key=lambda pair: pair[1]):
        out.append(escape(english[position:start], quote=False))
        out.append(_render_unit(unit, english[start:end]))
        position = end
    out.append(escape(english[position:], quote=False))
    out.append(trail)
    return "".join(out)


def _run_by_run(block: list[_Piece], translated: dict[str, str]) -> str:
    out = []
    for piece in block:
        if piece.kind == "text" and piece.text.strip():
            lead = piece.raw[: len(piece.raw) - len(piece.raw.lstrip())]
            trail = piece.raw[len(piece.raw.rstrip()) :]
            out.append(lead + escape(translated[piece.text.strip()], quote=False) + trail)
        else:
            out.append(piece.raw)
    return "".join(out)


def html_text(html: str) -> str:
    """The text of `html` a translation would be made of (protected text left out), for
    telling its language: markup and URLs are not German or English."""
    parser = _Pieces()
    parser.feed(html)
    parser.close()
    return " ".join(piece.text for piece in parser.pieces if piece.kind == "text")


def translate_html(html: str, translate: Callable[[Sequence[str]], list[str]]) -> str:
    """`html` with its text translated by `translate`, block by block in context (one
    call, and a second for the blocks whose inline elements could not be placed)."""
    parser = _Pieces()
    parser.feed(html)
    parser.close()
    grouped = _blocks(parser.pieces)
    # What each block asks of the model: its whole text, and its inline elements' texts.
    plans: dict[int, tuple[str, list[_Unit]]] = {}
    wanted: list[str] = []
    for index, group in enumerate(grouped):
        if not isinstance(group, list) or not any(
            p.kind == "text" and p.text.strip() for p in group
        ):
            continue
        items = _units(group)
        units = [item for item in items or [] if isinstance(item, _Unit)]
        if items is None or any(not unit.text for unit in units):
            plans[index] = ("", [])  # run by run
            continue
        text = _block_text(items)
        plans[index] = (text, units)
        wanted += [text] + [unit.text for unit in units if not unit.verbatim]
    wanted = list(dict.fromkeys(wanted))
    found = dict(zip(wanted, translate(wanted) if wanted else [], strict=True))
    rendered: dict[int, str] = {}
    for index, (text, units) in plans.items():
        if not text:
            continue
        english = found[text]
        needles = [
            (unit.text if unit.verbatim else found[unit.text], unit.verbatim) for unit in units
        ]
        spans = locate(english, needles) if units else []
        if spans is not None and _leaves_words_outside(grouped[index], english, spans):
            rendered[index] = _placed(grouped[index], units, english, spans)
    # The last resort: each run of text of the blocks that could not be placed, alone.
    leftover = [index for index in plans if index not in rendered]
    runs = sorted(
        {
            piece.text.strip()
            for index in leftover
            for piece in grouped[index]
            if piece.kind == "text" and piece.text.strip()
        }
    )
    translated_runs = dict(zip(runs, translate(runs) if runs else [], strict=True))
    for index in leftover:
        rendered[index] = _run_by_run(grouped[index], translated_runs)
    out = []
    for index, group in enumerate(grouped):
        if index in rendered:
            out.append(rendered[index])
        elif isinstance(group, list):
            out.append("".join(piece.raw for piece in group))
        else:
            out.append(group.raw)
    return "".join(out)
