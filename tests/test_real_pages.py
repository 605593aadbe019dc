"""Real German article pages (tests/support/pages/real: the test suites of trafilatura,
Readability and goose3 keep them, with the strings their tests expect): each gives its article, without the
boilerplate its providers list or ours, with no sentence cut, the headline not repeated,
and its reader comments left out. Plus the pure steps: headline, datelines, bylines,
titles, sites and authors."""

from __future__ import annotations

import pytest
from support.real_pages import judge, real_pages

from translate.page_text import (
    Block,
    body_paragraphs,
    clean_author,
    clean_site,
    clean_title,
    repeats_headline,
)
from translate.webpage import article_from_html

PAGES = real_pages()


def test_the_corpus_holds_at_least_40_pages_with_their_source():
    assert len(PAGES) >= 40
    suites = ("github.com/adbar/trafilatura", "github.com/mozilla/readability", "goose3")
    assert all(any(suite in page.source for suite in suites) for page in PAGES)


@pytest.mark.parametrize("page", PAGES, ids=[page.file for page in PAGES])
def test_each_real_page_gives_its_whole_article_and_nothing_else(page):
    article = article_from_html(page.html(), page.file, url=page.url)
    verdict = judge(page, list(article.paragraphs), article.title)
    assert verdict.missing == ()
    assert verdict.left == ()
    assert verdict.comments_left == ()
    assert verdict.boilerplate == ()
    assert verdict.cut == ()
    assert not verdict.headline_repeated
    assert all(paragraph.strip("-–•* ") for paragraph in article.paragraphs)  # no stray "-"


def test_a_page_whose_body_is_marked_cookie_or_paywall_is_read_whole():
    sentences = " ".join(
        f"Der Rat der Stadt hat am {day} über den neuen Haushalt beraten und abgestimmt."
        for day in ("Montag", "Dienstag", "Mittwoch", "Donnerstag")
    )
    for marks in ('class="cookies-not-set"', 'class="show-paywall-2 hide-paywall-1"'):
        page = (
            f"<html><head><title>Haushalt</title></head><body {marks}><article>"
            f"<h1>Haushalt beschlossen</h1><p>{sentences}</p><p>{sentences}</p>"
            '<div class="newsletter">Jetzt den Newsletter abonnieren!</div>'
            "</article></body></html>"
        ).encode()
        article = article_from_html(page, "saved.html")
        assert "Montag" in article.paragraphs[0]
        assert not any("Newsletter" in paragraph for paragraph in article.paragraphs)


def test_a_line_break_inside_a_paragraph_is_a_space_and_list_items_are_paragraphs():
    page = (
        "<html><head><title>Bahn</title></head><body><article><h1>Bahn</h1>"
        "<p>Seit die schwedische Klimaaktivistin mit Zügen\nreist, träumen viele "
        "Menschen<br>wieder davon, Europa ohne Flugzeug zu erkunden, sagte er am Montag "
        "in Berlin.</p><p>Wichtig sind drei Dinge für die Fahrt durch Europa:</p>"
        "<ul><li>ein Ticket</li><li>ein Buch</li><li>Geduld</li></ul>"
        "<p>Der Zug nach Barcelona braucht von Frankfurt aus etwa zwölf Stunden.</p>"
        "</article></body></html>"
    ).encode()
    paragraphs = article_from_html(page, "bahn.html").paragraphs
    assert paragraphs[0] == (
        "Seit die schwedische Klimaaktivistin mit Zügen reist, träumen viele Menschen "
        "wieder davon, Europa ohne Flugzeug zu erkunden, sagte er am Montag in Berlin."
    )
    assert paragraphs[2:5] == ("ein Ticket", "ein Buch", "Geduld")


@pytest.mark.parametrize(
    ("block", "repeated"),
    [
        ("Zugverkehr: Im ICE von Frankfurt nach Barcelona", True),
        ("Zugverkehr", True),  # the kicker above the headline
        ("Im ICE von Frankfurt nach Barcelona | ZEIT ONLINE", True),
        ("Im ICE von Frankfurt nach Barcelona fuhren am Montag 300 Menschen mit.", False),
        ("Die Strecke ist lang.", False),
    ],
)
def test_the_headline_is_told_however_the_page_repeats_it(block, repeated):
    assert repeats_headline(block, "Zugverkehr: Im ICE von Frankfurt nach Barcelona") is repeated


