"""Parsing the input format: URL line, paragraphs, soft wraps; and read errors."""

from __future__ import annotations

import pytest
from conftest import SEED_ARTICLE

from debrief.errors import InputError
from translate.article import Article, parse_article
from translate.reading import read_article

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


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"  \n\t\n  ", "holds only whitespace"),
        (f"{URL}\n\n   \n".encode(), "holds only a URL"),
        (f"{URL}".encode(), "holds only a URL"),
        (b"\x7fELF\x02\x01\x01" + bytes(200), "looks like binary data"),
        (b"PK\x03\x04" + bytes(range(256)) * 4, "looks like binary data"),
        (b"Text mit NUL\x00 mitten drin.", "looks like binary data"),
    ],
)
def test_read_article_refuses_files_without_text(tmp_path, content, message):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_article(path)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Größe und Straße – „Zitat“ €".encode(), "Größe und Straße – „Zitat“ €"),
        ("\ufeffGröße".encode(), "Größe"),
        ("Größe ß".encode("utf-16"), "Größe ß"),
        ("Größe ß".encode("utf-16-be"), None),  # no BOM: refused as binary, not garbled
        ("Größe – „Zitat“ € ß".encode("cp1252"), "Größe – „Zitat“ € ß"),
        ("Größe ß".encode("latin-1"), "Größe ß"),
        ("Größe ".encode() + "Straße".encode("cp1252"), "Größe Straße"),
        (b"Eins\r\n\r\nZwei\rDrei", None),
    ],
)
def test_encodings_are_detected(tmp_path, data, expected):
    path = tmp_path / "input.txt"
    path.write_bytes(data)
    if expected is None and b"\x00" in data:
        with pytest.raises(InputError, match="binary"):
            read_article(path)
    elif expected is None:
        assert read_article(path).paragraphs == ("Eins", "Zwei\nDrei")
    else:
        assert read_article(path).paragraphs == (expected,)


def test_forced_encoding(tmp_path):
    path = tmp_path / "input.txt"
    path.write_bytes("Größe".encode("cp1252"))
    assert read_article(path, encoding="cp1252").paragraphs == ("Größe",)
    with pytest.raises(InputError, match="not valid utf-8 at byte 2; check --encoding"):
        read_article(path, encoding="utf-8")
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        read_article(path, encoding="klingon")


def test_unreadable_file(tmp_path, monkeypatch):
    # Tests run as root, where chmod 0 does not stop a read; simulate the refusal.
    path = tmp_path / "secret.txt"
    path.write_text("Geheim.", encoding="utf-8")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(path), "open", refuse)
    with pytest.raises(InputError, match="permission denied"):
        read_article(path)
