"""The page of `debrief serve` end to end in a real headless Chromium: paste German, press
the button, wait for the English and the brief, click a brief sentence and see its
segment highlighted; article HTML and script show as text and run nothing."""

from __future__ import annotations

import pytest
from conftest import FixedSummarizer
from support.browser import needs_chromium, save_screenshot, start_browser
from test_debrief_review import HOSTILE, LosesNumbers

pytest.importorskip("fastapi")

pytestmark = [needs_chromium, pytest.mark.slow]


def test_the_page_end_to_end(tmp_path):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
    from support.live_server import serving

    from debrief.server.app import create_app
    from debrief.server.service import DebriefService

    brief = "The opposition protested against 3 election frauds. Moskau."
    service = DebriefService(LosesNumbers(), FixedSummarizer(brief))
    article = f"{HOSTILE}\n\nZweiter Absatz über Moskau und die Lage."
    browser = start_browser()
    try:
        with serving(create_app(service)) as url:
            browser.get(url + "/")
            browser.find_element(By.ID, "text").send_keys(article)
            browser.find_element(By.ID, "go").click()
            wait = WebDriverWait(browser, 30)
            wait.until(expected_conditions.visibility_of_element_located((By.ID, "review")))
            assert browser.find_element(By.ID, "status").text == "Done."
            with pytest.raises(NoAlertPresentException):
                browser.switch_to.alert  # noqa: B018 - reading it is the check
            links = browser.find_elements(By.CSS_SELECTOR, "#downloads a")
            links = [link for link in links if link.is_displayed()]  # no Word document here
            assert [link.get_attribute("href").rsplit("/", 1)[1] for link in links] == [
                "result.en.txt",
                "result.md",
                "result.json",
                "result.html",
            ]
            save_screenshot(browser, "server-page.png")

            browser.switch_to.frame(browser.find_element(By.ID, "review"))
            body = browser.find_element(By.TAG_NAME, "body").text
            assert "EN[Der Präsident sagte" in body  # the English
            assert "<script>alert(2)</script>" in body  # the article's script, as text
            assert browser.execute_script("return document.images.length") == 0
            link = browser.find_element(By.CSS_SELECTOR, ".brief a[data-segment]")
            target = link.get_attribute("data-segment")
            link.click()
            pair = browser.find_element(By.ID, target)
            assert "highlight" in pair.get_attribute("class").split()
            browser.switch_to.default_content()
            with pytest.raises(NoAlertPresentException):
                browser.switch_to.alert  # noqa: B018
            save_screenshot(browser, "server-page-highlight.png")
    finally:
        browser.quit()


def test_the_page_shows_a_refusal_as_text(tmp_path):
    from conftest import FakeSummarizer, FakeTranslator
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from support.live_server import serving

    from debrief.server.app import create_app
    from debrief.server.service import DebriefService

    service = DebriefService(FakeTranslator(), FakeSummarizer())
    browser = start_browser()
    try:
        with serving(create_app(service)) as url:
            browser.get(url + "/")
            browser.find_element(By.NAME, "url").send_keys("http://127.0.0.1/<b>x</b>")
            browser.find_element(By.ID, "go").click()
            WebDriverWait(browser, 30).until(
                lambda driver: driver.find_element(By.ID, "error").text
            )
            error = browser.find_element(By.ID, "error")
            assert "private or local address" in error.text
            assert error.find_elements(By.TAG_NAME, "b") == []  # shown as text, not markup
    finally:
        browser.quit()


