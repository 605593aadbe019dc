"""The review page (`--format html`, `<stem>.html` from `run`): German beside English,
flags in place, the brief linked to its sources, and no article text ever executed."""

from __future__ import annotations

import base64
import hashlib
import json
from html.parser import HTMLParser

import pytest
from conftest import FakeTranslator, FixedSummarizer, install_fake_models

from debrief.brief import check_summary, english_segments
from debrief.cli import main
from debrief.outputs.review import render_review
from summarize.model import Summary
from translate.article import Article, Check
from translate.pipeline import translate_article

HOSTILE = (
    'Der Präsident sagte <img src=x onerror="alert(1)"> am Sonntag in Minsk etwas. '
    "<script>alert(2)</script> Die Opposition protestierte gegen 3 Wahlfälschungen."
)


class Page(HTMLParser):
    """Every element of a page with its attributes, its scripts, and its visible text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)

    def ids(self) -> set[str]:
        return {attrs["id"] for _, attrs in self.elements if attrs.get("id")}


class LosesNumbers(FakeTranslator):
    def translate_batch(self, texts, *, num_beams=None):
        return [f"EN[{text.replace('3', '')}]" for text in texts]


def reviewed(text: str = HOSTILE, brief: str | None = "The opposition protested in Minsk."):
    article = translate_article(
        Article((text, "Zweiter Absatz über Moskau."), source_url="https://example.org/a"),
        LosesNumbers(),
    )
    if brief is None:
        return article, render_review(article)
    checks, support = check_summary(brief, english_segments(article.paragraphs))
    summary = Summary(text=brief, model="fixed", settings={"sentences": 1})
    return article, render_review(article, summary, checks, support)


def test_article_html_and_script_are_text_never_elements():
    _, html = reviewed()
    page = Page(html)
    tags = [tag for tag, _ in page.elements]
    assert "img" not in tags
    assert tags.count("script") == 1  # the page's own
    assert not any(name.startswith("on") for _, attrs in page.elements for name in attrs)
    visible = "".join(page.text)
    assert '<img src=x onerror="alert(1)">' in visible
    assert "<script>alert(2)</script>" in visible
    assert "alert" not in "".join(page.scripts)


def test_only_the_pages_own_script_may_run_and_nothing_is_fetched():
    _, html = reviewed()
    page = Page(html)
    [policy] = [
        a["content"] for t, a in page.elements if a.get("http-equiv") == "Content-Security-Policy"
    ]
    [script] = page.scripts
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy and "img-src 'none'" in policy
    # No resource from anywhere: no src, no stylesheet link, no http(s) but the source link.
    assert not [a for _, a in page.elements if a.get("src")]
    links = [
        a["href"] for t, a in page.elements if t == "a" and a.get("href", "").startswith("http")
    ]
    assert links == ["https://example.org/a"]


def test_german_beside_english_with_flags_and_retries_in_place():
    article, html = reviewed()
    page = Page(html)
    pairs = [a for t, a in page.elements if "pair" in (a.get("class") or "").split()]
    assert [a["id"] for a in pairs] == ["p0-s0", "p0-s1", "p1-s0"]
    flagged = {a["id"] for a in pairs if "flagged" in a["class"].split()}
    assert flagged == {(f"p{c.paragraph}-s{c.segment}") for c in article.checks}
    assert "p0-s1" in flagged  # the number 3 was lost
    buttons = [a for t, a in page.elements if t == "button"]
    assert any("missing in the English: 3" in (a.get("title") or "") for a in buttons)
    assert all(a["aria-controls"] in page.ids() for a in buttons)
    assert "retried, kept" in "".join(page.text)


def test_each_brief_sentence_links_to_its_best_segment():
    _, html = reviewed(
        brief="The opposition protested against election fraud. Zweiter Absatz, Moskau."
    )
    page = Page(html)
    links = [a for t, a in page.elements if t == "a" and a.get("data-segment")]
    assert [a["data-segment"] for a in links] == ["p0-s1", "p1-s0"]
    assert all(a["href"] == f"#{a['data-segment']}" for a in links)
    assert {a["data-segment"] for a in links} <= page.ids()


def test_translation_only_has_no_brief_and_a_how_it_was_made_footer():
    _, html = reviewed(brief=None)
    assert 'class="brief"' not in html
    footer = html[html.index("<footer>") :]
    assert "translation model" in footer and "debrief" in footer


def test_a_non_http_source_is_not_a_link():
    article = translate_article(
        Article(("Ein Satz hier.",), source_url="javascript:alert(1)"), FakeTranslator()
    )
    page = Page(render_review(article))
    assert not [a for t, a in page.elements if t == "a" and "javascript" in a.get("href", "")]


@pytest.fixture
def fakes(monkeypatch, tmp_path):
    install_fake_models(monkeypatch, LosesNumbers(), FixedSummarizer("The opposition protested."))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bericht.de.txt").write_text(HOSTILE + "\n", encoding="utf-8")
    return tmp_path


def test_translate_format_html_through_the_cli(fakes, capsys):
    assert main(["translate", "bericht.de.txt", "--model", "m", "-o", "b.html", "-q"]) == 0
    page = Page((fakes / "b.html").read_text(encoding="utf-8"))
    assert "img" not in [tag for tag, _ in page.elements]
    assert main(["translate", "bericht.de.txt", "--model", "m", "--format", "html", "-q"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


def test_run_writes_a_review_page_beside_the_record(fakes, capsys):
    argv = ["run", "bericht.de.txt", "--translation-model", "m", "--summary-model", "s"]
    assert main([*argv, "--out-dir", "out", "-q"]) == 0
    record = json.loads((fakes / "out" / "bericht.json").read_text(encoding="utf-8"))
    page = Page((fakes / "out" / "bericht.html").read_text(encoding="utf-8"))
    [link] = [a for t, a in page.elements if t == "a" and a.get("data-segment")]
    support = record["summary"]["support"][0]
    assert link["data-segment"] == f"p{support['paragraph']}-s{support['segment']}"


def test_summary_checks_are_shown_on_their_brief_sentence():
    article = translate_article(Article(("Die Regierung tagte in Minsk.",)), FakeTranslator())
    summary = Summary(text="The talks in Paris went on.", model="fixed")
    checks = (Check("summary", 0, 0, "name", "brief sentence 1: Paris not in the translation"),)
    support = check_summary(summary.text, english_segments(article.paragraphs))[1]
    html = render_review(article, summary, checks, support)
    assert 'title="brief sentence 1: Paris not in the translation">name</span>' in html
