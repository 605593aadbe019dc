"""A news site on 127.0.0.1 for the digest tests: three German stories with their pages
and two RSS feeds that share one item (once with a tracking parameter)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

ARTICLE = (
    "<!DOCTYPE html><html lang='de'><head><title>{title}</title></head><body><article>"
    "<h1>{title}</h1><p>{text}</p><p>Das meldete eine Sprecherin am Montag.</p>"
    "</article></body></html>"
)
# Each story's own text: three different stories share no five words in a row.
TEXTS = {
    "haushalt": (
        "Haushalt beschlossen",
        "Der Bundestag hat den Haushalt für das kommende Jahr beschlossen. Die Koalition "
        "setzte sich mit knapper Mehrheit durch, die Union stimmte geschlossen dagegen. "
        "Finanzminister Lindner sprach von einem soliden Rahmen für schwierige Zeiten. "
        "Die Ausgaben steigen auf rund 477 Milliarden Euro, die Neuverschuldung sinkt.",
    ),
    "streik": (
        "Streik bei der Bahn",
        "Die Gewerkschaft ruft zum Streik auf. Ab Mittwoch sollen Lokführer im ganzen Land "
        "für zwei Tage die Arbeit niederlegen, im Fernverkehr wie im Nahverkehr. Reisende "
        "müssen mit massiven Ausfällen rechnen, warnte der Konzern. Der Tarifstreit dauert "
        "schon seit Monaten an, eine Einigung ist nicht in Sicht.",
    ),
    "wahl": (
        "Wahl in Sachsen",
        "In Sachsen wird ein neuer Landtag gewählt. Umfragen sehen ein enges Rennen zwischen "
        "den beiden stärksten Parteien, kleinere müssen um den Einzug bangen. Die Wahllokale "
        "öffnen um acht Uhr und schließen um achtzehn Uhr. Erste Hochrechnungen werden kurz "
        "danach im Fernsehen erwartet.",
    ),
}


def rss(items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>{date}</pubDate></item>"
        for title, link, date in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Testfeed</title>'
        f"{entries}</channel></rss>"
    ).encode()


class Site(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[bytes, str]]] = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        body, kind = self.routes.get(self.path, (b"not found", "text/plain"))
        self.send_response(200 if self.path in self.routes else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serving_site() -> Iterator[str]:
    """Serve the site; yields its base URL (Site.routes may be changed meanwhile)."""
    Site.routes = {}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    for name, (title, text) in TEXTS.items():
        page = ARTICLE.format(title=title, text=text).encode()
        Site.routes[f"/{name}.html"] = (page, "text/html; charset=utf-8")
    Site.routes["/a.rss"] = (
        rss(
            [
                ("Haushalt", f"{base}/haushalt.html", "Tue, 01 Dec 2026 08:00:00 +0000"),
                ("Streik", f"{base}/streik.html", "Tue, 01 Dec 2026 09:00:00 +0000"),
            ]
        ),
        "application/rss+xml",
    )
    Site.routes["/b.rss"] = (
        rss(
            [("Haushalt!", f"{base}/haushalt.html?utm_source=b", "Tue, 01 Dec 2026 08:05:00 +0000")]
        ),
        "application/rss+xml",
    )
    try:
        yield base
    finally:
        httpd.shutdown()
        httpd.server_close()


def add_copy_of_haushalt(base: str) -> None:
    """Another outlet's feed (/c.rss) with the Haushalt story as it ran it: its own
    headline and first sentence, the last sentence cut, a sentence of its own added."""
    sentences = TEXTS["haushalt"][1].split(". ")
    copy = ". ".join(["Etat steht: Parlament stimmt zu", *sentences[1:3], "So weit der Stand"])
    Site.routes["/c/etat.html"] = (
        ARTICLE.format(title="Etat steht", text=copy + ".").encode(),
        "text/html; charset=utf-8",
    )
    Site.routes["/c.rss"] = (
        rss([("Etat", f"{base}/c/etat.html", "Tue, 01 Dec 2026 08:30:00 +0000")]),
        "application/rss+xml",
    )