def test_the_page_takes_a_word_document_and_offers_it_back_in_english(tmp_path):
    import io
    import urllib.request

    import docx
    from conftest import FakeSummarizer, FakeTranslator
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
    from support.live_server import serving
    from test_documents import report_docx

    from debrief.server.app import create_app
    from debrief.server.service import DebriefService

    document = tmp_path / "bericht.docx"
    document.write_bytes(report_docx())
    browser = start_browser()
    try:
        with serving(create_app(DebriefService(FakeTranslator(), FakeSummarizer()))) as url:
            browser.get(url + "/")
            browser.find_element(By.NAME, "file").send_keys(str(document))
            browser.find_element(By.ID, "go").click()
            wait = WebDriverWait(browser, 30)
            wait.until(expected_conditions.visibility_of_element_located((By.ID, "docx-link")))
            link = browser.find_element(By.ID, "docx-link").get_attribute("href")
            assert link.endswith("/result.en.docx")
            with urllib.request.urlopen(link, timeout=30) as answer:
                english = docx.Document(io.BytesIO(answer.read()))
            assert english.paragraphs[0].text == "EN[Der Rat berät den Haushalt]"
            assert english.tables[0].cell(1, 1).text == "EN[Zwölf Milliarden Euro]"
    finally:
        browser.quit()


def test_the_page_takes_a_presentation_and_an_ebook_and_offers_them_back(tmp_path):
    import urllib.request

    from conftest import FakeSummarizer, FakeTranslator
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
    from support.documents import book_epub, presentation_pptx
    from support.live_server import serving

    from debrief.documents import document_format
    from debrief.server.app import create_app
    from debrief.server.service import DebriefService

    browser = start_browser()
    try:
        with serving(create_app(DebriefService(FakeTranslator(), FakeSummarizer()))) as url:
            for name, data, link_id in [
                ("folien.pptx", presentation_pptx(), "pptx-link"),
                ("buch.epub", book_epub(), "epub-link"),
            ]:
                (tmp_path / name).write_bytes(data)
                browser.get(url + "/")
                browser.find_element(By.NAME, "file").send_keys(str(tmp_path / name))
                browser.find_element(By.ID, "go").click()
                wait = WebDriverWait(browser, 30)
                wait.until(expected_conditions.visibility_of_element_located((By.ID, link_id)))
                # only the link of the kind uploaded shows
                shown = [
                    link.get_attribute("id")
                    for link in browser.find_elements(By.CSS_SELECTOR, "#downloads a[id]")
                    if link.is_displayed()
                ]
                assert shown == [link_id]
                link = browser.find_element(By.ID, link_id).get_attribute("href")
                with urllib.request.urlopen(link, timeout=30) as answer:
                    english = answer.read()
                found = document_format(english, name)
                assert found.read(english, name).paragraphs[0] == "EN[Der Rat berät den Haushalt]"
    finally:
        browser.quit()


def test_the_page_takes_a_glossary_and_marks_its_terms(tmp_path):
    from conftest import FakeSummarizer, FakeTranslator
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
    from support.live_server import serving

    from debrief.server.app import create_app
    from debrief.server.service import DebriefService

    glossary = tmp_path / "redaktion.tsv"
    glossary.write_text("Bundesnetzagentur\tFederal Network Agency\n", encoding="utf-8")
    bad = tmp_path / "leer.tsv"
    bad.write_text("\n", encoding="utf-8")
    german = "Die Bundesnetzagentur hat am Montag neue Regeln für Netze vorgestellt."
    browser = start_browser()
    try:
        with serving(create_app(DebriefService(FakeTranslator(), FakeSummarizer()))) as url:
            browser.get(url + "/")
            browser.find_element(By.ID, "text").send_keys(german)
            browser.find_element(By.NAME, "glossary").send_keys(str(bad))
            browser.find_element(By.ID, "go").click()
            WebDriverWait(browser, 30).until(lambda b: b.find_element(By.ID, "error").text)
            assert "glossary" in browser.find_element(By.ID, "error").text

            browser.find_element(By.NAME, "glossary").send_keys(str(glossary))
            browser.find_element(By.ID, "go").click()
            wait = WebDriverWait(browser, 30)
            wait.until(expected_conditions.visibility_of_element_located((By.ID, "review")))
            browser.switch_to.frame(browser.find_element(By.ID, "review"))
            marks = browser.find_elements(By.CSS_SELECTOR, "mark.term")
            assert {mark.text for mark in marks} == {"Bundesnetzagentur", "Federal Network Agency"}
            assert (
                "EN[Die Federal Network Agency hat"
                in browser.find_element(By.TAG_NAME, "body").text
            )
    finally:
        browser.quit()
