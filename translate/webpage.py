"""A German news web page in, an `Article` out: main text and metadata, boilerplate left.

trafilatura finds the main text (it scored best among open extractors on its own
benchmark of 990 mostly German pages: F1 0.924) and the metadata (title, author, date,
site name, canonical URL). Comments, navigation, cookie banners, teaser lists and
footers are dropped, in its balanced mode: on the 53 real pages of
tests/support/pages/real its precision mode lost list items and paragraphs of 3 pages
and refused a fourth. Paragraphs come from the structure of its document (<p>, <head>,
<list>/<item>, <quote>), not from the line breaks of its text output, so a line break
inside a paragraph does not cut a sentence; translate/page_text.py then drops the
headline repeated, datelines and boilerplate blocks and cleans the metadata. A pure
function of the page's bytes; fetching is debrief/fetch.py's.
"""

from __future__ import annotations

import re
import unicodedata

from debrief.errors import InputError
from translate.article import CONTROLS_AS_SPACES, Article
from translate.page_text import (
    Block,
    body_paragraphs,
    clean_author,
    clean_site,
    clean_title,
    comparable,
)
from translate.reading import decode_input

# Fewer characters of main text than this is a teaser, a consent wall or a page built
# by JavaScript, not an article.
MIN_ARTICLE_CHARACTERS = 200
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_WHITESPACE = re.compile(r"\s+")
# Blocks that are never the article, named so by the pages themselves: paywall and
# subscription offers, consent and cookie banners, newsletter boxes, share buttons.
# trafilatura drops most of these on its own; on a paywalled teaser page its fallback
# keeps the offer as text, so they are pruned before it reads the page. Only blocks:
# never <html>, <body>, <main> or <article> (a WordPress cookie plugin marks <body>
# "cookies-not-set", Handelsblatt "show-paywall-2 hide-paywall-1"), and never a block
# with more text than such a box holds (mixed.de wraps its whole article in a class
# naming its newsletter).
_NOT_ARTICLE_MARKERS = ("paywall", "consent", "cookie", "newsletter", "subscribe", "share")
_NEVER_PRUNED = "self::html or self::body or self::main or self::article"
PRUNE_XPATH = " | ".join(
    f"//*[not({_NEVER_PRUNED})][contains(@class, '{marker}') or contains(@id, '{marker}')]"
    for marker in _NOT_ARTICLE_MARKERS
)
LARGEST_PRUNED_CHARACTERS = 1500
# Elements of trafilatura's document whose text is one paragraph each; a <list> gives one
# per item, a <quote> one per paragraph inside it.
_PARAGRAPH_TAGS = frozenset({"p", "head", "item", "quote", "code", "div"})
# Visible elements that may hold the lead (standfirst) that the extractor left out.
_LEAD_TAGS = frozenset({"p", "div", "h2", "h3", "span", "strong", "section", "header"})
_KINDS = {"head": "head", "item": "item", "p": "p"}
_INVISIBLE_TAGS = frozenset({"head", "script", "style", "noscript", "template", "meta"})


def looks_like_html(data: bytes) -> bool:
    """Whether a file's bytes are an HTML page (whatever its name)."""
    return bool(_HTML_START.match(data[:4096].lstrip(b"\xef\xbb\xbf")))


def decode_html(data: bytes, name: str, charset: str | None = None) -> str:
    """The page's text: in the charset the server or the page declares, else detected
    as text files are (UTF-8, with cp1252 for bytes that are not)."""
    declared = charset
    if not declared:
        match = _META_CHARSET.search(data[:4096])
        declared = match.group(1).decode("ascii") if match else None
    if declared:
        try:
            return data.decode(declared, errors="replace")
        except LookupError:
            pass  # a charset Python does not know: detect instead
    return decode_input(data, name).text


def _clean(text: str | None) -> str | None:
    if not text:
        return None
    # Composed letters: some pages write ü as u and a combining diaeresis (adac.de),
    # which neither the name check's lexicon nor the tokenizer reads as ü.
    text = unicodedata.normalize("NFC", text)
    text = _WHITESPACE.sub(" ", text.translate(CONTROLS_AS_SPACES)).strip()
    return text or None


def _markup_dates_only() -> dict:
    from trafilatura.settings import set_date_params

    return set_date_params(extensive=False)


def _pruned(html: str):
    """The page parsed, without its small blocks marked as not the article."""
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(html)
    for element in tree.xpath(PRUNE_XPATH):
        parent = element.getparent()
        if parent is not None and len(element.text_content()) <= LARGEST_PRUNED_CHARACTERS:
            element.drop_tree()
    return tree


