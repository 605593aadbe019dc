"""The local server's trust boundary, tried as a hostile web page and a careless client
would: other origins, other Host names, bodies that do not say how long they are, text
that is not valid Unicode, keys in any script, jobs that pile up, a port in use. Each is
a JSON `{"error": ...}` with its status, never a 500 or a traceback."""

from __future__ import annotations

import socket
import time

import pytest
from conftest import FakeSummarizer, FakeTranslator

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient
from test_debrief_server import GERMAN, client

from debrief.cli import main
from debrief.server.app import create_app
from debrief.server.serve import local_hosts
from debrief.server.service import DebriefService


def local_client(**options) -> TestClient:
    service = DebriefService(FakeTranslator(), FakeSummarizer())
    app = create_app(service, hosts=local_hosts("127.0.0.1"), **options)
    return TestClient(app, base_url="http://127.0.0.1:8000")


def test_a_page_of_another_origin_cannot_start_work_on_a_keyless_server():
    api = local_client()
    cross_site = {"Origin": "https://attacker.example", "Content-Type": "text/plain"}
    answer = api.post("/api/jobs", content='{"text": "Hallo"}', headers=cross_site)
    assert answer.status_code == 403 and "another web page's origin" in answer.json()["error"]
    assert api.get("/health").json()["jobs"] == 0  # nothing was started
    same_site = {"Origin": "http://127.0.0.1:8000"}
    assert api.post("/api/run", json={"text": GERMAN}, headers=same_site).status_code == 200
    assert api.post("/api/run", json={"text": GERMAN}).status_code == 200  # curl: no Origin


def test_with_a_key_other_origins_may_call_with_it():
    api = local_client(api_key="k")
    headers = {"Origin": "https://newsroom.example", "X-API-Key": "k"}
    assert api.post("/api/run", json={"text": GERMAN}, headers=headers).status_code == 200
    headers["X-API-Key"] = "wrong"
    assert api.post("/api/run", json={"text": GERMAN}, headers=headers).status_code == 403


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:8000", "10.0.0.5"])
def test_a_loopback_server_answers_to_its_own_names_only(host):
    api = local_client()
    answer = api.get("/health", headers={"Host": host})
    assert answer.status_code == 421 and "this server answers to" in answer.json()["error"]
    for own in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "[::1]", "LOCALHOST"):
        assert api.get("/health", headers={"Host": own}).status_code == 200


