"""PowerPoint, OpenDocument, e-book and PDF documents through the CLI:
`debrief translate folien.pptx -o folien.en.pptx` (and .odt, .odp, .epub) keeps the
document and translates every paragraph; a PDF's text is translated into the text
outputs; documents debrief will not open are one line, exit 2, nothing written."""

from __future__ import annotations

import io
import itertools
import json

import pptx
import pytest
from conftest import FakeSummarizer, FakeTranslator, install_fake_models
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from support.documents import (
    book_epub,
    presentation_pptx,
    report_odt,
    slides_odp,
    text_pdf,
    zip_entries,
    zipped,
)
from test_adversarial import one_error_line, snapshot

from debrief.cli import main
from debrief.documents import LAYOUT_KEEPING_SUFFIXES, document_format
from debrief.documents.pdf import paragraphs_from_pages
from debrief.outputs.formats import DOCUMENT_OUTPUTS

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
XHTML = "http://www.w3.org/1999/xhtml"


@pytest.fixture
def fakes(monkeypatch, tmp_path):
    install_fake_models(monkeypatch, FakeTranslator(), FakeSummarizer())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def translate(folder, data: bytes, name: str, output: str) -> bytes:
    (folder / name).write_bytes(data)
    assert main(["translate", name, "--model", "m", "-o", output, "-q"]) == 0
    assert (folder / name).read_bytes() == data  # the input is left as it was
    return (folder / output).read_bytes()


def test_every_layout_keeping_format_is_an_output_of_translate():
    assert [f".{name}" for name in DOCUMENT_OUTPUTS] == list(LAYOUT_KEEPING_SUFFIXES)


def test_a_presentation_comes_back_translated_with_its_layout(fakes):
    english = pptx.Presentation(
        io.BytesIO(translate(fakes, presentation_pptx(), "f.pptx", "e.pptx"))
    )
    first, second = english.slides
    assert first.shapes.title.text == "EN[Der Rat berät den Haushalt]"
    body = first.placeholders[1].text_frame.paragraphs
    assert [p.text for p in body] == [
        "EN[Die Regierung tagte am Sonntag.]",
        "EN[Sie beschloss nichts.]",
    ]
    assert first.notes_slide.notes_text_frame.text == "EN[Zuerst die Zahlen nennen.]"
    table = next(shape for shape in second.shapes if shape.has_table).table
    assert [cell.text for row in table.rows for cell in row.cells] == [
        "EN[Jahr]",
        "EN[Ausgaben]",
        "EN[2026]",
        "EN[Zwölf Milliarden Euro]",
    ]
    group = next(shape for shape in second.shapes if shape.shape_type == 6)  # MSO_SHAPE_TYPE.GROUP
    assert group.shapes[0].text_frame.text == "EN[Quelle: Stadtrat]"
    assert sum(shape.shape_type == 13 for shape in second.shapes) == 1  # the picture


def _odf_texts(data: bytes, part: str = "content.xml") -> list[str]:
    root = etree.fromstring(zip_entries(data)[part])
    paragraphs = root.iter(f"{{{TEXT}}}p", f"{{{TEXT}}}h")
    return [" ".join("".join(p.itertext()).split()) for p in paragraphs]


def test_an_opendocument_text_comes_back_translated_with_its_layout(fakes):
    original = report_odt()
    english = translate(fakes, original, "bericht.odt", "bericht.en.odt")
    assert _odf_texts(english) == [
        "EN[Der Rat berät den Haushalt]",
        # the footnote's citation and body stay inside the paragraph, translated apart
        "EN[Die Regierung in Berlin hat am Sonntag über den Haushalt beraten.]1EN[Laut Protokoll.]",
        "EN[Laut Protokoll.]",
        "EN[Sie beschloss nichts.]",
        "",  # the picture's paragraph
        "EN[Jahr]",
        "EN[Ausgaben]",
        "EN[Danach ging es um die Schulen.]Prüfen!",  # the comment is not translated
        "Prüfen!",
    ]
    assert _odf_texts(english, "styles.xml") == ["EN[Stadtrat Berlin]", "EN[Seite eins]"]
    before, after = zip_entries(original), zip_entries(english)
    assert list(after) == list(before) and after["mimetype"] == before["mimetype"]
    unchanged = set(before) - {"content.xml", "styles.xml"}
    assert all(after[name] == before[name] for name in unchanged)  # pictures, meta, manifest
    content = after["content.xml"].decode()
    assert 'xlink:href="https://example.org/haushalt"' in content  # the link is kept
    assert 'text:style-name="Bold"' in content and "Pictures/pixel.png" in content


