"""`debrief digest` through the real CLI, against feeds and article pages served from
127.0.0.1 (fake models): two feeds with an item in common give each story once, a rerun
adds nothing, a new item is the only one done next time, a broken feed costs only
itself, and the digest escapes hostile titles and briefs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.news_site import ARTICLE, TEXTS, Site, add_copy_of_haushalt, rss
from test_adversarial import one_error_line, snapshot

from debrief.cli import main


def stories(folder: Path) -> list[dict]:
    return json.loads((folder / "digest.json").read_text(encoding="utf-8"))["stories"]


def test_two_overlapping_feeds_give_each_story_once_and_a_rerun_adds_nothing(news_site, capsys):
    argv = ["digest", f"{news_site}/a.rss", f"{news_site}/b.rss", "--out-dir", "d", "-q"]
    assert main(argv) == 0
    assert "2 new, 2 done, 1 skipped, 0 failed" in capsys.readouterr().err
    found = stories(Path("d"))
    assert [story["url"] for story in found] == [
        f"{news_site}/streik.html",
        f"{news_site}/haushalt.html",
    ]
    haushalt = found[1]
    assert haushalt["headline"] == "EN[Haushalt beschlossen]"
    assert haushalt["brief"] and haushalt["outlet"] == "Testfeed"
    assert Path("d", haushalt["files"]["review"]).is_file()
    page = Path("d/digest.html").read_text(encoding="utf-8")
    assert page.index("Streik bei der Bahn") < page.index("Haushalt beschlossen")  # newest first
    assert page.count("<h2>Tuesday 1 December 2026</h2>") == 1
    files = snapshot(Path("d"), skip=("digest.", ".debrief-digest"))
    assert main(argv) == 0
    assert "0 new, 0 done, 3 skipped, 0 failed" in capsys.readouterr().err
    assert snapshot(Path("d"), skip=("digest.", ".debrief-digest")) == files  # nothing redone
    assert stories(Path("d")) == found


def test_stories_of_another_day_come_under_a_heading_of_their_own(news_site, capsys):
    Site.routes["/w.rss"] = (
        rss([("Wahl", f"{news_site}/wahl.html", "Thu, 03 Dec 2026 07:00:00 +0000")]),
        "application/rss+xml",
    )
    argv = ["digest", f"{news_site}/a.rss", f"{news_site}/w.rss", "--out-dir", "d", "-q"]
    assert main(argv) == 0
    page = Path("d/digest.html").read_text(encoding="utf-8")
    thursday, tuesday = (
        page.index("<h2>Thursday 3 December 2026</h2>"),
        page.index("<h2>Tuesday 1 December 2026</h2>"),
    )
    assert thursday < page.index("Wahl in Sachsen") < tuesday < page.index("Streik bei der")
    markdown = Path("d/digest.md").read_text(encoding="utf-8")
    assert markdown.index("## Thursday 3 December 2026") < markdown.index("## Tuesday 1 Dec")


def test_a_new_item_is_the_only_one_done_next_time(news_site, capsys):
    assert main(["digest", f"{news_site}/a.rss", "--out-dir", "d", "-q"]) == 0
    Site.routes["/a.rss"] = (
        Site.routes["/a.rss"][0].replace(
            b"</channel>",
            f"<item><title>Wahl</title><link>{news_site}/wahl.html</link>"
            "<pubDate>Tue, 01 Dec 2026 10:00:00 +0000</pubDate></item></channel>".encode(),
        ),
        "application/rss+xml",
    )
    capsys.readouterr()
    assert main(["digest", f"{news_site}/a.rss", "--out-dir", "d", "-q"]) == 0
    assert "1 new, 1 done, 2 skipped, 0 failed" in capsys.readouterr().err
    assert [story["title"] for story in stories(Path("d"))] == [
        "Wahl in Sachsen",
        "Streik bei der Bahn",
        "Haushalt beschlossen",
    ]


def test_the_same_story_from_another_outlet_is_grouped_with_the_first(news_site, capsys):
    add_copy_of_haushalt(news_site)
    assert main(["digest", f"{news_site}/a.rss", "--out-dir", "d", "-q"]) == 0
    assert "group" not in json.dumps(stories(Path("d")))  # different stories stay apart
    assert main(["digest", f"{news_site}/c.rss", "--out-dir", "d", "-q"]) == 0
    found = {story["url"].rsplit("/", 1)[-1]: story for story in stories(Path("d"))}
    assert found["etat.html"]["group"] == found["haushalt.html"]["group"]
    assert found["haushalt.html"]["group"] == found["haushalt.html"]["stem"]
    assert "group" not in found["streik.html"]
    assert "fingerprint" not in json.dumps(found)
    page = Path("d/digest.html").read_text(encoding="utf-8")
    # The copy, though newer, is shown under the first report, in its own section.
    haushalt, etat = page.index("EN[Haushalt beschlossen]"), page.index("EN[Etat steht]")
    assert page.index("EN[Streik bei der Bahn]") < haushalt < page.index("The same story") < etat
    assert page.count("<article>") == 2
    markdown = Path("d/digest.md").read_text(encoding="utf-8")
    first, copy = markdown.index("Haushalt beschlossen"), markdown.index("Etat steht")
    assert markdown.rfind("### ", 0, first) < markdown.rfind("#### ", 0, copy) and first < copy


def test_each_story_is_reported_as_it_is_done(news_site, capsys):
    assert main(["digest", f"{news_site}/a.rss", "--out-dir", "d"]) == 0
    err = capsys.readouterr().err
    assert f"[1/2] {news_site}/streik.html -> d/streik.html" in err
    assert f"[2/2] {news_site}/haushalt.html -> d/haushalt.html" in err
    assert err.index("[1/2]") < err.index("[2/2]") < err.index("2 new, 2 done")


def test_a_failed_item_is_tried_again_on_the_next_runs_three_times_in_all(news_site, capsys):
    page = Site.routes.pop("/wahl.html")  # not there yet
    Site.routes["/w.rss"] = (
        rss([("Wahl", f"{news_site}/wahl.html", "Tue, 01 Dec 2026 10:00:00 +0000")]),
        "application/rss+xml",
    )
    argv = ["digest", f"{news_site}/w.rss", "--out-dir", "d", "-q"]
    assert main(argv) == 4
    assert "1 new, 0 done, 0 skipped, 1 failed" in capsys.readouterr().err
    Site.routes["/wahl.html"] = page  # back an hour later
    assert main(argv) == 0
    assert "1 new, 1 done, 0 skipped, 0 failed" in capsys.readouterr().err
    [story] = stories(Path("d"))
    assert story["stem"] == "wahl" and "error" not in story and "attempts" not in story
    assert Path("d/wahl.html").is_file() and not list(Path("d").glob("wahl-2*"))
    assert main(argv) == 0
    assert "0 new, 0 done, 1 skipped, 0 failed" in capsys.readouterr().err


def test_an_item_that_keeps_failing_is_given_up_after_three_attempts(news_site, capsys):
    Site.routes["/w.rss"] = (
        rss([("Weg", f"{news_site}/gone.html", "Tue, 01 Dec 2026 10:00:00 +0000")]),
        "application/rss+xml",
    )
    argv = ["digest", f"{news_site}/w.rss", "--out-dir", "d", "-q"]
    for _ in range(3):
        assert main(argv) == 4
        assert "1 new, 0 done, 0 skipped, 1 failed" in capsys.readouterr().err
    assert main(argv) == 0
    assert "0 new, 0 done, 1 skipped, 0 failed" in capsys.readouterr().err


def test_a_broken_feed_costs_only_itself(news_site, capsys):
    argv = ["digest", f"{news_site}/missing.rss", f"{news_site}/a.rss", "--out-dir", "d", "-q"]
    assert main(argv) == 4
    err = capsys.readouterr().err
    assert "404" in err and "2 new, 2 done, 0 skipped, 1 failed" in err
    assert len(stories(Path("d"))) == 2


def test_hostile_titles_and_briefs_are_escaped(news_site, capsys):
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    # In the title and as the body's first words, which the (fake) brief repeats.
    body = hostile.replace("<", "&lt;") + " " + TEXTS["wahl"][1]
    Site.routes["/evil.html"] = (
        ARTICLE.format(title=hostile.replace("<", "&lt;"), text=body).encode(),
        "text/html; charset=utf-8",
    )
    Site.routes["/evil.rss"] = (
        rss(
            [("&lt;b&gt;x&lt;/b&gt;", f"{news_site}/evil.html", "Tue, 01 Dec 2026 08:00:00 +0000")]
        ),
        "application/rss+xml",
    )
    assert main(["digest", f"{news_site}/evil.rss", "--out-dir", "d", "-q"]) == 0
    [story] = stories(Path("d"))
    assert "<script>" in story["brief"] and "<script>" in story["headline"]
    page = Path("d/digest.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "<img" not in page
    assert '<p class="brief">EN[&lt;script&gt;alert(1)&lt;/script&gt;' in page
    assert "<h3>EN[&lt;script&gt;" in page
    assert "default-src 'none'" in page


@pytest.mark.parametrize(
    "argv, message",
    [
        (["digest", "--out-dir", "d"], "no feed given"),
        (["digest", "ftp://x.example/feed"], "a feed is an http(s) URL"),
        (["digest", "https://x.example/feed", "--since", "yesterday"], "--since"),
        (["digest", "https://x.example/feed", "--max-items", "0"], "--max-items"),
        (["digest", "--feeds", "nowhere.opml"], "does not exist"),
    ],
)
def test_bad_digest_options_are_one_line_exit_2(news_site, capsys, argv, message):
    before = snapshot(Path("."), skip=("cache",))
    assert main(argv) == 2
    one_error_line(capsys.readouterr().err, message)
    assert snapshot(Path("."), skip=("cache",)) == before


def test_a_second_digest_in_the_same_folder_at_once_is_refused(news_site, capsys):
    from debrief.outputs.files import folder_lock

    assert main(["digest", f"{news_site}/a.rss", "--out-dir", "d", "-q"]) == 0
    before = snapshot(Path("."), skip=("cache",))
    with folder_lock(Path("d"), "held by this test"):  # as a digest still running holds it
        assert main(["digest", f"{news_site}/b.rss", "--out-dir", "d", "-q"]) == 2
    one_error_line(capsys.readouterr().err, "another digest is running there")
    assert snapshot(Path("."), skip=("cache",)) == before


def test_a_damaged_state_file_is_refused_and_kept(news_site, capsys):
    Path("d").mkdir()
    Path("d/.debrief-digest.json").write_text("{oops")
    assert main(["digest", f"{news_site}/a.rss", "--out-dir", "d"]) == 2
    one_error_line(capsys.readouterr().err, "move it away")
    assert Path("d/.debrief-digest.json").read_text() == "{oops"
    assert sorted(p.name for p in Path("d").iterdir()) == [".debrief-digest.json"]


@pytest.mark.slow
def test_the_digest_page_in_headless_chromium_shows_hostile_text_and_runs_nothing(
    news_site, capsys
):
    from support.browser import CHROMEDRIVER, CHROMIUM, save_screenshot, start_browser

    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("needs Debian's chromium and chromium-driver (.ci/run installs them)")
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    Site.routes["/evil.html"] = (
        ARTICLE.format(
            title="&lt;img src=x onerror=alert(1)&gt; Wahl", text=TEXTS["wahl"][1]
        ).encode(),
        "text/html; charset=utf-8",
    )
    Site.routes["/evil.rss"] = (
        rss([("Wahl", f"{news_site}/evil.html", "Tue, 01 Dec 2026 11:00:00 +0000")]),
        "application/rss+xml",
    )
    assert (
        main(["digest", f"{news_site}/a.rss", f"{news_site}/evil.rss", "--out-dir", "d", "-q"]) == 0
    )
    driver = start_browser(900, 900)
    try:
        driver.get(Path("d/digest.html").resolve().as_uri())
        with pytest.raises(NoAlertPresentException):
            driver.switch_to.alert  # noqa: B018 - reading it is the check
        headlines = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "article h3")]
        assert headlines == [
            "EN[<img src=x onerror=alert(1)> Wahl]",
            "EN[Streik bei der Bahn]",
            "EN[Haushalt beschlossen]",
        ]
        assert driver.execute_script("return document.images.length + document.scripts.length") == 0
        save_screenshot(driver, "digest.png")
        driver.find_elements(By.LINK_TEXT, "review page")[1].click()  # the story's own file
        assert (
            "Die Gewerkschaft ruft zum Streik auf." in driver.find_element(By.TAG_NAME, "body").text
        )
    finally:
        driver.quit()
