"""News feeds for `debrief digest`: RSS 2.0, Atom and JSON Feed read with feedparser into
`FeedItem`s, a site's front page resolved to the feed it advertises, and lists of feeds
(OPML, or one URL a line).

    from debrief.feeds import read_feed

    feed = read_feed("https://www.tagesschau.de/index~rss2.xml")
    [(item.title, item.url) for item in feed.items]

A feed is fetched as a page is (debrief/fetch.py: timeouts, redirects, size limit,
addresses), and its bytes are handed to feedparser as a stream: given bytes or a
string, feedparser would try them as a file name or a URL first, and a feed's content
must never make debrief open a file or a connection of its choosing.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from debrief.errors import InputError
from debrief.fetch import FetchedPage, FetchSettings, fetch_page, is_url

# Far beyond any news feed (a busy site's is under 1 MB), and a bound on what is parsed.
MAX_FEED_BYTES = 10 * 1024 * 1024
MAX_FEED_LIST_BYTES = 1024 * 1024
# The types a page names its feeds by (<link rel="alternate" type=...>), and asks for.
FEED_MEDIA_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
FEED_ACCEPT = ", ".join((*FEED_MEDIA_TYPES, "application/xml;q=0.9", "*/*;q=0.5"))
# How feed items' times are written (FeedItem.published, the digest's entries).
ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: its link, and what the feed says of it."""

    feed: str  # the feed's URL
    url: str  # the article's
    guid: str | None = None
    title: str | None = None
    published: str | None = None  # ISO 8601, UTC
    summary: str | None = None
    outlet: str | None = None  # the feed's title


@dataclass(frozen=True)
class Feed:
    url: str
    title: str | None
    items: tuple[FeedItem, ...]


def _iso(parsed: time.struct_time | None) -> str | None:
    if not parsed:
        return None
    return time.strftime(ISO_UTC, parsed)


def _not_a_feed(url: str) -> InputError:
    return InputError(f"{url}: not a feed (RSS, Atom or JSON Feed); give the feed's URL")


def _feed(url: str, outlet: str | None, items: list[FeedItem]) -> Feed:
    if not items:
        raise InputError(f"{url}: the feed has no items with a link")
    return Feed(url, outlet, tuple(items))


def _text(value: object) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None


def parse_feed(data: bytes, url: str) -> Feed:
    """The items of a feed's bytes (RSS, Atom or JSON Feed), in the feed's order; a
    one-line InputError for bytes that are no feed, or a feed without items."""
    import feedparser

    if len(data) > MAX_FEED_BYTES:
        raise InputError(f"{url}: the feed is larger than {MAX_FEED_BYTES // 1024 // 1024} MB")
    if data.lstrip()[:1] == b"{":
        return _json_feed(data, url)
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=True)
    if not parsed.get("version"):
        raise _not_a_feed(url)
    outlet = _text(parsed.feed.get("title"))
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or ""
        link = urljoin(url, link.strip()) if link else ""
        if not is_url(link):
            continue  # an entry without a web page to read
        items.append(
            FeedItem(
                feed=url,
                url=link,
                guid=_text(entry.get("id")),
                title=_text(entry.get("title")),
                published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
                summary=_text(entry.get("summary")),
                outlet=outlet,
            )
        )
    return _feed(url, outlet, items)


def _rfc3339(value: object) -> str | None:
    """A JSON Feed date (RFC 3339) as ISO 8601 UTC, or None."""
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime(ISO_UTC)


def _json_feed(data: bytes, url: str) -> Feed:
    """JSON Feed 1.0 and 1.1 (feedparser 6 reads only XML feeds)."""
    from html import unescape

    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _not_a_feed(url) from None
    version = record.get("version") if isinstance(record, dict) else None
    entries = record.get("items") if isinstance(record, dict) else None
    if not (isinstance(version, str) and version.startswith("https://jsonfeed.org/version/")):
        raise _not_a_feed(url)
    outlet = _text(record.get("title")) if isinstance(record.get("title"), str) else None
    items = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        link = entry.get("url") or entry.get("external_url")
        link = urljoin(url, link.strip()) if isinstance(link, str) else ""
        if not is_url(link):
            continue
        summary = entry.get("summary") or entry.get("content_text")
        items.append(
            FeedItem(
                feed=url,
                url=link,
                guid=_text(entry.get("id")) if isinstance(entry.get("id"), str | int) else None,
                title=_text(entry.get("title")) if isinstance(entry.get("title"), str) else None,
                published=_rfc3339(entry.get("date_published") or entry.get("date_modified")),
                summary=_text(unescape(summary)) if isinstance(summary, str) else None,
                outlet=outlet,
            )
        )
    return _feed(url, outlet, items)