def _extract(html: str, url: str | None, prune: bool):
    import trafilatura
    from lxml.etree import ParserError

    page = html
    if prune:
        try:
            page = _pruned(html)
        except (ValueError, ParserError):
            page = html  # trafilatura has its own ways with broken markup
    return trafilatura.bare_extraction(
        page,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_formatting=False,
        # Dates from the page's markup only: guessed from running text ("2016" in a
        # sentence), a date would be wrong more often than missing.
        date_extraction_params=_markup_dates_only(),
    )


def _text(element) -> str:
    """An element's text in one line: line breaks inside a paragraph (<lb/>, newlines in
    the markup) are spaces, not paragraph breaks; inline markup adds nothing."""
    for line_break in element.iter("lb"):
        line_break.tail = " " + (line_break.tail or "")
    return _clean("".join(element.itertext())) or ""


def document_blocks(body) -> list[Block]:
    """The paragraphs of trafilatura's document body, in order, each with its kind: each
    <p> and heading one, each list item one (no "-" of its own), each paragraph of a
    quotation one."""
    blocks: list[Block] = []

    def visit(element, kind: str) -> None:
        children = [child for child in element if isinstance(child.tag, str)]
        nested = [child for child in children if child.tag in _PARAGRAPH_TAGS | {"list"}]
        if element.tag in {"list", "quote", "div"} and nested:
            for child in children:
                visit(child, "item" if element.tag == "list" else kind)
        elif element.tag == "item" and any(child.tag == "list" for child in children):
            head = _clean(element.text)
            if head:
                blocks.append(Block("item", head))
            for child in children:
                visit(child, "item")
        elif element.tag in _PARAGRAPH_TAGS or element.tag == "list":
            text = _text(element)
            if text:
                blocks.append(Block(_KINDS.get(element.tag, kind), text))

    if body is not None:
        for child in body:
            if isinstance(child.tag, str) and child.tag not in {"table", "graphic"}:
                visit(child, "p")
    return blocks


def _lead(html: str, description: str | None, paragraphs: list[str]) -> str | None:
    """The page's description when the page shows it as text (a lead, a standfirst) and
    the extracted body lacks it; a description only in <meta> is no part of the text."""
    lead = _clean(description)
    if not lead or len(lead) < 40:
        return None
    wanted = comparable(lead)
    if any(wanted in comparable(paragraph) for paragraph in paragraphs[:4]):
        return None
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(html)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return None
    for element in tree.iter(*_LEAD_TAGS):
        if any(ancestor.tag in _INVISIBLE_TAGS for ancestor in element.iterancestors()):
            continue
        text = element.text_content()
        if len(text) < 2 * len(lead) + 40 and comparable(text) == wanted:
            return lead
    return None


def _no_article(name: str, url: str | None) -> InputError:
    if url:
        return InputError(
            f"no article text found at {url}; pages behind a paywall or consent wall, or "
            "built by JavaScript, are out of reach: save the page from your browser once "
            "the article shows and pass the .html file"
        )
    return InputError(
        f"no article text found in {name}; a page saved before its article showed (a "
        "paywall, a consent wall, a page still loading) holds none: save it again once "
        "the article shows in the browser, or copy its text into a .txt file"
    )


def _characters(blocks: list[Block]) -> int:
    return sum(len(block.text) for block in blocks)


def article_from_html(
    data: bytes, name: str, url: str | None = None, charset: str | None = None
) -> Article:
    """The article in an HTML page: its paragraphs (a heading is a paragraph of its own,
    so is each list item), title, author, date, site name, and source URL (the
    canonical one, else `url`).

    Raises InputError when the page holds no article text (a teaser, a consent wall, a
    page that needs JavaScript). `name` is how messages call the page.
    """
    html = decode_html(data, name, charset)
    document = _extract(html, url, prune=True)
    blocks = document_blocks(document.body) if document is not None else []
    if _characters(blocks) < MIN_ARTICLE_CHARACTERS:
        # Pruning may have taken the article with a block it sat in: never empty a page.
        unpruned = _extract(html, url, prune=False)
        unpruned_blocks = document_blocks(unpruned.body) if unpruned is not None else []
        if _characters(unpruned_blocks) > _characters(blocks):
            document, blocks = unpruned, unpruned_blocks
    if document is None:
        raise _no_article(name, url)
    canonical = document.url
    source_url = canonical if canonical and re.match(r"https?://", canonical) else url
    site = clean_site(_clean(document.sitename), source_url)
    title = clean_title(_clean(document.title), site, source_url)
    author = clean_author(_clean(document.author), site, source_url)
    paragraphs = body_paragraphs(blocks, title, author)
    lead = _lead(html, document.description, paragraphs)
    if lead:
        paragraphs.insert(0, lead)
    if sum(len(paragraph) for paragraph in paragraphs) < MIN_ARTICLE_CHARACTERS:
        raise _no_article(name, url)
    return Article(
        paragraphs=tuple(paragraphs),
        source_url=source_url,
        title=title,
        author=author,
        date=_clean(document.date),
        site=site,
    )
