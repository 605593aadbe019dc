"""Parsing the input format: URL line, paragraphs, soft wraps; and read errors."""

from __future__ import annotations

import pytest
from conftest import SEED_ARTICLE

from translate.article import Article, parse_article, read_article
from translate.errors import InputError

URL = "https://www.zeit.de/politik/ausland/2020-08/beispiel"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            f"{URL}\n\nErster Absatz.\n\nZweiter Absatz.",
            Article(("Erster Absatz.", "Zweiter Absatz."), URL),
        ),
        ("Erster Absatz.\n\nZweiter Absatz.\n", Article(("Erster Absatz.", "Zweiter Absatz."))),
        # Several blank lines, and blank lines holding spaces, separate paragraphs once.
        ("Eins.\n\n\n\nZwei.\n  \t\nDrei.", Article(("Eins.", "Zwei.", "Drei."))),
        # A single newline is a soft wrap inside the paragraph.
        ("Eine Zeile\nund noch eine.\n\nNeu.", Article(("Eine Zeile\nund noch eine.", "Neu."))),
        # CRLF and CR line ends.
        (f"{URL}\r\n\r\nEins.\r\n\r\nZwei.", Article(("Eins.", "Zwei."), URL)),
        ("Eins.\r\rZwei.", Article(("Eins.", "Zwei."))),
        # A byte-order mark is not text.
        ("\ufeffEins.", Article(("Eins.",))),
        # A URL line directly followed by text still counts as the URL.
        (f"{URL}\nEins.", Article(("Eins.",), URL)),
        # A URL inside text is text.
        (f"Siehe {URL} für mehr.", Article((f"Siehe {URL} für mehr.",))),
        ("http://example.org/a\n\nText.", Article(("Text.",), "http://example.org/a")),
        ("ftp://example.org/a\n\nText.", Article(("ftp://example.org/a", "Text."))),
        (f"{URL}\n\n", Article((), URL)),
        ("", Article(())),
    ],
)
def test_parse_article(text, expected):
    assert parse_article(text) == expected


def test_seed_article_is_one_long_paragraph():
    article = read_article(SEED_ARTICLE)
    assert article.source_url.startswith("https://www.zeit.de/")
    assert len(article.paragraphs) == 1
    # 590 words with the URL line, as `wc -w` counts the file; 589 in the body.
    assert len(article.paragraphs[0].split()) == 589


def test_read_article_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_article(tmp_path / "missing.txt")


def test_read_article_directory(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        read_article(tmp_path)


def test_read_article_empty(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text(f"{URL}\n\n   \n", encoding="utf-8")
    with pytest.raises(InputError, match="no text to translate"):
        read_article(path)
