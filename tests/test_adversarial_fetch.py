"""The fetcher's trust boundary, tried as an attacker and a careless user would: the
server's address policy on every connection of every redirect hop (redirects inward, DNS
rebinding, URLs read two ways, link-local IPv6), deadlines that hold against a server
that sends a byte at a time, proxies from the environment, and one line for each failure.

Every server here listens on 127.0.0.1 or 127.0.0.2 (both loopback) and is started by the
test; a test that needs a "public" address declares 127.0.0.2 public, and every DNS
answer is given by the test: nothing leaves this machine."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import FakeSummarizer, FakeTranslator, install_fake_models

import debrief.connections
from debrief.cli import main
from debrief.errors import InputError
from debrief.fetch import FetchSettings, fetch_page

pytest.importorskip("fastapi")
from test_debrief_server import client

PAGE = (
    "<html><head><title>Wahl in Minsk</title></head><body><article><h1>Wahl in Minsk</h1>"
    + "".join(
        f"<p>Die Regierung in Minsk hat am {day} gewählt, die Opposition protestiert.</p>"
        for day in ("Sonntag", "Montag", "Dienstag", "Mittwoch")
    )
    + "</article></body></html>"
).encode()
SECRET = b"<html><body><p>internal: the admin password is hunter2</p></body></html>"


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


@contextmanager
def http_server(address: str, answer) -> Iterator[tuple[str, list[str]]]:
    """A server on `address` whose every GET `answer(handler)` handles; yields its base
    URL and the paths it was asked for."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            hits.append(self.path)
            with suppress(BrokenPipeError, ConnectionResetError):
                answer(self)

    httpd = _Quiet((address, 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://{address}:{httpd.server_address[1]}", hits
    finally:
        httpd.shutdown()
        httpd.server_close()


def send(handler, body: bytes = PAGE, status: int = 200, **headers: str) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def internal():
    """A page only the machine itself should see, on 127.0.0.1."""
    with http_server("127.0.0.1", lambda handler: send(handler, SECRET)) as (base, hits):
        yield base, hits


@pytest.fixture
def public_is_127_0_0_2(monkeypatch):
    """127.0.0.2 stands for the public internet in these tests; the rest of 127/8 does not."""
    monkeypatch.setattr(
        debrief.connections, "is_public_address", lambda address: address == "127.0.0.2"
    )


def resolver(monkeypatch, answers: dict[str, list[str]]) -> list[str]:
    """Answer DNS for the names in `answers` (each call takes the next address, the last
    one repeating); other names are looked up as usual. Returns the names asked for."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            asked.append(host)
            queue = answers[host]
            address = queue.pop(0) if len(queue) > 1 else queue[0]
            return real(address, port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def api_run(url: str, **options):
    return client(**options).post("/api/run", json={"url": url})


# --- The server's address policy, on every connection ----------------------------------------


def test_a_public_page_that_redirects_inward_is_refused(public_is_127_0_0_2, internal):
    internal_base, internal_hits = internal
    target = f"{internal_base}/admin"
    with http_server("127.0.0.2", lambda h: send(h, b"", 302, Location=target)) as (base, _):
        answer = api_run(f"{base}/story")
    assert answer.status_code == 400
    assert "private or local address (127.0.0.1)" in answer.json()["error"]
    assert internal_hits == []


def test_a_name_that_rebinds_to_loopback_is_connected_where_it_was_checked(
    public_is_127_0_0_2, internal, monkeypatch
):
    _, internal_hits = internal
    # Public at the first answer, loopback at every later one: one lookup is all there is.
    with http_server("127.0.0.2", send) as (base, public_hits):
        public_port = base.rsplit(":", 1)[1]
        asked = resolver(monkeypatch, {"news.test": ["127.0.0.2", "127.0.0.1"]})
        answer = api_run(f"http://news.test:{public_port}/story")
    assert internal_hits == []
    assert answer.status_code == 200, answer.json()
    assert public_hits == ["/story"] and asked == ["news.test"]


def test_a_name_that_answers_loopback_too_is_refused(public_is_127_0_0_2, internal, monkeypatch):
    internal_base, internal_hits = internal
    resolver(monkeypatch, {"mixed.test": ["127.0.0.1"]})
    answer = api_run(f"http://mixed.test:{internal_base.rsplit(':', 1)[1]}/admin")
    assert answer.status_code == 400 and "private or local address" in answer.json()["error"]
    assert internal_hits == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}\\@127.0.0.2:{port}/x",  # read two ways by two parsers
        "http://127.0.0.2:{port}@127.0.0.1:{port}/x",
        "http://[::ffff:127.0.0.1]:{port}/x",  # IPv4 inside IPv6
        "http://2130706433:{port}/x",  # 127.0.0.1 as one number
        "http://0x7f.1:{port}/x",
        "http://[fe80::1%25lo]:{port}/x",  # link-local with a zone
        "http://0.0.0.0:{port}/x",
    ],
)
def test_urls_that_hide_a_local_address_are_refused(public_is_127_0_0_2, internal, url):
    internal_base, internal_hits = internal
    answer = api_run(url.format(port=internal_base.rsplit(":", 1)[1]))
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"].count("\n") == 0
    assert "hunter2" not in answer.text
    assert internal_hits == []


def test_allow_private_urls_fetches_them(internal):
    internal_base, internal_hits = internal
    answer = api_run(f"{internal_base}/admin", allow_private_urls=True)
    assert internal_hits == ["/admin"]
    assert answer.status_code in (200, 400)  # fetched; the page itself may hold too little


# --- Deadlines that hold ---------------------------------------------------------------------


def drip_headers(handler):
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n":
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(0.2)


def drip_body(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.end_headers()
    handler.wfile.flush()
    for byte in PAGE:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(0.2)


@pytest.fixture
def fakes(monkeypatch, tmp_path):
    install_fake_models(monkeypatch, FakeTranslator(), FakeSummarizer())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def error_lines(capsys) -> list[str]:
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    return [line for line in err.splitlines() if line.startswith("debrief: error:")]


@pytest.mark.parametrize("answer", [drip_headers, drip_body], ids=["headers", "body"])
def test_a_server_sending_a_byte_at_a_time_is_cut_at_the_deadline(fakes, capsys, answer):
    with http_server("127.0.0.1", answer) as (base, _):
        started = time.monotonic()
        argv = ["translate", f"{base}/x", "--model", "m", "-o", "out.txt", "--no-cache"]
        assert main([*argv, "--fetch-timeout", "1.5"]) == 2
        elapsed = time.monotonic() - started
    [line] = error_lines(capsys)
    assert "did not answer within the time allowed" in line
    assert elapsed < 5
    assert not (fakes / "out.txt").exists()


def test_the_servers_fetch_holds_its_deadline(public_is_127_0_0_2, monkeypatch):
    with http_server("127.0.0.2", drip_body) as (base, _):
        service_fetch = FetchSettings(total_seconds=1.5, allow_private=False)
        started = time.monotonic()
        with pytest.raises(InputError, match="did not answer within the time allowed"):
            fetch_page(f"{base}/x", max_bytes=1_000_000, settings=service_fetch)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--fetch-timeout", "inf"], "--fetch-timeout must be more than 0 and at most 86400"),
        (["--fetch-timeout", "1e10"], "--fetch-timeout must be more than 0 and at most 86400"),
        (["--fetch-timeout", "nan"], "--fetch-timeout must be more than 0 and at most 86400"),
        (["--max-input-mb", "nan"], "--max-input-mb must be"),
        (["--max-input-mb", "inf"], "--max-input-mb must be"),
    ],
)
def test_impossible_limits_are_one_line(fakes, capsys, options, message):
    (fakes / "a.de.txt").write_text("Die Regierung hat gewählt.\n", encoding="utf-8")
    assert main(["translate", "a.de.txt", "--model", "m", "-o", "out.txt", *options]) == 2
    [line] = error_lines(capsys)
    assert message in line
    assert not (fakes / "out.txt").exists()


# --- Proxies, DNS, odd redirects ---------------------------------------------------------------


def test_http_proxy_from_the_environment_is_used_and_no_proxy_honoured(fakes, capsys, monkeypatch):
    with http_server("127.0.0.1", send) as (proxy, proxy_hits):
        monkeypatch.setenv("HTTP_PROXY", proxy)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        argv = ["translate", "http://news.invalid/story", "--model", "m", "--no-cache"]
        assert main([*argv, "-o", "a.txt"]) == 0
        assert proxy_hits == ["http://news.invalid/story"]  # the proxy was asked, whole URL
        assert (fakes / "a.txt").read_text(encoding="utf-8").startswith("EN[Wahl in Minsk]")

        monkeypatch.setenv("NO_PROXY", "news.invalid")

        def no_such_host(*args, **kwargs):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

        monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
        assert main([*argv, "-o", "b.txt"]) == 2
        assert len(proxy_hits) == 1
    [line] = error_lines(capsys)
    assert "no such host 'news.invalid'" in line


def test_no_network_is_not_blamed_on_the_url(fakes, capsys, monkeypatch):
    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    assert main(["translate", "http://news.invalid/story", "--model", "m", "--no-cache"]) == 2
    [line] = error_lines(capsys)
    assert "(no answer from DNS); check the network connection" in line
    assert "check the URL" not in line


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("http://[::1", "not a URL"),
        ("ftp://example.org/x", "which is not http(s)"),
        ("file:///etc/passwd", "which is not http(s)"),
    ],
)
def test_odd_redirects_are_one_line(fakes, capsys, location, message):
    with http_server("127.0.0.1", lambda h: send(h, b"", 302, Location=location)) as (base, _):
        argv = ["translate", f"{base}/x", "--model", "m", "-o", "out.txt", "--no-cache"]
        assert main(argv) == 2
    [line] = error_lines(capsys)
    assert message in line
    assert not (fakes / "out.txt").exists()


def test_the_servers_too_large_page_names_its_own_limit(public_is_127_0_0_2):
    big = b"<html><body>" + b"<p>Satz.</p>" * 2000 + b"</body></html>"
    with http_server("127.0.0.2", lambda h: send(h, big)) as (base, _):
        answer = api_run(f"{base}/big", max_chars=1000)
    error = answer.json()["error"]
    assert "--max-chars" in error and "--max-input-mb" not in error


@pytest.mark.parametrize(
    ("agent", "variable"),
    [
        ("x\r\nX-Injected: 1", False),  # a header of its own
        ("debrief \U0001f600", False),  # not Latin-1: cannot be sent
        ("a\nb", True),
    ],
)
def test_a_user_agent_that_cannot_be_a_header_is_one_line(
    agent, variable, tmp_path, monkeypatch, capsys
):
    install_fake_models(monkeypatch, FakeTranslator(), FakeSummarizer())
    monkeypatch.chdir(tmp_path)
    argv = ["translate", "https://example.org/a", "--model", "m", "-o", "out.txt"]
    if variable:
        monkeypatch.setenv("DEBRIEF_USER_AGENT", agent)
    else:
        argv += ["--user-agent", agent]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot be sent as a header" in err, err
    assert ("$DEBRIEF_USER_AGENT" if variable else "--user-agent") in err
    assert list(tmp_path.iterdir()) == []


def test_a_latin_1_user_agent_is_accepted():
    FetchSettings(user_agent="débrief-Prüfung/1.0")  # no error
