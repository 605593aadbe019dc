"""Feeds and the digest's state (debrief/feeds.py, debrief/digest_state.py): RSS 2.0,
Atom and JSON Feed read, a front page resolved to its feed, feed lists, hostile feeds,
new items only and each story once. Feeds are served from 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from debrief.digest_state import (
    STATE_FILE,
    canonical_url,
    load_state,
    new_items,
    parse_since,
    text_hash,
)
from debrief.errors import InputError
from debrief.feeds import advertised_feeds, feed_list, parse_feed, read_feed

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Tagesschau</title><link>https://www.tagesschau.de/</link>
<item><title>Bundestag beschlie\xc3\x9ft Haushalt</title>
<link>https://www.tagesschau.de/inland/haushalt-100.html?utm_source=rss</link>
<guid isPermaLink="false">ts-100</guid><pubDate>Tue, 01 Dec 2026 08:00:00 +0100</pubDate>
<description>Der Bundestag hat den Haushalt &lt;b&gt;beschlossen&lt;/b&gt;.</description></item>
<item><title>Zweiter Artikel</title><link>/inland/zwei-101.html</link>
<pubDate>Mon, 30 Nov 2026 12:00:00 +0000</pubDate></item>
<item><title>Ohne Link</title></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Spiegel</title>
<entry><title>Haushalt beschlossen</title><id>https://www.tagesschau.de/inland/haushalt-100.html</id>
<link href="https://www.tagesschau.de/inland/haushalt-100.html"/>
<updated>2026-12-01T09:00:00Z</updated></entry>
<entry><title>Eigenes</title><id>tag:spiegel.de,2026:1</id>
<link href="https://www.spiegel.de/politik/a-1.html"/><updated>2026-12-01T10:00:00Z</updated>
</entry></feed>"""
JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Zeit",
        "items": [
            {
                "id": "z1",
                "url": "https://www.zeit.de/politik/z1",
                "title": "Ein Artikel",
                "date_published": "2026-12-01T07:00:00Z",
            }
        ],
    }
).encode()
FRONT_PAGE = b"""<!DOCTYPE html><html><head><title>Nachrichten</title>
<link rel="stylesheet" href="/s.css">
<link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.rss">
</head><body><p>Start</p></body></html>"""
ROUTES = {
    "/feed.rss": (RSS, "application/rss+xml"),
    "/feed.atom": (ATOM, "application/atom+xml"),
    "/feed.json": (JSON_FEED, "application/feed+json"),
    "/": (FRONT_PAGE, "text/html; charset=utf-8"),
    "/plain.html": (b"<html><body><p>Keine Feeds hier.</p></body></html>", "text/html"),
    "/local": (b"/etc/passwd", "application/rss+xml"),
}


class Feeds(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        body, kind = ROUTES.get(self.path, (b"not found", "text/plain"))
        self.send_response(200 if self.path in ROUTES else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def site():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Feeds)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_rss_items_come_with_links_made_absolute_dates_in_utc_and_markup_removed():
    feed = parse_feed(RSS, "https://www.tagesschau.de/feed.rss")
    assert feed.title == "Tagesschau"
    first, second = feed.items  # the item without a link is no article to read
    assert (first.title, first.guid, first.outlet) == (
        "Bundestag beschließt Haushalt",
        "ts-100",
        "Tagesschau",
    )
    assert first.published == "2026-12-01T07:00:00Z"
    assert first.summary == "Der Bundestag hat den Haushalt <b>beschlossen</b>."
    assert second.url == "https://www.tagesschau.de/inland/zwei-101.html"


def test_atom_and_json_feed_are_read_too():
    atom = parse_feed(ATOM, "https://www.spiegel.de/feed.atom")
    assert [item.url for item in atom.items] == [
        "https://www.tagesschau.de/inland/haushalt-100.html",
        "https://www.spiegel.de/politik/a-1.html",
    ]
    [item] = parse_feed(JSON_FEED, "https://www.zeit.de/feed.json").items
    assert (item.url, item.guid, item.published) == (
        "https://www.zeit.de/politik/z1",
        "z1",
        "2026-12-01T07:00:00Z",
    )


@pytest.mark.parametrize(
    "data, message",
    [
        (b"<html><body>Hallo</body></html>", "not a feed"),
        (b"", "not a feed"),
        (b'<rss version="2.0"><channel><title>Leer</title></channel></rss>', "no items"),
    ],
)
def test_what_is_no_feed_is_one_line(data, message):
    with pytest.raises(InputError, match=message):
        parse_feed(data, "https://example.org/feed")


def test_a_feed_body_that_names_a_file_is_never_opened(site):
    with pytest.raises(InputError, match="not a feed"):
        read_feed(f"{site}/local")


def test_a_front_page_resolves_to_the_feed_it_advertises(site):
    assert advertised_feeds(FRONT_PAGE, f"{site}/") == [f"{site}/feed.rss"]
    feed = read_feed(f"{site}/")
    assert feed.url == f"{site}/feed.rss" and len(feed.items) == 2
    with pytest.raises(InputError, match="advertises no feed"):
        read_feed(f"{site}/plain.html")
    with pytest.raises(InputError, match="404"):
        read_feed(f"{site}/missing.rss")


def test_feed_lists_in_opml_and_text(tmp_path):
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body><outline text="Nachrichten">'
        '<outline text="A" type="rss" xmlUrl="https://a.example/feed"/>'
        '<outline text="B" type="rss" xmlUrl="https://b.example/feed"/></outline>'
        "</body></opml>",
        encoding="utf-8",
    )
    assert feed_list(opml) == ["https://a.example/feed", "https://b.example/feed"]
    text = tmp_path / "feeds.txt"
    text.write_text("# morning\nhttps://a.example/feed\n\nhttps://a.example/feed\n")
    assert feed_list(text) == ["https://a.example/feed"]
    (tmp_path / "bad.txt").write_text("ftp://x.example/feed\n")
    with pytest.raises(InputError, match="is not an http"):
        feed_list(tmp_path / "bad.txt")
    (tmp_path / "empty.txt").write_text("# nothing\n")
    with pytest.raises(InputError, match="lists no feed URLs"):
        feed_list(tmp_path / "empty.txt")


