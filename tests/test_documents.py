"""Word documents through the CLI: `debrief translate report.docx -o report.en.docx`
keeps the document (styles, tables, headers, footers, pictures) and translates every
paragraph's text; documents debrief will not open are one line, exit 2, nothing written."""

from __future__ import annotations

import base64
import io
import json
import zipfile

import docx
import pytest
from conftest import FakeSummarizer, FakeTranslator, install_fake_models
from test_adversarial import one_error_line, snapshot

from debrief.cli import main

# A 1x1 PNG, for a picture the translation must keep.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def report_docx() -> bytes:
    document = docx.Document()
    document.core_properties.title = "Haushalt"
    document.add_heading("Der Rat berät den Haushalt", level=1)
    lead = document.add_paragraph()
    lead.add_run("Die Regierung in Berlin hat ").bold = True
    lead.add_run("am Sonntag über den Haushalt beraten.")
    document.add_paragraph("Sie beschloss nichts.", style="List Bullet")
    document.add_picture(io.BytesIO(PIXEL))
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Jahr"
    table.cell(0, 1).text = "Ausgaben"
    table.cell(1, 0).text = "2026"
    table.cell(1, 1).text = "Zwölf Milliarden Euro"
    document.sections[0].header.paragraphs[0].text = "Stadtrat Berlin"
    document.sections[0].footer.paragraphs[0].text = "Seite eins"
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


@pytest.fixture
def fakes(monkeypatch, tmp_path):
    install_fake_models(monkeypatch, FakeTranslator(), FakeSummarizer())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_word_document_comes_back_translated_with_its_layout(fakes):
    original = report_docx()
    (fakes / "report.docx").write_bytes(original)
    assert main(["translate", "report.docx", "--model", "m", "-o", "report.en.docx", "-q"]) == 0
    english = docx.Document(str(fakes / "report.en.docx"))
    body = [paragraph for paragraph in english.paragraphs if paragraph.text]
    assert [paragraph.text for paragraph in body] == [
        "EN[Der Rat berät den Haushalt]",
        "EN[Die Regierung in Berlin hat am Sonntag über den Haushalt beraten.]",
        "EN[Sie beschloss nichts.]",
    ]
    assert [paragraph.style.name for paragraph in body] == ["Heading 1", "Normal", "List Bullet"]
    assert body[1].runs[0].bold is True  # the first run's formatting carries the paragraph
    assert len(english.inline_shapes) == 1  # the picture is still there
    cells = [cell.text for row in english.tables[0].rows for cell in row.cells]
    assert cells == ["EN[Jahr]", "EN[Ausgaben]", "EN[2026]", "EN[Zwölf Milliarden Euro]"]
    assert english.sections[0].header.paragraphs[0].text == "EN[Stadtrat Berlin]"
    assert english.sections[0].footer.paragraphs[0].text == "EN[Seite eins]"
    assert (fakes / "report.docx").read_bytes() == original  # the input is left as it was


def test_a_word_document_to_json_records_every_paragraph(fakes):
    (fakes / "report.docx").write_bytes(report_docx())
    assert main(["translate", "report.docx", "--model", "m", "-o", "report.json", "-q"]) == 0
    record = json.loads((fakes / "report.json").read_text(encoding="utf-8"))
    sources = [paragraph["source"] for paragraph in record["paragraphs"]]
    assert sources[0] == "Der Rat berät den Haushalt" and "Seite eins" in sources
    assert len(sources) == 9 and record["title"] == "Haushalt"


def _zip(entries: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return output.getvalue()


def _with_macros() -> bytes:
    with zipfile.ZipFile(io.BytesIO(report_docx())) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    return _zip({**entries, "word/vbaProject.bin": b"\x00" * 64})


@pytest.mark.parametrize(
    ("make", "output", "message"),
    [
        (lambda: b"not a zip at all", "out.docx", "is not a .docx document (not a zip file)"),
        (
            lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
            "out.docx",
            "is password-protected or in an old binary format",
        ),
        (lambda: _zip({"readme.txt": b"hallo"}), "out.docx", "no .docx document"),
        (_with_macros, "out.docx", "holds macros"),
        (
            lambda: _zip({"word/document.xml": b"<w/>", "word/big.xml": b"\x00" * 30_000_000}),
            "out.docx",
            "does not open documents that large or that packed",
        ),
        (lambda: _zip({"word/document.xml": b"<not xml"}), "out.docx", "could not be read"),
    ],
    ids=["corrupt", "encrypted", "no-document", "macros", "zip-bomb", "broken-xml"],
)
def test_documents_debrief_will_not_open_are_one_line_and_nothing_written(
    fakes, capsys, make, output, message
):
    (fakes / "bad.docx").write_bytes(make())
    before = snapshot(fakes)
    assert main(["translate", "bad.docx", "--model", "m", "-o", output, "-q"]) == 2
    one_error_line(capsys.readouterr().err, message)
    assert snapshot(fakes) == before


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["notes.txt", "-o", "notes.docx"], "a .docx output is made from a .docx input"),
        (["report.docx", "--format", "docx"], "a .docx output needs -o FILE.docx"),
    ],
)
def test_a_docx_output_without_a_docx_input_or_a_file_is_one_line(fakes, capsys, argv, message):
    (fakes / "notes.txt").write_text("Die Regierung tagte am Sonntag.\n", encoding="utf-8")
    (fakes / "report.docx").write_bytes(report_docx())
    before = snapshot(fakes)
    assert main(["translate", *argv, "--model", "m", "-q"]) == 2
    one_error_line(capsys.readouterr().err, message)
    assert snapshot(fakes) == before
