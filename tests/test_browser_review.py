"""The review file opened from disk in a real headless Chromium: it works with no network,
links the brief to its segments, opens flags, stacks on a phone, and runs nothing that
came from an article."""

from __future__ import annotations

import pytest
from conftest import FixedSummarizer, install_fake_models
from support.browser import needs_chromium, save_screenshot, start_browser
from test_debrief_review import HOSTILE, LosesNumbers

from debrief.cli import main

pytestmark = [needs_chromium, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser():
    driver = start_browser()
    yield driver
    driver.quit()


@pytest.fixture
def review_file(tmp_path, monkeypatch):
    install_fake_models(
        monkeypatch,
        LosesNumbers(),
        FixedSummarizer("The opposition protested against 3 election frauds. Moskau."),
    )
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bericht.de.txt").write_text(
        f"{HOSTILE}\n\nZweiter Absatz über Moskau und die Lage.\n", encoding="utf-8"
    )
    argv = ["run", "bericht.de.txt", "--translation-model", "m", "--summary-model", "s"]
    assert main([*argv, "--out-dir", "out", "-q", "--no-cache"]) == 0
    return tmp_path / "out" / "bericht.html"


def test_review_file_runs_no_article_script_and_shows_it_as_text(browser, review_file):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    browser.get(review_file.as_uri())
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert  # noqa: B018 - reading it is the check
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "<script>alert(2)</script>" in body
    assert '<img src=x onerror="alert(1)">' in body
    assert browser.execute_script("return document.images.length") == 0
    assert browser.execute_script("return document.scripts.length") == 1
    save_screenshot(browser, "review-file.png")


def test_a_brief_sentence_highlights_its_segment_and_a_flag_opens(browser, review_file):
    from selenium.webdriver.common.by import By

    browser.get(review_file.as_uri())
    link = browser.find_element(By.CSS_SELECTOR, ".brief a[data-segment]")
    target = link.get_attribute("data-segment")
    link.click()
    pair = browser.find_element(By.ID, target)
    assert "highlight" in pair.get_attribute("class").split()
    flag = browser.find_element(By.CSS_SELECTOR, "button.flag")
    detail = browser.find_element(By.ID, flag.get_attribute("aria-controls"))
    assert not detail.is_displayed()
    flag.click()
    assert detail.is_displayed() and "missing in the English" in detail.text


def test_pairs_stack_on_a_phone_width_screen(review_file):
    from selenium.webdriver.common.by import By

    phone = start_browser(width=390, height=844)
    try:
        phone.get(review_file.as_uri())
        pair = phone.find_element(By.CSS_SELECTOR, ".pair")
        german = pair.find_element(By.CSS_SELECTOR, ".de").rect
        english = pair.find_element(By.CSS_SELECTOR, ".en").rect
        assert english["y"] >= german["y"] + german["height"] - 1  # below, not beside
        save_screenshot(phone, "review-file-phone.png")
    finally:
        phone.quit()