def test_body_paragraphs_drop_headline_dateline_byline_and_boilerplate_and_join_split_sentences():
    blocks = [
        Block("head", "Zugverkehr"),
        Block("p", "14. Januar 2020, 16:49 Uhr"),
        Block("p", "Von Caspar Schwietering"),
        Block("p", "Der Kläger hat beantragt,"),
        Block("p", "die Beklagten zu verurteilen."),
        Block("p", "Mehr zum Thema: Bahnstreik"),
        Block("p", "Foto: dpa"),
        Block("item", "ein Buch"),
        Block("item", "ein Ticket"),
    ]
    assert body_paragraphs(blocks, "Zugverkehr: Im ICE", "Caspar Schwietering") == [
        "Der Kläger hat beantragt, die Beklagten zu verurteilen.",
        "ein Buch",
        "ein Ticket",
    ]


@pytest.mark.parametrize(
    ("title", "site", "url", "clean"),
    [
        (
            "So können Nutzer Daten schützen - CNET.de",
            "CNET.de",
            None,
            "So können Nutzer Daten schützen",
        ),
        (
            "Die Ablehnung der Gendersprache » SciLogs - Wissenschaftsblogs",
            "Die Engelbart-Galaxis",
            "https://scilogs.spektrum.de/engelbart-galaxis/x/",
            "Die Ablehnung der Gendersprache",
        ),
        (
            "SEKRÈ MYSTERY BAG - jede Frau braucht ein Geheimnis! - Martina Berg - Lady 50plus",
            "Martina Berg - Lady 50plus",
            None,
            "SEKRÈ MYSTERY BAG - jede Frau braucht ein Geheimnis!",
        ),
        (
            "Zugverkehr: Im ICE nach Barcelona",
            "ZEIT ONLINE",
            None,
            "Zugverkehr: Im ICE nach Barcelona",
        ),
    ],
)
def test_the_site_name_behind_a_title_is_dropped(title, site, url, clean):
    assert clean_title(title, site, url) == clean


@pytest.mark.parametrize(
    ("author", "site", "clean"),
    [
        (
            "Marcus Bensmann; Justus von Daniels; Ulrich Stoll",
            "CORRECTIV",
            "Marcus Bensmann, Justus von Daniels, Ulrich Stoll",
        ),
        ("SPIEGEL ONLINE; Hamburg; Germany", "SPIEGEL ONLINE", None),
        ("Süddeutsche de GmbH; Munich; Germany", "Süddeutsche.de", None),
        ("Denis Dilba; Heise Online", "Technology Review", "Denis Dilba"),
        ("Autor; In Korinna Hennig", "NDR", "Korinna Hennig"),  # Autor:In
        ("Red; Wien Orf At; Agenturen", "wien.ORF.at", None),
        ("So Artikel Empfehlen", "sonntag-sachsen.de", None),
        ("Rechtsanwalt Dennis Tölle", "Recht am Bild", "Dennis Tölle"),
        ("MoritzMeyer", "Moritz Meyer Blog", None),
        ("KonstantinNotz", "gruen-digital.de", "Konstantin Notz"),
        ("Mac; I", "heise", None),
        ("Von Caspar Schwietering", "ZEIT ONLINE", "Caspar Schwietering"),
    ],
)
def test_bylines_give_names_only_one_each(author, site, clean):
    assert clean_author(author, site, None) == clean


@pytest.mark.parametrize(
    ("site", "url", "clean"),
    [
        ("SPIEGEL ONLINE, Hamburg, Germany", None, "SPIEGEL ONLINE"),
        ("CORRECTIV - Recherchen für die Gesellschaft", None, "CORRECTIV"),
        (
            "Copyright 2003 - 2019 by speicherguide.de GbR Karl Fröhlich, Ulrike Haak",
            "https://www.speicherguide.de/x",
            "speicherguide.de",
        ),
        (None, "https://www.zeit.de/x", "zeit.de"),
        ("ZEIT ONLINE", "https://www.zeit.de/x", "ZEIT ONLINE"),
    ],
)
def test_the_site_is_its_own_name(site, url, clean):
    assert clean_site(site, url) == clean
