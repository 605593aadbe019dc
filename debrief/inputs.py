"""What an input names, and how it becomes an `Article`: a text file, standard input
("-"), a saved web page (a file whose content is HTML, whatever its name), or an http(s)
URL, which is fetched (debrief/fetch.py) and then read as a saved page is.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from debrief.archives import ArchiveEntry
from debrief.documents import document_format
from debrief.errors import InputError
from debrief.fetch import FetchSettings, PageCache, fetch_page, is_url
from translate.article import Article
from translate.reading import (
    MAX_INPUT_BYTES,
    article_from_text,
    check_input_file,
    read_input_bytes,
    size_over_limit,
)
from translate.webpage import article_from_html, looks_like_html

_OTHER_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
_UNSAFE_IN_FILE_NAMES = re.compile(r"[^\w.-]+")


def check_source(source: str | Path, max_bytes: int = MAX_INPUT_BYTES) -> None:
    """Refuse, without reading it, an input that cannot be read: a URL is checked when it
    is fetched, "-" when it is read."""
    if is_url(source) or str(source) == "-":
        return
    check_scheme(source)
    check_input_file(source, max_bytes)


def check_scheme(source: str | Path) -> None:
    """Refuse a URL of a scheme other than http(s) (ftp://, file://) by name, not as a
    missing file. Pass `source` as given: a Path would have made :// into :/."""
    scheme = _OTHER_SCHEME.match(str(source))
    if scheme and not is_url(source) and not Path(source).exists():
        raise InputError(
            f"{source}: {scheme.group(1)}:// URLs cannot be fetched; debrief fetches http:// "
            "and https:// URLs (save the article to a file otherwise)"
        )


def read_source(
    source: str | Path,
    *,
    encoding: str | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
    page_cache: PageCache | None = None,
    fetch: FetchSettings | None = None,
) -> Article:
    """The article an input names. A URL is fetched (or taken from `page_cache`), a file
    or standard input that holds HTML is read as a web page, anything else as text.

    Raises a one-line InputError for every input that cannot be read or holds no article.
    """
    name = str(source)
    if is_url(name):
        return article_from_url(name, max_bytes=max_bytes, page_cache=page_cache, fetch=fetch)
    label = "standard input" if name == "-" else name
    return article_from_bytes(read_input_bytes(source, max_bytes), label, encoding)


def article_from_entry(
    entry: ArchiveEntry,
    *,
    max_bytes: int = MAX_INPUT_BYTES,
    page_cache: PageCache | None = None,
    fetch: FetchSettings | None = None,
) -> Article:
    """The article of an archive entry: its text, read as a text file is, or its URL,
    fetched. An entry's "source_url" names where a text came from. InputError for an
    entry that is none (its error) or holds no article."""
    if entry.error is not None:
        raise InputError(entry.error)
    if entry.url is not None:
        article = article_from_url(
            entry.url, max_bytes=max_bytes, page_cache=page_cache, fetch=fetch
        )
    else:
        data = (entry.text or "").encode("utf-8", "surrogatepass")
        if len(data) > max_bytes:
            raise InputError(
                f"{entry.where}: {size_over_limit(len(data), max_bytes)} an input may hold; "
                "raise the limit with --max-input-mb"
            )
        if looks_like_html(data):  # a crawler's archive: the whole page, not its text
            article = article_from_html(data, entry.where, url=entry.source_url)
        else:
            article = article_from_text(data, entry.where, "utf-8")
    if entry.source_url:
        article = replace(article, source_url=entry.source_url)
    return article


def article_from_url(
    url: str,
    *,
    max_bytes: int = MAX_INPUT_BYTES,
    page_cache: PageCache | None = None,
    fetch: FetchSettings | None = None,
) -> Article:
    """The article of a web page, fetched (or taken from `page_cache`, and kept there)."""
    page = page_cache.get(url) if page_cache is not None else None
    if page is None:
        page = fetch_page(url, max_bytes=max_bytes, settings=fetch)
        if page_cache is not None:
            page_cache.put(page)
    return article_from_html(page.data, url, url=page.final_url, charset=page.charset)


def article_from_bytes(data: bytes, name: str, encoding: str | None = None) -> Article:
    """An input's bytes as an article: read as a document (.docx, .pptx, .odt, .odp,
    .epub, .pdf) when they are one, as a web page when they hold HTML, else as text
    (`name` for messages; `encoding` forces one)."""
    document = document_format(data, name)
    if document is not None:
        return document.read(data, name)
    if looks_like_html(data):
        return article_from_html(data, name, charset=encoding)
    return article_from_text(data, name, encoding)


def url_stem(url: str) -> str:
    """A file-name stem for a URL: the last part of its path without its extension (else
    its host), with anything but letters, digits, '.', '-' and '_' made '-'."""
    parts = urlsplit(url)
    last = unquote(parts.path.rstrip("/").rpartition("/")[2])
    last = re.sub(r"\.(s?html?|php|aspx?)$", "", last, flags=re.I)

    def safe(text: str) -> str:
        return _UNSAFE_IN_FILE_NAMES.sub("-", text).strip(".-")[:80]

    return safe(last) or safe(parts.hostname or "") or "page"
