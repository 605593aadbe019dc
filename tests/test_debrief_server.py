"""`debrief serve`: the LibreTranslate-compatible API, debrief's own API, jobs, errors as
JSON, limits, and batches shared by concurrent clients. Models are fakes here (and the
tiny models in the slow test); every request runs the job's own code."""

from __future__ import annotations

import json
import threading
import time

import pytest
from conftest import SEED_ARTICLE, FakeSummarizer, FakeTranslator, FixedSummarizer

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from debrief.server.app import create_app
from debrief.server.service import BatchingTranslator, DebriefService

GERMAN = (
    "Die Regierung in Minsk hat am Sonntag gewählt. Die Opposition protestiert seit Tagen.\n\n"
    "Die Europäische Union droht mit Sanktionen."
)


class SlowTranslator(FakeTranslator):
    """A fake whose every model call takes a while, as a real one does."""

    def translate_batch(self, texts, *, num_beams=None):
        time.sleep(0.05)
        return super().translate_batch(texts, num_beams=num_beams)


def client(translator=None, summarizer=None, api_key=None, **options) -> TestClient:
    service = DebriefService(
        translator or FakeTranslator(), summarizer or FakeSummarizer(), **options
    )
    return TestClient(create_app(service, api_key=api_key))


def test_languages_list_german_into_english_and_english_as_a_known_code():
    assert client().get("/languages").json() == [
        {"code": "de", "name": "German", "targets": ["en"]},
        {"code": "en", "name": "English", "targets": []},
    ]


def test_detect_answers_as_libretranslate_for_a_string_and_a_list():
    api = client()
    german = f"{GERMAN} {GERMAN}"
    english = "The government said on Sunday that the vote had been fair and free of fraud."
    found = api.post("/detect", json={"q": german}).json()
    assert found[0]["language"] == "de" and 0 < found[0]["confidence"] <= 100
    both = api.post("/detect", data={"q": [german, english]}).json()
    assert [answer[0]["language"] for answer in both] == ["de", "en"]
    assert api.post("/detect", json={"q": "42 !"}).json() == [{"language": "de", "confidence": 0.0}]
    missing = api.post("/detect", json={})
    assert missing.status_code == 400 and "q must be" in missing.json()["error"]


def test_frontend_settings_and_disabled_suggestions():
    settings = client(max_chars=5000).get("/frontend/settings").json()
    assert settings["charLimit"] == 5000 and settings["keyRequired"] is False
    assert settings["suggestions"] is False
    assert settings["language"]["source"]["code"] == "de"
    assert client(api_key="k").get("/frontend/settings").json()["keyRequired"] is True
    suggestion = client().post("/suggest", data={"q": "a", "s": "b", "source": "de"})
    assert suggestion.status_code == 403
    assert suggestion.json() == {"error": "Suggestions are disabled on this server."}


def test_fields_in_the_query_string_are_read_as_libretranslate_reads_them():
    api = client(api_key="k")
    answer = api.post("/translate", params={"q": "Ein Satz.", "source": "de", "api_key": "k"})
    assert answer.status_code == 200 and answer.json() == {"translatedText": "EN[Ein Satz.]"}
    several = api.post("/translate", params=[("q", "Eins."), ("q", "Zwei."), ("api_key", "k")])
    assert several.json()["translatedText"] == ["EN[Eins.]", "EN[Zwei.]"]
    wrong = api.post("/translate", params={"q": "Ein Satz.", "source": "de", "api_key": "no"})
    assert wrong.status_code == 403
    body_wins = api.post("/translate?q=Query.", json={"q": "Body.", "api_key": "k"})
    assert body_wins.json()["translatedText"] == "EN[Body.]"


def test_libretranslate_q_as_string_and_as_list_json_and_form():
    api = client()
    answer = api.post("/translate", json={"q": "Ein Satz.", "source": "de", "target": "en"})
    assert answer.status_code == 200
    assert answer.json() == {"translatedText": "EN[Ein Satz.]"}
    answer = api.post("/translate", json={"q": ["Eins.", "Zwei hier. Drei."], "source": "de"})
    assert answer.json()["translatedText"] == ["EN[Eins.]", "EN[Zwei hier.] EN[Drei.]"]
    form = api.post("/translate", data={"q": "Ein Satz.", "source": "de", "target": "en"})
    assert form.json() == {"translatedText": "EN[Ein Satz.]"}