def test_an_opendocument_presentation_translates_slides_and_notes(fakes):
    english = translate(fakes, slides_odp(), "folien.odp", "folien.en.odp")
    assert _odf_texts(english) == [
        "EN[Der Rat berät den Haushalt]",
        "EN[Die Regierung tagte am Sonntag.]",
        "EN[Zuerst die Zahlen nennen.]",
    ]


def _xhtml_paragraphs(data: bytes, part: str) -> list[str]:
    root = etree.fromstring(zip_entries(data)[part])
    tags = [f"{{{XHTML}}}{tag}" for tag in ("h1", "h2", "p", "li", "td", "pre", "div")]
    return [" ".join("".join(element.itertext()).split()) for element in root.iter(*tags)]


def test_an_ebook_comes_back_translated_in_reading_order(fakes):
    original = book_epub()
    english = translate(fakes, original, "buch.epub", "book.epub")
    assert _xhtml_paragraphs(english, "OEBPS/kapitel1.xhtml") == [
        "EN[Der Rat berät den Haushalt]",
        "EN[Die Regierung in Berlin hat am Sonntag beraten.] EN[Sie beschloss nichts.]",
        "",  # the picture's paragraph
        "code bleibt",  # preformatted text is not translated
    ]
    assert _xhtml_paragraphs(english, "OEBPS/kapitel2.xhtml") == [
        "EN[Die Zahlen]",
        "EN[Zwölf Milliarden Euro]",
        "EN[Jahr]",
        "EN[2026]",
        "EN[Quelle: Stadtrat]EN[Danach ging es um die Schulen.]",
        "EN[Danach ging es um die Schulen.]",
    ]
    chapter = zip_entries(english)["OEBPS/kapitel1.xhtml"].decode()
    assert "<!DOCTYPE html>" in chapter and '<img src="pixel.png" alt="Bild"/>' in chapter
    assert (
        '<a href="kapitel2.xhtml"></a>' in chapter
    )  # the link stays, its text went into the English
    before, after = zip_entries(original), zip_entries(english)
    assert list(after) == list(before)
    assert {name for name in before if before[name] != after[name]} == {
        "OEBPS/kapitel1.xhtml",
        "OEBPS/kapitel2.xhtml",
        "OEBPS/nav.xhtml",
    }


def test_an_ebook_to_json_follows_the_spine_and_keeps_its_metadata(fakes):
    (fakes / "buch.epub").write_bytes(book_epub())
    assert main(["translate", "buch.epub", "--model", "m", "-o", "buch.json", "-q"]) == 0
    record = json.loads((fakes / "buch.json").read_text(encoding="utf-8"))
    sources = [paragraph["source"] for paragraph in record["paragraphs"]]
    # kapitel1 comes first, as the spine says, though the manifest lists kapitel2 first;
    # the navigation document, outside the spine, comes last
    assert sources[0] == "Der Rat berät den Haushalt" and sources[-1] == "Haushalt"
    assert record["title"] == "Haushalt" and record["author"] == "Anna Schmidt"


PDF_PAGES = [
    [
        "Stadtrat Berlin",
        "Der Rat berät den Haushalt",
        "Die Regierung in Berlin hat am Sonntag über den Haushalt der Stadt für",
        "das kommende Jahr beraten und dabei über die Ausgaben für die Bundes-",
        "regierung gestritten, die offen sind.",
        "Sie beschloss nichts.",
        "Danach ging es lange um die Schulen, die in vielen Bezirken der Stadt seit",
        "1",
    ],
    [
        "Stadtrat Berlin",
        "Jahren auf eine Sanierung warten.",
        "Der Rat will im Mai weiter beraten.",
        "2",
    ],
    [
        "Stadtrat Berlin",
        "Die Opposition kritisierte den Entwurf des Senats und der Koalition scharf.",
        "3",
    ],
]


