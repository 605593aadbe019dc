"""The digest in `debrief serve`: POST /api/digest runs `debrief digest`'s job on the
server's models (fake here) against feeds and pages served from 127.0.0.1; GET
/api/digest and /digest/ show it; only the digest's own files are served; bad requests
are one-line 400s with nothing written; and the page's digest view works in headless
Chromium."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from conftest import FakeSummarizer, FakeTranslator
from support.news_site import ARTICLE, TEXTS, Site, add_copy_of_haushalt, rss
from test_adversarial import one_error_line, snapshot

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from debrief.cli import main
from debrief.server.app import create_app
from debrief.server.digest_service import ServerDigest
from debrief.server.service import DebriefService


def digest_app(folder: Path, feeds=(), translator=None, private=True, api_key=None):
    service = DebriefService(
        translator or FakeTranslator(), FakeSummarizer(), allow_private_urls=private
    )
    digest = ServerDigest(service, folder, feeds)
    return create_app(service, api_key=api_key, digest=digest)


def finished(api: TestClient, job_id: str, seconds: float = 30) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = api.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"the digest job did not finish in {seconds} s")


def test_a_digest_job_gives_each_story_once_and_a_rerun_adds_nothing(news_site):
    api = TestClient(digest_app(Path("d")))
    feeds = [f"{news_site}/a.rss", f"{news_site}/b.rss"]
    started = api.post("/api/digest", json={"feeds": feeds})
    assert started.status_code == 202
    job = finished(api, started.json()["id"])
    assert job["status"] == "done", job
    counts = {key: job["digest"][key] for key in ("new", "done", "skipped", "failed")}
    assert counts == {"new": 2, "done": 2, "skipped": 1, "failed": 0}
    assert job["progress"] == {"stage": "stories", "done": 2, "total": 2}
    assert [item["status"] for item in job["digest"]["items"]] == ["done", "done"]
    listed = api.get("/api/digest").json()
    assert listed["running"] is None
    assert [story["url"] for story in listed["stories"]] == [
        f"{news_site}/streik.html",
        f"{news_site}/haushalt.html",
    ]
    page = api.get("/digest/")
    assert page.status_code == 200 and "EN[Streik bei der Bahn]" in page.text
    assert page.headers["content-security-policy"].startswith("sandbox")
    review = api.get(f"/digest/{listed['stories'][0]['files']['review']}")
    assert review.status_code == 200 and "Die Gewerkschaft ruft" in review.text
    assert review.headers["content-security-policy"].startswith("sandbox allow-scripts")
    assert api.get("/digest").url.path == "/digest/"
    files = snapshot(Path("d"), skip=("digest.", ".debrief-digest"))
    again = finished(api, api.post("/api/digest", json={"feeds": "\n".join(feeds)}).json()["id"])
    assert (again["digest"]["new"], again["digest"]["skipped"]) == (0, 3)
    assert snapshot(Path("d"), skip=("digest.", ".debrief-digest")) == files
    # An item appended to a feed is the only one done next; a broken feed costs itself.
    Site.routes["/a.rss"] = (
        Site.routes["/a.rss"][0].replace(
            b"</channel>",
            f"<item><title>Wahl</title><link>{news_site}/wahl.html</link></item></channel>".encode(),
        ),
        "application/rss+xml",
    )
    feeds.append(f"{news_site}/missing.rss")
    third = finished(api, api.post("/api/digest", json={"feeds": feeds}).json()["id"])
    counts = {key: third["digest"][key] for key in ("new", "done", "skipped", "failed")}
    assert counts == {"new": 1, "done": 1, "skipped": 3, "failed": 1}
    assert "404" in third["digest"]["errors"][0]
    assert [item["url"] for item in third["digest"]["items"]] == [f"{news_site}/wahl.html"]
    assert len(api.get("/api/digest").json()["stories"]) == 3


def test_the_servers_own_feeds_are_read_when_a_request_names_none(news_site):
    api = TestClient(digest_app(Path("d"), feeds=[f"{news_site}/a.rss"]))
    assert "empty: the server&#x27;s 1 feed" in api.get("/").text or "the server's 1 feed" in (
        api.get("/").text
    )
    job = finished(api, api.post("/api/digest", json={}).json()["id"])
    assert job["digest"]["done"] == 2


@pytest.mark.parametrize(
    "body, message",
    [
        ({"feeds": 5}, "'feeds' must be a list"),
        ({"feeds": ["ftp://x.example/feed"]}, "a feed is an http(s) URL"),
        ({"feeds": ["https://x.example/f"], "since": "yesterday"}, "--since"),
        ({"feeds": ["https://x.example/f"], "max_items": 0}, "max-items must be at least 1"),
        ({"feeds": ["https://x.example/f"], "max_items": "many"}, "'max_items' must be"),
        ({}, "no feed given"),
        ({"feeds": ["https://x.example/f"], "glossary": "nur eine Spalte"}, "glossary"),
    ],
)
def test_bad_digest_requests_are_400_and_write_nothing(news_site, body, message):
    api = TestClient(digest_app(Path("d")))
    before = snapshot(Path("."), skip=("cache",))
    answer = api.post("/api/digest", json=body)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert message in error and "\n" not in error
    assert snapshot(Path("."), skip=("cache",)) == before


def test_a_server_with_a_key_starts_a_digest_only_with_the_key(news_site):
    api = TestClient(digest_app(Path("d"), api_key="s3cret"))
    body = {"feeds": [f"{news_site}/a.rss"]}
    refused = api.post("/api/digest", json=body)
    assert refused.status_code == 403 and not Path("d").exists()
    started = api.post("/api/digest", json=body, headers={"X-API-Key": "s3cret"})
    assert started.status_code == 202
    assert finished(api, started.json()["id"])["digest"]["done"] == 2


def test_without_a_digest_folder_the_digest_is_404_with_the_remedy():
    service = DebriefService(FakeTranslator(), FakeSummarizer())
    api = TestClient(create_app(service))
    for answer in (api.post("/api/digest", json={}), api.get("/api/digest"), api.get("/digest/")):
        assert answer.status_code == 404 and "--digest-dir" in answer.json()["error"]
    assert 'id="digest-form"' not in api.get("/").text


def test_only_the_files_the_digest_lists_are_served(news_site, tmp_path):
    Path("secret.txt").write_text("not for clients")
    api = TestClient(digest_app(Path("d")))
    finished(api, api.post("/api/digest", json={"feeds": [f"{news_site}/a.rss"]}).json()["id"])
    Path("d/notes.txt").write_text("mine")
    for name in (".debrief-digest.json", "notes.txt", "..%2Fsecret.txt", "%2e%2e%2fsecret.txt"):
        answer = api.get(f"/digest/{name}")
        assert answer.status_code == 404, name
        assert "not for clients" not in answer.text and "mine" not in answer.text
    assert api.get("/digest/digest.json").status_code == 200


def test_a_private_feed_is_not_fetched_by_a_server_that_does_not_allow_it(news_site):
    api = TestClient(digest_app(Path("d"), private=False))
    job = finished(
        api, api.post("/api/digest", json={"feeds": [f"{news_site}/a.rss"]}).json()["id"]
    )
    assert job["status"] == "done" and job["digest"]["failed"] == 1
    assert "private" in job["digest"]["errors"][0] or "loopback" in job["digest"]["errors"][0]
    assert not list(Path("d").glob("*.json")) or api.get("/api/digest").json()["stories"] == []


class HeldTranslator(FakeTranslator):
    """Translates once `release` is set: a digest that is still running."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def translate_batch(self, texts, **options):
        self.release.wait(30)
        return super().translate_batch(texts, **options)