def test_libretranslate_auto_reports_the_detected_language():
    text = f"{GERMAN} {GERMAN}"  # long enough to judge (120 letters)
    answer = client().post("/translate", json={"q": text, "source": "auto", "target": "en"})
    detected = answer.json()["detectedLanguage"]
    assert detected["language"] == "de" and 0 < detected["confidence"] <= 100


def test_libretranslate_html_keeps_markup_and_adds_none():
    q = '<p class="lead">Ein Satz.</p><p>Noch <b>einer</b>.</p>'
    answer = client().post("/translate", json={"q": q, "source": "de", "format": "html"})
    assert answer.json()["translatedText"] == (
        '<p class="lead">EN[Ein Satz.]</p><p>EN[Noch] <b>EN[einer]</b>EN[.]</p>'
    )


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"q": "Ein Satz.", "source": "de", "target": "fr"}, 400, "de -> fr is not supported"),
        ({"q": "Ein Satz.", "source": "en", "target": "en"}, 400, "is not supported"),
        ({"q": 42, "source": "de"}, 400, "q must be a string or a list of strings"),
        ({"q": "x", "source": "de", "format": "pdf"}, 400, "format must be text or html"),
    ],
)
def test_libretranslate_bad_requests_are_json_errors(body, status, message):
    answer = client().post("/translate", json=body)
    assert answer.status_code == status
    assert message in answer.json()["error"]