def test_a_pdf_is_read_as_paragraphs_and_translated_into_text(fakes):
    (fakes / "bericht.pdf").write_bytes(text_pdf(PDF_PAGES))
    assert main(["translate", "bericht.pdf", "--model", "m", "-o", "bericht.json", "-q"]) == 0
    record = json.loads((fakes / "bericht.json").read_text(encoding="utf-8"))
    assert [paragraph["source"] for paragraph in record["paragraphs"]] == [
        "Der Rat berät den Haushalt",
        "Die Regierung in Berlin hat am Sonntag über den Haushalt der Stadt für das kommende "
        "Jahr beraten und dabei über die Ausgaben für die Bundesregierung gestritten, die offen "
        "sind.",
        "Sie beschloss nichts.",
        "Danach ging es lange um die Schulen, die in vielen Bezirken der Stadt seit Jahren auf "
        "eine Sanierung warten.",
        "Der Rat will im Mai weiter beraten.",
        "Die Opposition kritisierte den Entwurf des Senats und der Koalition scharf.",
    ]
    assert record["title"] == "Haushalt"


def test_a_pdf_cannot_come_back_as_a_pdf(fakes, capsys):
    (fakes / "bericht.pdf").write_bytes(text_pdf(PDF_PAGES))
    before = snapshot(fakes)
    assert main(["translate", "bericht.pdf", "--model", "m", "-o", "b.pdf", "-q"]) == 2
    one_error_line(capsys.readouterr().err, "debrief does not write PDF")
    assert snapshot(fakes) == before


@given(
    st.lists(
        st.text(st.characters(codec="latin-1", exclude_categories=["Cc"]), max_size=80), max_size=30
    )
)
def test_pdf_paragraphs_lose_no_word_of_a_page(lines):
    words = [word for line in lines for word in line.split()]
    found = " ".join(paragraphs_from_pages(["\n".join(lines)])).split()
    # Every word survives, apart from page numbers and the halves of a hyphenated word.
    assert len(found) <= len(words)
    assert set(found) <= set(words) | {a[:-1] + b for a, b in itertools.pairwise(words)}


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(PDF_PAGES))))
    writer.encrypt("geheim", algorithm="RC4-128")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


# Entities that would expand to 10^8 characters; libxml2 refuses such amplification.
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        f'<!ENTITY {b} "{("&" + a + ";") * 10}">'.encode()
        for a, b in itertools.pairwise("abcdefgh")
    )
    + b']><html xmlns="http://www.w3.org/1999/xhtml"><body><p>Hallo &h; Welt.</p></body></html>'
)


def _with(data: bytes, extra: dict[str, bytes]) -> bytes:
    return zipped({**zip_entries(data), **extra}, stored_first="mimetype")


def _odt_encrypted() -> bytes:
    entries = zip_entries(report_odt())
    entries["META-INF/manifest.xml"] = entries["META-INF/manifest.xml"].replace(
        b"</manifest:manifest>", b"<manifest:encryption-data/></manifest:manifest>"
    )
    return zipped(entries, stored_first="mimetype")


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("f.pptx", lambda: b"kein zip", "is not a .pptx document (not a zip file)"),
        ("f.pptx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "password-protected"),
        (
            "f.pptx",
            lambda: _with(presentation_pptx(), {"ppt/vbaProject.bin": b"\0"}),
            "holds macros",
        ),
        ("f.pptx", lambda: zipped({"ppt/presentation.xml": b"<kaputt"}), "could not be read"),
        (
            "b.odt",
            lambda: _with(report_odt(), {"Basic/Standard/Module1.xml": b"<x/>"}),
            "holds macros",
        ),
        ("b.odt", _odt_encrypted, "is password-protected"),
        (
            "b.odt",
            lambda: zipped({"mimetype": b"application/vnd.oasis.opendocument.text"}),
            "no content.xml",
        ),
        (
            "b.odt",
            lambda: _with(report_odt(), {"content.xml": b"<office:document-content"}),
            "a part is damaged",
        ),
        (
            "b.odt",
            lambda: zipped({"content.xml": b"<x/>", "big.bin": b"\0" * 30_000_000}),
            "does not open documents that large or that packed",
        ),
        (
            "b.epub",
            lambda: zipped({"mimetype": b"application/epub+zip"}),
            "no META-INF/container.xml",
        ),
        (
            "b.epub",
            lambda: _with(book_epub(), {"OEBPS/kapitel1.xhtml": b"<html><p>offen"}),
            "is not well-formed XML",
        ),
        ("b.epub", lambda: _with(book_epub(), {"OEBPS/kapitel1.xhtml": BILLION_LAUGHS}), "XML"),
        ("b.pdf", lambda: b"%PDF-1.4\nkaputt", "could not be read as a PDF"),
        ("b.pdf", _encrypted_pdf, "is password-protected"),
        ("b.pdf", lambda: text_pdf([[]]), "has no text layer"),
    ],
    ids=[
        "pptx-corrupt",
        "pptx-encrypted",
        "pptx-macros",
        "pptx-broken-xml",
        "odt-macros",
        "odt-encrypted",
        "odt-no-content",
        "odt-broken-xml",
        "odt-zip-bomb",
        "epub-no-container",
        "epub-broken-xhtml",
        "epub-entity-bomb",
        "pdf-corrupt",
        "pdf-encrypted",
        "pdf-scan",
    ],
)
def test_documents_debrief_will_not_open_are_one_line_and_nothing_written(
    fakes, capsys, name, make, message
):
    (fakes / name).write_bytes(make())
    before = snapshot(fakes)
    output = "out" + name[name.index(".") :] if not name.endswith(".pdf") else "out.txt"
    assert main(["translate", name, "--model", "m", "-o", output, "-q"]) == 2
    one_error_line(capsys.readouterr().err, message)
    assert snapshot(fakes) == before


