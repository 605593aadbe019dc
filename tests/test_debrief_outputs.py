"""Output formats rendered from a hand-built translated article, and atomic writes."""

from __future__ import annotations

import errno
import json

import pytest

from debrief import __version__
from debrief.errors import OutputError
from debrief.outputs.files import write_atomic
from debrief.outputs.formats import render
from translate.article import TranslatedArticle, TranslatedParagraph, TranslatedSegment

URL = "https://example.org/artikel"


def make_article(source_url: str | None = URL) -> TranslatedArticle:
    return TranslatedArticle(
        paragraphs=(
            TranslatedParagraph(
                source="Erster Satz. Zweiter\nSatz.",
                segments=(
                    TranslatedSegment("Erster Satz.", "First sentence."),
                    TranslatedSegment("Zweiter Satz.", "Second sentence.", pieces=2),
                ),
            ),
            TranslatedParagraph(
                source="1. Absatz.", segments=(TranslatedSegment("1. Absatz.", "1. Paragraph."),)
            ),
        ),
        source_url=source_url,
        model="Helsinki-NLP/opus-mt-de-en",
        model_revision="abc123",
        settings={"num_beams": 4},
    )


def test_text_keeps_url_and_paragraph_breaks():
    assert render(make_article(), "txt") == (
        f"{URL}\n\nFirst sentence. Second sentence.\n\n1. Paragraph.\n"
    )


def test_text_without_url():
    assert (
        render(make_article(None), "txt") == "First sentence. Second sentence.\n\n1. Paragraph.\n"
    )


def test_markdown_links_the_source_and_escapes_block_syntax():
    assert render(make_article(), "md") == (
        f"Source: [{URL}]({URL})\n\nFirst sentence. Second sentence.\n\n\\1. Paragraph.\n"
    )


def test_json_record_aligns_segments_and_says_how_it_was_made():
    record = json.loads(render(make_article(), "json"))
    assert record["source_url"] == URL
    assert record["model"] == "Helsinki-NLP/opus-mt-de-en"
    assert record["model_revision"] == "abc123"
    assert record["generation"] == {"num_beams": 4}
    assert record["debrief_version"] == __version__
    assert record["paragraphs"][0] == {
        "source": "Erster Satz. Zweiter\nSatz.",
        "translation": "First sentence. Second sentence.",
        "segments": [
            {"source": "Erster Satz.", "translation": "First sentence.", "pieces": 1},
            {"source": "Zweiter Satz.", "translation": "Second sentence.", "pieces": 2},
        ],
    }


def test_write_atomic_replaces_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "sub" / "out.txt"
    write_atomic(target, "eins\n")
    write_atomic(target, "zwei\n")
    assert target.read_text(encoding="utf-8") == "zwei\n"
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_write_atomic_keeps_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_text("alt\n", encoding="utf-8")

    def broken_replace(source, destination):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("debrief.outputs.files.os.replace", broken_replace)
    with pytest.raises(
        OutputError, match=r"could not write .*out.txt: No space left on device; free some space"
    ):
        write_atomic(target, "neu\n")
    assert target.read_text(encoding="utf-8") == "alt\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