def test_malformed_json_is_400_not_a_traceback():
    answer = client().post(
        "/translate", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert answer.status_code == 400 and answer.json() == {"error": "the body is not valid JSON"}
    answer = client().post(
        "/api/run", content=b"[1, 2]", headers={"content-type": "application/json"}
    )
    assert answer.status_code == 400 and "JSON object" in answer.json()["error"]


def test_the_api_key_is_required_when_set():
    api = client(api_key="s3cret")
    assert api.post("/translate", json={"q": "Ein Satz.", "source": "de"}).status_code == 403
    assert api.post(
        "/translate", json={"q": "Ein Satz.", "source": "de", "api_key": "wrong"}
    ).json() == {"error": "invalid API key"}
    ok = api.post("/translate", json={"q": "Ein Satz.", "source": "de", "api_key": "s3cret"})
    assert ok.status_code == 200


def test_too_large_is_413():
    api = client(max_chars=100)
    answer = api.post("/translate", json={"q": "Ein Satz. " * 50, "source": "de"})
    assert answer.status_code == 413 and "error" in answer.json()
    answer = api.post("/api/run", json={"text": "Ein Satz. " * 50})
    assert answer.status_code == 413


def test_a_full_queue_is_429():
    service = DebriefService(FakeTranslator(), FakeSummarizer(), workers=1, max_pending_jobs=0)
    api = TestClient(create_app(service))
    service.acquire()  # the one place taken
    try:
        answer = api.post("/translate", json={"q": "Ein Satz.", "source": "de"})
        assert answer.status_code == 429 and "busy" in answer.json()["error"]
        assert api.post("/api/jobs", json={"text": GERMAN}).status_code == 429
    finally:
        service.release()
    assert api.post("/translate", json={"q": "Ein Satz.", "source": "de"}).status_code == 200


def test_api_run_returns_the_record_debrief_run_writes():
    record = (
        client(summarizer=FixedSummarizer("The opposition protested."))
        .post("/api/run", json={"text": GERMAN})
        .json()
    )
    assert [p["source"] for p in record["paragraphs"]] == GERMAN.split("\n\n")
    assert record["summary"]["text"] == "The opposition protested."
    assert record["summary"]["support"][0]["segment"] == 1
    assert "checks" in record and record["model"] == "fake"


def test_api_translate_takes_an_uploaded_file():
    files = {"file": ("artikel.txt", GERMAN.encode("utf-8"), "text/plain")}
    record = client().post("/api/translate", files=files).json()
    assert (
        record["paragraphs"][1]["translation"] == "EN[Die Europäische Union droht mit Sanktionen.]"
    )
    assert "summary" not in record


def test_unreadable_inputs_are_400_with_the_reason():
    api = client()
    assert "no text given" in api.post("/api/run", json={}).json()["error"]
    answer = api.post("/api/run", json={"text": "   "})
    assert answer.status_code == 400
    answer = api.post("/api/run", json={"text": 7})
    assert answer.status_code == 400 and "'text' must be a string" in answer.json()["error"]


def test_private_and_loopback_urls_are_not_fetched():
    answer = client().post("/api/run", json={"url": "http://127.0.0.1:9/x.html"})
    assert answer.status_code == 400
    assert "private or local address" in answer.json()["error"]
    assert "--allow-private-urls" in answer.json()["error"]
    answer = client().post("/api/run", json={"url": "file:///etc/passwd"})
    assert answer.status_code == 400 and "only http:// and https://" in answer.json()["error"]


def test_a_job_reports_progress_then_its_result_and_files():
    api = client(translator=SlowTranslator())
    job = api.post("/api/jobs", json={"text": GERMAN})
    assert job.status_code == 202
    job_id = job.json()["id"]
    deadline = time.monotonic() + 30
    while (state := api.get(f"/api/jobs/{job_id}").json())["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert state["status"] == "done", state
    assert state["progress"]["done"] == state["progress"]["total"] > 0
    assert state["result"]["summary"]["text"]
    assert api.get(f"/api/jobs/{job_id}/result.en.txt").text.startswith("EN[Die Regierung")
    assert json.loads(api.get(f"/api/jobs/{job_id}/result.json").text)["paragraphs"]
    view = api.get(f"/api/jobs/{job_id}/view")
    assert view.headers["content-type"].startswith("text/html") and "<!DOCTYPE html>" in view.text
    download = api.get(f"/api/jobs/{job_id}/result.html")
    assert "attachment" in download.headers["content-disposition"]
    assert api.get(f"/api/jobs/{job_id}/nothing").status_code == 404
    assert api.get("/api/jobs/no-such-job").json() == {"error": "no job no-such-job"}


def test_a_failed_job_says_why():
    api = client()
    job_id = api.post("/api/jobs", json={"url": "http://10.0.0.1/x"}).json()["id"]
    deadline = time.monotonic() + 10
    while (state := api.get(f"/api/jobs/{job_id}").json())["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert state["status"] == "failed" and "private or local address" in state["error"]


def test_health_and_openapi_docs():
    api = client()
    assert api.get("/health").json()["status"] == "ok"
    assert api.get("/docs").status_code == 200
    assert "/translate" in api.get("/openapi.json").json()["paths"]


def test_the_page_is_one_document_with_nothing_from_outside():
    page = client().get("/").text
    assert "Content-Security-Policy" in page and "connect-src 'self'" in page
    assert "http://" not in page.replace("https://…", "") and "src=" not in page.split("<iframe")[0]


def test_concurrent_requests_share_model_batches():
    translator = SlowTranslator()
    batching = BatchingTranslator(translator, wait_seconds=0.05)
    results: list[list[str]] = [[] for _ in range(8)]

    def request(index: int) -> None:
        results[index] = batching.translate_batch([f"Satz Nummer {index}."])

    threads = [threading.Thread(target=request, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results == [[f"EN[Satz Nummer {index}.]"] for index in range(8)]
    assert batching.model_calls < 8  # requests that arrived together shared a call
    assert len(translator.batches) < 8


def test_eight_concurrent_clients_over_a_real_socket_all_succeed():
    import httpx
    from support.live_server import serving

    service = DebriefService(SlowTranslator(), FakeSummarizer())
    with serving(create_app(service)) as url:
        answers: list[int] = []

        def ask(index: int) -> None:
            answer = httpx.post(
                f"{url}/translate",
                json={"q": f"Die Regierung tagte am {index}. Mai.", "source": "de"},
                timeout=30,
            )
            answers.append(answer.status_code)

        threads = [threading.Thread(target=ask, args=(index,)) for index in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert answers == [200] * 8
    assert service.translator.model_calls < 8


@pytest.mark.slow
def test_api_run_on_the_seed_with_the_tiny_models(tiny_marian_dir, tiny_bart_dir):
    from debrief.runtime.settings import Runtime
    from debrief.server.serve import load_service

    service = load_service(
        str(tiny_marian_dir), str(tiny_bart_dir), Runtime(device="cpu"), retry=False
    )
    api = TestClient(create_app(service))
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    record = api.post("/api/run", json={"text": text}).json()
    assert record["source_url"].startswith("https://www.zeit.de/")
    # A LibreTranslate client, q as a string and as a list, on the real model.
    one = api.post("/translate", json={"q": "Ein Satz.", "source": "de", "target": "en"})
    assert isinstance(one.json()["translatedText"], str) and one.json()["translatedText"]
    many = api.post("/translate", json={"q": ["Ein Satz.", "Noch einer."], "source": "de"})
    assert len(many.json()["translatedText"]) == 2
    [paragraph] = record["paragraphs"]
    assert len(paragraph["segments"]) >= 30
    assert record["summary"]["text"].strip() and record["summary"]["support"]
    assert record["model"] == str(tiny_marian_dir)


def test_serve_refuses_a_bad_port_and_a_missing_web_extra(capsys, monkeypatch):
    import sys

    from debrief.cli import main

    assert main(["serve", "--port", "70000", "--summary-model", "lead-3"]) == 2
    assert "--port must be between 1 and 65535" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'debrief[web]'" in err


def test_serve_warns_when_reachable_from_other_machines_without_a_key(caplog):
    from debrief.server.serve import check_address

    with caplog.at_level("WARNING", logger="debrief"):
        check_address("127.0.0.1", 8000, None)
        check_address("0.0.0.0", 8000, "key")
        assert caplog.text == ""
        check_address("0.0.0.0", 8000, None)
    assert "without --api-key" in caplog.text


def test_serve_checks_its_models_before_loading(capsys, monkeypatch):
    from debrief.cli import main

    def no_load(*args, **kwargs):
        raise AssertionError("a model loaded")

    monkeypatch.setattr("translate.marian.load_translator", no_load)
    argv = ["serve", "--translation-model", "./nope", "--summary-model", "./nix", "-q"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "pass --translation-model DIR" in err and "pass --summary-model DIR" in err


def test_a_client_that_disconnects_cancels_nothing_else():
    import httpx
    from support.live_server import serving

    class VerySlow(FakeTranslator):
        def translate_batch(self, texts, *, num_beams=None):
            time.sleep(0.5)
            return super().translate_batch(texts, num_beams=num_beams)

    service = DebriefService(VerySlow(), FakeSummarizer())
    with serving(create_app(service)) as url:
        with pytest.raises(httpx.TimeoutException):  # this client gives up and goes away
            httpx.post(f"{url}/api/run", json={"text": GERMAN}, timeout=0.1)
        answer = httpx.post(f"{url}/translate", json={"q": "Ein Satz.", "source": "de"}, timeout=30)
        assert answer.status_code == 200 and answer.json() == {"translatedText": "EN[Ein Satz.]"}
        assert httpx.get(f"{url}/health", timeout=10).json()["status"] == "ok"


def test_a_text_that_breaks_the_model_fails_only_its_own_request():
    class BreaksOnOne(FakeTranslator):
        def translate_batch(self, texts, *, num_beams=None):
            if any("kaputt" in text for text in texts):
                raise RuntimeError("the model failed on this text")
            return super().translate_batch(texts, num_beams=num_beams)

    batching = BatchingTranslator(BreaksOnOne(), wait_seconds=0.05)
    outcomes: dict[str, object] = {}

    def request(text: str) -> None:
        try:
            outcomes[text] = batching.translate_batch([text])
        except RuntimeError as error:
            outcomes[text] = error

    texts = ["Ein Satz.", "Das ist kaputt.", "Noch ein Satz."]
    threads = [threading.Thread(target=request, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert outcomes["Ein Satz."] == ["EN[Ein Satz.]"]
    assert outcomes["Noch ein Satz."] == ["EN[Noch ein Satz.]"]
    assert isinstance(outcomes["Das ist kaputt."], RuntimeError)


def cors_client(api_key=None, cors_origins=None) -> TestClient:
    service = DebriefService(FakeTranslator(), FakeSummarizer())
    return TestClient(create_app(service, api_key=api_key, cors_origins=cors_origins))


def test_libretranslate_endpoints_answer_other_origins_pages_as_libretranslate_does():
    api = cors_client(api_key="k")
    page = {"Origin": "https://reader.example"}
    preflight = api.options(
        "/translate",
        headers={
            **page,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    answer = api.post(
        "/translate", json={"q": "Ein Satz.", "source": "de", "api_key": "k"}, headers=page
    )
    assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == "*"
    assert api.get("/languages", headers=page).headers["access-control-allow-origin"] == "*"
    # debrief's own API stays same-origin: no CORS header, so no page can read its answers.
    own = api.post("/api/translate", json={"text": GERMAN, "api_key": "k"}, headers=page)
    assert "access-control-allow-origin" not in own.headers


def test_a_keyless_server_still_refuses_other_origins_posts_and_says_so_readably():
    answer = cors_client().post(
        "/translate", json={"q": "Ein Satz."}, headers={"Origin": "https://evil.example"}
    )
    assert answer.status_code == 403 and "--api-key" in answer.json()["error"]
    assert answer.headers["access-control-allow-origin"] == "*"  # the page can read why


def test_cors_origins_restrict_which_pages_may_call():
    api = cors_client(api_key="k", cors_origins=frozenset({"https://ok.example"}))
    asks = {"Access-Control-Request-Method": "POST"}
    allowed = api.options("/translate", headers={"Origin": "https://ok.example", **asks})
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == "https://ok.example"
    refused = api.options("/translate", headers={"Origin": "https://other.example", **asks})
    assert refused.status_code == 403 and "access-control-allow-origin" not in refused.headers


def test_alternatives_are_the_models_next_best_translations_put_together():
    api = client()
    answer = api.post(
        "/translate", json={"q": "Eins hier. Zwei hier.", "source": "de", "alternatives": 2}
    ).json()
    assert answer["translatedText"] == "EN[Eins hier.] EN[Zwei hier.]"
    assert answer["alternatives"] == [
        "EN2[Eins hier.] EN2[Zwei hier.]",
        "EN3[Eins hier.] EN3[Zwei hier.]",
    ]
    listed = api.post(
        "/translate", data={"q": ["Eins.", "Zwei."], "source": "de", "alternatives": "1"}
    ).json()
    assert listed["alternatives"] == [["EN2[Eins.]"], ["EN2[Zwei.]"]]
    assert "alternatives" not in api.post("/translate", json={"q": "Eins."}).json()


@pytest.mark.parametrize("value", [-1, 4, "viele", 1.5, True])
def test_alternatives_out_of_range_are_a_400(value):
    answer = client().post("/translate", json={"q": "Eins.", "alternatives": value})
    assert answer.status_code == 400 and "alternatives" in answer.json()["error"]


def test_translate_file_gives_a_download_of_the_same_kind_of_file():
    from test_documents import report_docx

    api = client()
    settings = api.get("/frontend/settings").json()
    assert settings["filesTranslation"] is True and ".docx" in settings["supportedFilesFormat"]
    for name, data, kind in [
        ("notiz.txt", b"Erster Absatz.\n\nZweiter Absatz.", "text/plain"),
        ("seite.html", b"<p>Ein Satz.</p><code>x</code>", "text/html"),
        ("bericht.docx", report_docx(), "wordprocessingml"),
    ]:
        answer = api.post("/translate_file", files={"file": (name, data)}, data={"source": "de"})
        assert answer.status_code == 200, answer.text
        url = answer.json()["translatedFileUrl"]
        assert url.startswith("http://testserver/download_file/") and ".en." in url
        download = api.get(url)
        assert download.status_code == 200 and kind in download.headers["content-type"]
        if name == "notiz.txt":
            assert download.text == "EN[Erster Absatz.]\n\nEN[Zweiter Absatz.]"
        if name == "seite.html":
            assert download.text == "<p>EN[Ein Satz.]</p><code>x</code>"
        if name == "bericht.docx":
            import io

            import docx

            english = docx.Document(io.BytesIO(download.content))
            assert english.paragraphs[0].text == "EN[Der Rat berät den Haushalt]"


@pytest.mark.parametrize(
    ("files", "data", "message"),
    [
        ({"file": ("tabelle.xlsx", b"PK")}, {}, "files of this type are not translated"),
        ({"file": ("folien.pptx", b"PK")}, {}, "is not a .pptx document"),
        ({"file": ("kaputt.docx", b"nonsense")}, {}, "is not a .docx document"),
        ({"other": ("a.txt", b"Hallo")}, {}, "no file given"),
        ({"file": ("a.txt", b"Hallo")}, {"target": "fr"}, "is not supported"),
    ],
)
def test_translate_file_refuses_in_one_line(files, data, message):
    answer = client().post("/translate_file", files=files, data=data)
    assert answer.status_code == 400 and message in answer.json()["error"]
    assert client().get("/download_file/nope/x.txt").status_code == 404