def test_a_second_digest_while_one_runs_is_409(news_site):
    held = HeldTranslator()
    api = TestClient(digest_app(Path("d"), translator=held))
    first = api.post("/api/digest", json={"feeds": [f"{news_site}/a.rss"]}).json()["id"]
    second = api.post("/api/digest", json={"feeds": [f"{news_site}/b.rss"]})
    assert second.status_code == 409 and first in second.json()["error"]
    assert api.get("/api/digest").json()["running"] == first
    held.release.set()
    assert finished(api, first)["status"] == "done"
    third = api.post("/api/digest", json={"feeds": [f"{news_site}/b.rss"]})
    assert third.status_code == 202
    assert finished(api, third.json()["id"])["status"] == "done"


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--feeds", "feeds.txt"], "--feeds needs --digest-dir"),
        (["--digest-dir", "afile"], "is a file, not a folder"),
        (["--digest-dir", "d", "--feeds", "missing.opml"], "does not exist"),
    ],
)
def test_bad_serve_digest_options_are_one_line_exit_2_before_models_load(
    news_site, capsys, extra, message
):
    import socket

    Path("feeds.txt").write_text("https://x.example/feed\n")
    Path("afile").write_text("x")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    before = snapshot(Path("."), skip=("cache",))
    assert main(["serve", "--port", str(port), *extra]) == 2
    one_error_line(capsys.readouterr().err, message)
    assert snapshot(Path("."), skip=("cache",)) == before


