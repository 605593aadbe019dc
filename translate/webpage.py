"""A German news web page in, an `Article` out: main text and metadata, boilerplate left.

trafilatura finds the main text (it scored best among open extractors on its own
benchmark of 990 mostly German pages: F1 0.924) and the metadata (title, author, date,
site name, canonical URL). We ask it for precision: comments, navigation, cookie banners,
teaser lists and footers are dropped, and a block of text becomes a paragraph (a heading
its own). A pure function of the page's bytes; fetching is debrief/fetch.py's.
"""

from __future__ import annotations

import re

from debrief.errors import InputError
from translate.article import CONTROLS_AS_SPACES, Article
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
# keeps the offer as text, so they are pruned before it reads the page.
_NOT_ARTICLE_MARKERS = ("paywall", "consent", "cookie", "newsletter", "subscribe", "share")
PRUNE_XPATH = [
    f"//*[contains(@class, '{marker}') or contains(@id, '{marker}')]"
    for marker in _NOT_ARTICLE_MARKERS
]


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
    text = _WHITESPACE.sub(" ", text.translate(CONTROLS_AS_SPACES)).strip()
    return text or None


def _markup_dates_only() -> dict:
    from trafilatura.settings import set_date_params

    return set_date_params(extensive=False)


def article_from_html(
    data: bytes, name: str, url: str | None = None, charset: str | None = None
) -> Article:
    """The article in an HTML page: its paragraphs (a heading is a paragraph of its own),
    title, author, date, site name, and source URL (the canonical one, else `url`).

    Raises InputError when the page holds no article text (a teaser, a consent wall, a
    page that needs JavaScript). `name` is how messages call the page.
    """
    import trafilatura

    html = decode_html(data, name, charset)
    extracted = (
        trafilatura.bare_extraction(
            html,
            url=url,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_formatting=False,
            prune_xpath=PRUNE_XPATH,
            # Dates from the page's markup only: guessed from running text ("2016" in a
            # sentence), a date would be wrong more often than missing.
            date_extraction_params=_markup_dates_only(),
        )
        or {}
    )
    text = extracted.get("text") or ""
    paragraphs = [line for line in (_clean(line) for line in text.split("\n")) if line]
    title = _clean(extracted.get("title"))
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the headline is the title, not the first paragraph
    if sum(len(paragraph) for paragraph in paragraphs) < MIN_ARTICLE_CHARACTERS:
        if url:
            raise InputError(
                f"no article text found at {url}; pages behind a paywall or consent wall, or "
                "built by JavaScript, are out of reach: save the page from your browser and "
                "pass the .html file"
            )
        raise InputError(
            f"no article text found in {name}; a page saved before its article showed (a "
            "paywall, a consent wall, a page still loading) holds none: save it again once "
            "the article shows in the browser, or copy its text into a .txt file"
        )
    canonical = extracted.get("url")
    source_url = canonical if canonical and re.match(r"https?://", canonical) else url
    return Article(
        paragraphs=tuple(paragraphs),
        source_url=source_url,
        title=title,
        author=_clean(extracted.get("author")),
        date=_clean(extracted.get("date")),
        site=_clean(extracted.get("sitename")),
    )