def test_a_chunked_body_is_refused_as_it_streams_past_the_limit():
    """The app pulls a body without Content-Length chunk by chunk and stops at the
    limit: a 20 MB upload costs about the limit's worth of memory, then a 413."""
    import asyncio

    from starlette.requests import Request

    from debrief.server.fields import ApiError, read_fields

    pulled = []

    async def receive():
        pulled.append(1)
        return {"type": "http.request", "body": b"x" * 1024, "more_body": len(pulled) < 20_000}

    scope = {"type": "http", "method": "POST", "path": "/api/run", "headers": []}
    with pytest.raises(ApiError, match="larger than this server takes") as refused:
        asyncio.run(read_fields(Request(scope, receive), max_bytes=4000))
    assert refused.value.status == 413
    assert len(pulled) == 4  # 4 KB read of 20 MB
    answer = client(max_chars=1000).post(
        "/api/run", content=iter([b"x" * 1024] * 50), headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 413  # and through the app


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/translate", '{"q": "Hallo \\ud800", "source": "de", "target": "en"}', "U+D800"),
        ("/api/run", '{"text": "Die Wahl \\udfff"}', "lone surrogate"),
        ("/api/run", '{"url": "http://[::1/x"}', "is not a URL that can be fetched"),
        ("/api/run", '{"url": "http://[fe80::1%25lo]/"}', "private or local address"),
        ("/api/jobs", '{"text": 5}', "'text' must be a string"),
        ("/api/jobs", '{"url": ["a"]}', "'url' must be a string"),
    ],
)
def test_odd_input_is_a_400_with_the_reason(path, body, message):
    api = client()
    answer = api.post(path, content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400, answer.text
    assert message in answer.json()["error"]
    assert api.get("/health").json()["jobs"] == 0


def test_keys_in_any_script_match_themselves_only():
    api = client(api_key="schlüssel-ключ")
    text = {"text": GERMAN}
    assert api.post("/api/run", json={**text, "api_key": "schlüssel-ключ"}).status_code == 200
    assert api.post("/api/run", json={**text, "api_key": "schlussel"}).status_code == 403
    raw = "schlüssel-ключ".encode()  # a header's bytes, as a client sends them
    answer = api.post("/api/run", json=text, headers=[(b"x-api-key", raw)])
    assert answer.status_code == 200
    assert api.post("/api/run", json=text, headers={"X-API-Key": "wrong"}).status_code == 403
    assert client(api_key="k").post("/api/run", json=text, headers=[(b"x-api-key", raw)]).json()[
        "error"
    ] == ("invalid API key")


def test_finished_jobs_can_be_deleted_and_expire():
    service = DebriefService(FakeTranslator(), FakeSummarizer(), job_seconds=60)
    api = TestClient(create_app(service))
    job_id = api.post("/api/jobs", json={"text": GERMAN}).json()["id"]
    deadline = time.monotonic() + 10
    while api.get(f"/api/jobs/{job_id}").json()["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert api.delete(f"/api/jobs/{job_id}").json() == {"id": job_id, "deleted": True}
    assert api.get(f"/api/jobs/{job_id}").status_code == 404
    assert api.delete(f"/api/jobs/{job_id}").status_code == 404
    job_id = api.post("/api/jobs", json={"text": GERMAN}).json()["id"]
    while service.jobs[job_id].finished is None:
        time.sleep(0.02)
    service.expire_jobs(now=time.time() + 30)
    assert job_id in service.jobs
    service.expire_jobs(now=time.time() + 61)
    assert job_id not in service.jobs


def test_a_running_job_is_not_deleted():
    service = DebriefService(FakeTranslator(), FakeSummarizer())
    api = TestClient(create_app(service))
    release = __import__("threading").Event()
    job = service.submit(lambda job: release.wait(10))
    answer = api.delete(f"/api/jobs/{job.id}")
    assert answer.status_code == 409 and "delete it when it has finished" in answer.json()["error"]
    release.set()


def test_unknown_paths_and_methods_answer_in_the_documented_shape():
    api = client()
    assert api.get("/no/such/path").json() == {"error": "Not Found"}
    answer = api.get("/translate")
    assert answer.status_code == 405 and answer.json() == {"error": "Method Not Allowed"}


def test_serve_on_a_port_in_use_is_one_line_exit_2(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "serving on" not in err
    [line] = [line for line in err.splitlines() if line.startswith("debrief: error:")]
    assert f"port {port} on 127.0.0.1 is in use; choose another with --port" in line


@pytest.mark.parametrize("host", ["999.1.1.1", "192.0.2.254"])  # no such name; not ours
def test_serve_on_an_address_that_is_not_this_machines_is_one_line(host, capsys):
    assert main(["serve", "--host", host, "--port", "8123"]) == 2
    err = capsys.readouterr().err
    [line] = [line for line in err.splitlines() if line.startswith("debrief: error:")]
    assert f"--host {host} is not an address of this machine" in line
    assert "--port" not in line  # the port is not what is wrong


@pytest.mark.parametrize("origin", ["example.org", "https://example.org/page", "ftp://x.org"])
def test_a_cors_origin_that_is_no_origin_is_one_line_before_any_model_loads(origin, capsys):
    assert main(["serve", "--cors-origin", origin, "--translation-model", "./nope"]) == 2
    err = capsys.readouterr().err
    [line] = [line for line in err.splitlines() if line.startswith("debrief: error:")]
    assert f"--cors-origin {origin!r} is not an origin" in line
    assert "Traceback" not in err and "loading" not in err


# --- Archive records that are never lost -----------------------------------------------------


def _archive_run(tmp_path, archive) -> tuple[int, list[dict]]:
    import json

    code = main(["run", str(archive), "--out-dir", str(tmp_path / "out"), "-q", "--no-cache"])
    folder = tmp_path / "out" / archive.name.rsplit(".", 1)[0]
    lines = [
        json.loads(line)
        for shard in sorted(folder.glob("part-*.jsonl"))
        for line in shard.read_text(encoding="utf-8").splitlines()
    ]
    return code, lines


def test_an_id_with_a_lone_surrogate_keeps_its_record(monkeypatch, tmp_path):
    from conftest import install_fake_models

    install_fake_models(monkeypatch, FakeTranslator(), FakeSummarizer())
    archive = tmp_path / "news.jsonl"
    archive.write_text(
        '{"id": "a\\ud800", "text": "Die Regierung in Minsk hat gewählt."}\n'
        '{"id": "b", "text": "Die Opposition protestiert.", "source_url": "https://x.org/\\udfff"}\n',
        encoding="utf-8",
    )
    code, lines = _archive_run(tmp_path, archive)
    assert code == 0
    assert [line["id"] for line in lines] == ["a\ud800", "b"]  # escaped, read back the same
    assert all(line["paragraphs"] for line in lines)


def test_a_jsonl_archive_starting_with_a_bom_keeps_its_first_line(monkeypatch, tmp_path):
    from conftest import install_fake_models

    install_fake_models(monkeypatch, FakeTranslator(), FakeSummarizer())
    archive = tmp_path / "bom.jsonl"
    archive.write_bytes(
        b'\xef\xbb\xbf{"id": "1", "text": "Die Regierung in Minsk hat gew\xc3\xa4hlt."}\n'
        b'{"id": "2", "text": "Die Opposition protestiert."}\n'
    )
    code, lines = _archive_run(tmp_path, archive)
    assert code == 0 and [line["id"] for line in lines] == ["1", "2"]
    assert "error" not in lines[0]


def test_format_html_keeps_a_documents_declarations_as_sent():
    document = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        "<html><body><p>Die Regierung tagt.</p><![CDATA[a < b && c]]>"
        "<!-- Kommentar --></body></html>"
    )
    answer = client().post("/translate", json={"q": document, "source": "de", "format": "html"})
    assert answer.status_code == 200, answer.text
    translated = answer.json()["translatedText"]
    assert translated == document.replace(
        "<p>Die Regierung tagt.</p>", "<p>EN[Die Regierung tagt.]</p>"
    )


@pytest.mark.parametrize(
    ("html", "translated"),
    [
        # Mastodon marks links and custom emoji translate="no"; their text stays, placed
        # where the English has it (the fake translator keeps every word).
        (
            '<p>Siehe <a href="https://x.example" translate="no">x.example/<b>neu</b></a></p>',
            '<p>EN[Siehe <a href="https://x.example" translate="no">x.example/<b>neu</b></a>]</p>',
        ),
        (
            '<p>Gut <span class="invisible notranslate">:party:</span></p>',
            '<p>EN[Gut <span class="invisible notranslate">:party:</span>]</p>',
        ),
        (
            "<p>Führe <code>make test</code> aus.</p>",
            "<p>EN[Führe <code>make test</code> aus.]</p>",
        ),
        ("<pre>Zeile eins\nZeile zwei</pre>", "<pre>Zeile eins\nZeile zwei</pre>"),
        ("<p>Am <time>Montag</time>.</p>", "<p>EN[Am <time>Montag</time>.]</p>"),
        (
            "<style>p { color: red }</style><P>Hallo</P>",
            "<style>p { color: red }</style><P>EN[Hallo]</P>",
        ),
        # A protected element closed with the others still open inside it ends there.
        ("<code><b>x</code><p>Text</p>", "<code><b>x</code><p>EN[Text]</p>"),
        ("<p>Ein<br>Zwei</p>", "<p>EN[Ein]<br>EN[Zwei]</p>"),
    ],
)
def test_format_html_leaves_alone_what_libretranslate_leaves_alone(html, translated):
    answer = client().post("/translate", json={"q": html, "source": "de", "format": "html"})
    assert answer.json()["translatedText"] == translated