@pytest.mark.slow
def test_the_pages_digest_view_in_headless_chromium(news_site):
    from support.browser import CHROMEDRIVER, CHROMIUM, save_screenshot, start_browser

    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("needs Debian's chromium and chromium-driver (.ci/run installs them)")
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from support.live_server import serving

    hostile = "&lt;img src=x onerror=alert(1)&gt; Wahl"
    Site.routes["/evil.html"] = (
        ARTICLE.format(title=hostile, text=f"{hostile} {TEXTS['wahl'][1]}").encode(),
        "text/html; charset=utf-8",
    )
    Site.routes["/evil.rss"] = (
        rss(
            [
                (
                    "&lt;b&gt;Wahl&lt;/b&gt;",
                    f"{news_site}/evil.html",
                    "Tue, 01 Dec 2026 11:00:00 +0000",
                )
            ]
        ),
        "application/rss+xml",
    )
    add_copy_of_haushalt(news_site)
    browser = start_browser(1000, 1600)
    try:
        with serving(digest_app(Path("d"), feeds=[f"{news_site}/a.rss"])) as url:
            browser.get(url + "/")
            feeds = "\n".join(f"{news_site}/{name}.rss" for name in ("a", "evil", "c"))
            browser.find_element(By.ID, "feeds").send_keys(feeds)
            browser.find_element(By.ID, "digest-go").click()
            status = browser.find_element(By.ID, "digest-status")
            WebDriverWait(browser, 30).until(lambda _: "failed." in status.text)
            assert status.text == "4 new, 4 done, 0 skipped, 0 failed."
            with pytest.raises(NoAlertPresentException):
                browser.switch_to.alert  # noqa: B018 - reading it is the check
            frame = browser.find_element(By.ID, "digest-view")
            browser.execute_script("arguments[0].scrollIntoView()", frame)
            browser.switch_to.frame(frame)
            WebDriverWait(browser, 10).until(
                lambda b: len(b.find_elements(By.CSS_SELECTOR, "article h3")) == 3
            )
            headlines = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "article h3")]
            assert headlines == [
                "EN[<img src=x onerror=alert(1)> Wahl]",
                "EN[Streik bei der Bahn]",
                "EN[Haushalt beschlossen]",
            ]
            same = browser.find_elements(By.CSS_SELECTOR, "article .same h4")
            assert [h.text for h in same] == ["EN[Etat steht]"]  # under the Haushalt story
            brief = browser.find_element(By.CSS_SELECTOR, "article .brief").text
            assert brief.startswith("EN[<img src=x onerror=alert(1)>")  # a brief, as text
            assert browser.execute_script("return document.images.length") == 0
            browser.switch_to.default_content()
            save_screenshot(browser, "serve-digest.png")
            browser.switch_to.frame(frame)
            browser.find_elements(By.LINK_TEXT, "review page")[1].click()
            WebDriverWait(browser, 10).until(
                lambda b: "Die Gewerkschaft ruft" in b.find_element(By.TAG_NAME, "body").text
            )
            browser.switch_to.default_content()
            with pytest.raises(NoAlertPresentException):
                browser.switch_to.alert  # noqa: B018
    finally:
        browser.quit()
