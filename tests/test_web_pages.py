"""Web pages and URLs in: extraction of the saved pages in tests/pages/, and URLs through
the real CLI against a server on 127.0.0.1 that the tests start (no other network)."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import FakeSummarizer, FakeTranslator, install_fake_models
from support.web_pages import EXPECTED, PAGES

from debrief.cli import main
from debrief.errors import InputError
from debrief.inputs import url_stem
from translate.webpage import article_from_html, looks_like_html

# --- Extraction ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_saved_page_gives_its_article_and_no_boilerplate(name):
    title, paragraphs, absent = EXPECTED[name]
    data = (PAGES / name).read_bytes()
    if paragraphs is None:
        # A saved file is not told to save the page: it says how to save it better.
        with pytest.raises(InputError, match=f"no article text found in {name}; ") as caught:
            article_from_html(data, name)
        assert "save it again once the article shows" in str(caught.value)
        assert "save the page from your browser" not in str(caught.value)
        return
    article = article_from_html(data, name)
    assert article.title == title
    assert list(article.paragraphs) == paragraphs
    everything = " ".join([*article.paragraphs, article.title or ""])
    for boilerplate in absent:
        assert boilerplate not in everything, boilerplate


def test_metadata_and_canonical_url():
    article = article_from_html((PAGES / "comments.html").read_bytes(), "comments.html")
    assert (article.author, article.date, article.site) == (
        "Paul Becker",
        "2023-09-08",
        "DER SPIEGEL",
    )
    assert article.source_url == (
        "https://www.spiegel.de/politik/deutschland/heizungsgesetz-bundestag-a-1234.html"
    )
    # No canonical link: the URL it was fetched from, else none.
    gallery = (PAGES / "gallery.html").read_bytes()
    assert article_from_html(gallery, "g", url="http://example.org/g").source_url == (
        "http://example.org/g"
    )
    assert article_from_html(gallery, "g").source_url is None


@pytest.mark.parametrize(
    ("data", "html"),
    [
        (b"<!DOCTYPE html><html>", True),
        (b"\xef\xbb\xbf  <!-- saved --> <html lang=de>", True),
        (b"<HEAD><title>x</title>", True),
        (b"Die Regierung in Minsk <b>hat</b> gesagt.", False),
        (b"https://example.org/\n\nText.", False),
    ],
)
def test_html_is_told_from_text_by_its_start(data, html):
    assert looks_like_html(data) is html


@pytest.mark.parametrize(
    ("url", "stem"),
    [
        ("https://www.zeit.de/politik/ausland/2020-08/belarus-proteste", "belarus-proteste"),
        ("https://www.spiegel.de/politik/heizung-a-1234.html", "heizung-a-1234"),
        ("https://example.org/", "example.org"),
        ("https://example.org/a%20b/c d?x=1", "c-d"),
        ("https://example.org/../..", "example.org"),
    ],
)
def test_url_stems_are_safe_file_names(url, stem):
    assert url_stem(url) == stem


# --- A local server -----------------------------------------------------------------------------


class Pages(BaseHTTPRequestHandler):
    user_agents: ClassVar[list[str]] = []

    def log_message(self, *args):  # keep the test output clean
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # A client that stops reading (the size cap) closes the connection; that is the
        # point of the test, not an error to print into the next test's output.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def do_GET(self):
        Pages.user_agents.append(self.headers.get("User-Agent", ""))
        path = self.path.split("?")[0]
        if path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/pages/comments.html")
            self.end_headers()
        elif path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif path == "/error":
            self._send(500, b"<html><body>Internal Server Error</body></html>")
        elif path == "/slow":
            time.sleep(3)
            self._send(200, (PAGES / "video.html").read_bytes())
        elif path == "/huge":
            self._send(200, b"<html><body>" + b"<p>Satz.</p>" * 200_000 + b"</body></html>")
        elif path == "/report.pdf":
            self._send(200, b"%PDF-1.4 ...", "application/pdf")
        elif path == "/english":
            text = "".join(
                f"<p>The government in Minsk said on {day} that the vote was fair and free.</p>"
                for day in ("Sunday", "Monday", "Tuesday", "Wednesday")
            )
            self._send(
                200,
                f"<html><head><title>Minsk</title></head><body><article>"
                f"<h1>Minsk</h1>{text}</article></body></html>".encode(),
            )
        elif path.startswith("/pages/") and (PAGES / path[len("/pages/") :]).is_file():
            name = path[len("/pages/") :]
            charset = "" if "cp1252" in name or "no-charset" in name else "; charset=utf-8"
            self._send(200, (PAGES / name).read_bytes(), f"text/html{charset}")
        elif path.startswith("/a/") or path.startswith("/b/"):
            self._send(200, (PAGES / "gallery.html").read_bytes())
        else:
            self._send(404, b"<html><body>Not Found</body></html>")


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # a client gone away is no error here
        pass


@pytest.fixture(scope="module")
def server():
    httpd = QuietServer(("127.0.0.1", 0), Pages)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def refused_url():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/page.html"


@pytest.fixture
def fakes(monkeypatch, tmp_path):
    install_fake_models(monkeypatch, FakeTranslator(), FakeSummarizer())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_translate_a_saved_page_to_json(fakes, capsys):
    page = fakes / "heizung.html"
    page.write_bytes((PAGES / "comments.html").read_bytes())
    assert main(["translate", str(page), "--model", "m", "--format", "json", "-o", "h.json"]) == 0
    record = json.loads((fakes / "h.json").read_text(encoding="utf-8"))
    title, paragraphs, absent = EXPECTED["comments.html"]
    assert record["title"] == title
    assert record["title_translation"] == f"EN[{title}]"
    assert (record["author"], record["date"], record["site"]) == (
        "Paul Becker",
        "2023-09-08",
        "DER SPIEGEL",
    )
    assert record["source_url"].startswith("https://www.spiegel.de/")
    assert [p["source"] for p in record["paragraphs"]] == paragraphs
    assert not any(text in json.dumps(record, ensure_ascii=False) for text in absent)


def test_text_and_markdown_start_with_the_english_title(fakes, capsys):
    page = fakes / "seite.htm"
    page.write_bytes((PAGES / "video.html").read_bytes())
    assert main(["translate", str(page), "--model", "m", "-o", "s.txt", "-q"]) == 0
    text = (fakes / "s.txt").read_text(encoding="utf-8")
    assert text.startswith("EN[Hochwasser in Süddeutschland: Pegel steigen weiter]\n\nhttps://")
    assert main(["translate", str(page), "--model", "m", "-o", "s.md", "-q"]) == 0
    assert (fakes / "s.md").read_text(encoding="utf-8").startswith("# EN\\[Hochwasser")


def test_run_a_url_gives_its_article_title_and_three_files(fakes, server, capsys):
    url = f"{server}/pages/liveblog.html"
    assert (
        main(
            [
                "run",
                url,
                "--translation-model",
                "m",
                "--summary-model",
                "lead-3",
                "--out-dir",
                "out",
                "-q",
            ]
        )
        == 0
    )
    record = json.loads((fakes / "out" / "liveblog.json").read_text(encoding="utf-8"))
    title, paragraphs, _ = EXPECTED["liveblog.html"]
    assert record["title"] == title
    assert [p["source"] for p in record["paragraphs"]] == paragraphs
    # The brief reads the article, not the title.
    assert "Der Liveblog" not in record["summary"]["text"]
    assert (
        (fakes / "out" / "liveblog.en.txt").read_text(encoding="utf-8").startswith(f"EN[{title}]")
    )
    assert Pages.user_agents[-1].startswith("debrief/")


def test_a_redirect_is_followed_and_the_canonical_url_recorded(fakes, server, capsys):
    argv = ["translate", f"{server}/moved", "--model", "m", "--format", "json", "-o", "r.json"]
    assert main(argv) == 0
    record = json.loads((fakes / "r.json").read_text(encoding="utf-8"))
    assert record["title"] == EXPECTED["comments.html"][0]
    assert record["source_url"].startswith("https://www.spiegel.de/")


def test_the_url_fetched_is_the_source_when_the_page_names_none(fakes, server, capsys):
    url = f"{server}/pages/gallery.html"
    assert main(["translate", url, "--model", "m", "--format", "json", "-o", "g.json"]) == 0
    assert json.loads((fakes / "g.json").read_text(encoding="utf-8"))["source_url"] == url


@pytest.mark.parametrize(
    ("path", "options", "message"),
    [
        ("/missing.html", [], "the server answered 404 Not Found"),
        ("/error", [], "the server answered 500 Internal Server Error"),
        ("/slow", ["--fetch-timeout", "1"], "did not answer within the time allowed"),
        ("/huge", ["--max-input-mb", "1"], "the page is larger than 1.0 MB"),
        ("/report.pdf", [], "is application/pdf, not a web page"),
        ("/loop", [], "more than 5 redirects"),
        ("/pages/paywall-teaser.html", [], "no article text found at http://127.0.0.1"),
        ("/english", ["--strict"], "looks like English"),
    ],
)
def test_url_failures_are_one_line_exit_2_and_nothing_written(
    fakes, server, capsys, path, options, message
):
    started = time.monotonic()
    argv = ["translate", f"{server}{path}", "--model", "m", "-o", "out.txt", "--no-cache"]
    assert main([*argv, *options]) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("debrief: error:")]
    assert len(lines) == 1 and message in lines[0], err
    assert "Traceback" not in err
    assert not (fakes / "out.txt").exists()
    assert time.monotonic() - started < 20


def test_a_refused_connection(fakes, refused_url, capsys):
    assert main(["translate", refused_url, "--model", "m", "--no-cache"]) == 2
    assert "refused the connection" in capsys.readouterr().err


def test_an_unknown_host(fakes, capsys, monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(-2, "Name or service not known")

    # The lookup itself is answered here: no query leaves this machine.
    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    assert main(["translate", "http://no-such-host.invalid/x", "--model", "m"]) == 2
    assert "no such host 'no-such-host.invalid'" in capsys.readouterr().err


def test_run_with_urls_and_files_mixed(fakes, server, capsys):
    (fakes / "bericht.de.txt").write_text(
        "Die Regierung in Minsk hat am Sonntag gewählt. Die Opposition protestiert.\n",
        encoding="utf-8",
    )
    inputs = [
        f"{server}/a/index.html",
        f"{server}/b/index.html",  # the same stem: written as index-2
        f"{server}/missing.html",
        "bericht.de.txt",
        f"{server}/pages/comments.html",
    ]
    argv = ["run", *inputs, "--translation-model", "m", "--summary-model", "lead-3"]
    Pages.user_agents.clear()
    assert main([*argv, "--out-dir", "out", "--no-cache", "-q"]) == 4
    err = capsys.readouterr().err
    assert "missing.html: the server answered 404" in err and "1 of 5 inputs failed" in err
    written = sorted(path.name for path in (fakes / "out").iterdir())
    assert written == sorted(
        f"{stem}{suffix}"
        for stem in ("index", "index-2", "bericht", "comments")
        for suffix in (".en.txt", ".summary.txt", ".json", ".html")
    )
    assert len(Pages.user_agents) == 4  # each URL fetched once


def test_a_resumed_run_takes_pages_from_the_cache(fakes, server, capsys, monkeypatch):
    monkeypatch.setenv("DEBRIEF_CACHE_DIR", str(fakes / "cache"))
    url = f"{server}/pages/video.html"
    argv = ["run", url, "--translation-model", "m", "--summary-model", "lead-3", "-q"]
    Pages.user_agents.clear()
    assert main([*argv, "--out-dir", "one"]) == 0
    assert main([*argv, "--out-dir", "two"]) == 0
    assert len(Pages.user_agents) == 1  # fetched once, then from the cache
    assert main([*argv, "--out-dir", "three", "--no-cache"]) == 0
    assert len(Pages.user_agents) == 2
    assert (fakes / "one" / "video.json").read_bytes() == (
        fakes / "two" / "video.json"
    ).read_bytes()


def test_a_configured_user_agent_is_sent(fakes, server, capsys):
    argv = ["translate", f"{server}/pages/video.html", "--model", "m", "--no-cache", "-q"]
    assert main([*argv, "--user-agent", "research-bot/1.0"]) == 0
    assert Pages.user_agents[-1] == "research-bot/1.0"


def test_only_http_and_https_urls_are_fetched():
    from debrief.fetch import fetch_page

    with pytest.raises(InputError, match="only http:// and https:// URLs"):
        fetch_page("file:///etc/passwd", max_bytes=1000)
    assert not Path("https:").exists()


def test_html_on_standard_input_is_read_as_a_page(fakes, capsys, monkeypatch):
    import io
    import sys

    class Stdin:
        buffer = io.BytesIO((PAGES / "gallery.html").read_bytes())

    monkeypatch.setattr(sys, "stdin", Stdin())
    assert main(["translate", "-", "--model", "m", "--format", "json", "-o", "g.json"]) == 0
    record = json.loads((fakes / "g.json").read_text(encoding="utf-8"))
    assert [p["source"] for p in record["paragraphs"]] == EXPECTED["gallery.html"][1]


@pytest.mark.slow
def test_the_console_script_with_the_tiny_model_reads_a_url_and_a_saved_page(
    tiny_marian_dir, server, tmp_path
):
    from test_debrief_cli import run_debrief

    url = f"{server}/pages/comments.html"
    model = ["--translation-model", str(tiny_marian_dir), "--summary-model", "lead-3"]
    run = run_debrief("run", url, *model, "--out-dir", str(tmp_path / "out"), "-q", "--no-retry")
    assert run.returncode == 0, run.stderr
    record = json.loads((tmp_path / "out" / "comments.json").read_text(encoding="utf-8"))
    title, paragraphs, absent = EXPECTED["comments.html"]
    assert record["title"] == title and record["title_translation"].strip()
    assert not any(text in json.dumps(record, ensure_ascii=False) for text in absent)
    assert [p["source"] for p in record["paragraphs"]] == paragraphs
    saved = tmp_path / "seite.html"
    saved.write_bytes((PAGES / "video.html").read_bytes())
    output = str(tmp_path / "seite.json")
    translate = run_debrief(
        "translate",
        str(saved),
        "--model",
        str(tiny_marian_dir),
        "--format",
        "json",
        "-o",
        output,
        "-q",
        "--no-retry",
    )
    assert translate.returncode == 0, translate.stderr
    record = json.loads((tmp_path / "seite.json").read_text(encoding="utf-8"))
    assert [p["source"] for p in record["paragraphs"]] == EXPECTED["video.html"][1]
    assert not any(
        text in json.dumps(record, ensure_ascii=False) for text in EXPECTED["video.html"][2]
    )