_FEED_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


def advertised_feeds(html: bytes, base_url: str) -> list[str]:
    """The feeds a page advertises (<link rel="alternate" type="application/rss+xml"
    href=...>, Atom and JSON Feed too), absolute, in the page's order."""
    from html import unescape

    text = html[:MAX_FEED_BYTES].decode("utf-8", errors="replace")
    found = []
    for tag in _FEED_LINK.findall(text):
        attributes = {
            name.lower(): unescape(next(value for value in values if value is not None))
            for name, *values in _ATTRIBUTE.findall(tag)
        }
        kind = attributes.get("type", "").lower()
        if "alternate" in attributes.get("rel", "").lower().split() and kind in FEED_MEDIA_TYPES:
            href = urljoin(base_url, attributes.get("href", "").strip())
            if is_url(href) and href not in found:
                found.append(href)
    return found


def _fetch_feed(url: str, settings: FetchSettings | None) -> FetchedPage:
    # Any type: servers send feeds as RSS, Atom, XML, JSON or text; the content decides.
    return fetch_page(
        url, max_bytes=MAX_FEED_BYTES, settings=settings, accept=FEED_ACCEPT, media_types=None
    )


def read_feed(url: str, settings: FetchSettings | None = None) -> Feed:
    """The feed at `url`, or, when `url` is a page that advertises one, its first feed;
    a one-line InputError for a failed fetch or a page with no feed."""
    page = _fetch_feed(url, settings)
    try:
        return parse_feed(page.data, url)
    except InputError:
        if "html" not in page.content_type.lower():
            raise
    advertised = advertised_feeds(page.data, page.final_url)
    if not advertised:
        raise InputError(f"{url}: a web page that advertises no feed; give the feed's URL")
    return parse_feed(_fetch_feed(advertised[0], settings).data, advertised[0])


def feed_list(path: str | Path) -> list[str]:
    """The feed URLs of an OPML file (every outline's xmlUrl) or a text file (one URL a
    line, # comments); a one-line InputError for a file that holds none."""
    from lxml import etree

    path = Path(path)
    try:
        data = path.read_bytes()[: MAX_FEED_LIST_BYTES + 1]
    except FileNotFoundError:
        raise InputError(f"--feeds {path} does not exist") from None
    except OSError as error:
        raise InputError(f"--feeds {path} cannot be read ({error.strerror})") from None
    if len(data) > MAX_FEED_LIST_BYTES:
        raise InputError(f"--feeds {path} is larger than 1 MB; that is no list of feeds")
    if data.lstrip().startswith(b"<"):
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as error:
            raise InputError(f"--feeds {path} is not well-formed OPML ({error})") from None
        urls = [outline.get("xmlUrl", "").strip() for outline in root.iter("outline")]
    else:
        lines = data.decode("utf-8", errors="replace").splitlines()
        urls = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    bad = [url for url in urls if url and not is_url(url)]
    if bad:
        raise InputError(f"--feeds {path}: {bad[0][:80]!r} is not an http(s) URL")
    found = list(dict.fromkeys(url for url in urls if url))
    if not found:
        raise InputError(f"--feeds {path} lists no feed URLs")
    return found


def feed_sources(feeds: Sequence[str], lists: Sequence[str | Path] = ()) -> list[str]:
    """The feeds given and those of the lists, each once, in order."""
    urls = list(feeds)
    for path in lists:
        urls += feed_list(path)
    for url in urls:
        if not is_url(url):
            raise InputError(f"{url}: a feed is an http(s) URL (or pass --feeds FILE)")
    return list(dict.fromkeys(urls))