def test_documents_are_told_by_their_content_not_their_names():
    assert document_format(presentation_pptx(), "notes.txt").suffix == ".pptx"
    assert document_format(report_odt(), "x").suffix == ".odt"
    assert document_format(slides_odp(), "x").suffix == ".odp"
    assert document_format(book_epub(), "x.zip").suffix == ".epub"
    assert document_format(text_pdf(PDF_PAGES), "x").suffix == ".pdf"
    assert document_format(b"Hallo", "x.txt") is None
    assert document_format(b"kaputt", "kaputt.odt").suffix == ".odt"  # refused as one, later


def test_translate_file_gives_each_kind_back_and_a_pdf_as_text():
    from test_debrief_server import client

    api = client()
    formats = api.get("/frontend/settings").json()["supportedFilesFormat"]
    assert {".pptx", ".odt", ".odp", ".epub", ".pdf"} <= set(formats)
    for name, data, kind, english in [
        ("folien.pptx", presentation_pptx(), "presentationml", "folien.en.pptx"),
        ("bericht.odt", report_odt(), "opendocument.text", "bericht.en.odt"),
        ("folien.odp", slides_odp(), "opendocument.presentation", "folien.en.odp"),
        ("buch.epub", book_epub(), "epub+zip", "buch.en.epub"),
        ("bericht.pdf", text_pdf(PDF_PAGES), "text/plain", "bericht.en.txt"),
    ]:
        answer = api.post("/translate_file", files={"file": (name, data)}, data={"source": "de"})
        assert answer.status_code == 200, answer.text
        url = answer.json()["translatedFileUrl"]
        assert url.endswith(f"/{english}")
        download = api.get(url)
        assert download.status_code == 200 and kind in download.headers["content-type"]
        if name.endswith(".pdf"):
            # the title first, as the text output has it, then the paragraphs
            assert download.text.startswith("EN[Haushalt]\n\nEN[Der Rat berät den Haushalt]\n\n")
        else:
            again = document_format(download.content, english)
            assert again.read(download.content, english).paragraphs[0] == (
                "EN[Der Rat berät den Haushalt]"
            )


def test_a_job_made_from_a_document_offers_it_back_in_english():
    from test_debrief_server import client

    api = client()
    for data, name in [(report_odt(), "result.en.odt"), (book_epub(), "result.en.epub")]:
        started = api.post("/api/jobs", files={"file": ("x", data)})
        assert started.status_code == 202, started.text
        job = started.json()["id"]
        for _ in range(200):
            state = api.get(f"/api/jobs/{job}").json()
            if state["status"] in ("done", "failed"):
                break
        assert state["status"] == "done" and name in state["files"], state
        download = api.get(f"/api/jobs/{job}/{name}")
        assert download.status_code == 200
        again = document_format(download.content, name)
        assert again.read(download.content, name).paragraphs[0] == "EN[Der Rat berät den Haushalt]"
    pdf_job = api.post("/api/jobs", files={"file": ("x", text_pdf(PDF_PAGES))}).json()["id"]
    for _ in range(200):
        state = api.get(f"/api/jobs/{pdf_job}").json()
        if state["status"] in ("done", "failed"):
            break
    assert state["status"] == "done" and not any(".en.pdf" in f for f in state["files"])