def test_an_entity_bomb_in_opml_is_refused_in_one_line(tmp_path):
    bomb = tmp_path / "bomb.opml"
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8)
    )
    bomb.write_text(
        f'<?xml version="1.0"?><!DOCTYPE opml [{entities}]><opml><body>'
        '<outline text="&i;" xmlUrl="https://a.example/feed"/></body></opml>'
    )
    with pytest.raises(InputError, match="not well-formed OPML") as refused:
        feed_list(bomb)  # libxml2 refuses the amplification
    assert "\n" not in str(refused.value)


def test_canonical_urls_drop_tracking_and_fragments():
    assert canonical_url("HTTPS://www.Tagesschau.de/a.html?utm_source=rss#top") == (
        "https://www.tagesschau.de/a.html"
    )


def test_new_items_each_story_once_and_not_again_once_done(tmp_path):
    rss = parse_feed(RSS, "https://www.tagesschau.de/feed.rss").items
    atom = parse_feed(ATOM, "https://www.spiegel.de/feed.atom").items
    state = load_state(tmp_path)
    fresh, skipped = new_items([*rss, *atom], state)
    # Tagesschau's Haushalt story is in both feeds (its URL with and without tracking).
    assert [item.url for item in fresh] == [
        rss[0].url,
        rss[1].url,
        "https://www.spiegel.de/politik/a-1.html",
    ]
    assert skipped == 1
    state.remember(fresh[0], {"status": "done", "stem": "haushalt"}, text_hash(["Der Text."]))
    state.save()
    again = load_state(tmp_path)
    fresh, skipped = new_items([*rss, *atom], again)
    assert [item.url for item in fresh] == [rss[1].url, "https://www.spiegel.de/politik/a-1.html"]
    assert again.known_text(text_hash(["Der  Text."])) is not None  # whitespace ignored


def test_since_leaves_out_older_items_and_keeps_undated_ones():
    rss = parse_feed(RSS, "https://www.tagesschau.de/feed.rss").items
    now = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
    fresh, skipped = new_items(rss, load_state_empty(), since=parse_since("12h"), now=now)
    assert [item.guid for item in fresh] == ["ts-100"] and skipped == 1
    for bad in ("24", "h", "0h", "-3h", "2y"):
        with pytest.raises(InputError, match="--since"):
            parse_since(bad)


def load_state_empty():
    from debrief.digest_state import DigestState

    return DigestState(path=None)


@pytest.mark.parametrize("content", ["{not json", '{"version": 9}', "[]"])
def test_a_damaged_state_file_is_refused_not_overwritten(tmp_path, content):
    (tmp_path / STATE_FILE).write_text(content)
    with pytest.raises(InputError, match="move it away"):
        load_state(tmp_path)
    assert (tmp_path / STATE_FILE).read_text() == content
