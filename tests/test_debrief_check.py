"""`debrief check`: the checks on an existing translation, through the library and the CLI."""

from __future__ import annotations

import json

import pytest

from debrief.check import check_files, check_lines, render_check_report
from debrief.cli import main

# Faithful pairs in the shapes of news wires (written here): nothing may be flagged.
GERMAN = [
    "Die Regierung in Berlin beschloss am Montag ein Paket von 3,5 Milliarden Euro.",
    "Der Sturm über der Nordsee legte den Verkehr in Hamburg lahm.",
    "Nach Angaben der Polizei wurden 1.200 Menschen in Sicherheit gebracht.",
    "Die Verhandlungen in Südafrika sollen im September fortgesetzt werden.",
]
ENGLISH = [
    "On Monday the government in Berlin approved a package of 3.5 billion euros.",
    "The storm over the North Sea paralysed traffic in Hamburg.",
    "According to the police, 1,200 people were brought to safety.",
    "The negotiations in South Africa are to continue in September.",
]
# The same with one fault each: a name lost, a number changed, half dropped, a loop.
FAULTY = [
    "On Monday the government approved a package of 3.5 billion euros.",
    "The storm over the North Sea paralysed traffic in Hamburg.",
    "According to the police, 1,300 people were brought to safety.",
    "The negotiations in South Africa are to continue in September in September in September.",
]
EXPECTED_KINDS = [{"name"}, set(), {"number"}, {"repetition"}]


def write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_bytes(path, data):
    path.write_bytes(data)
    return path


def test_faithful_lines_are_clean_and_faults_are_caught():
    assert [segment.checks for segment in check_lines(GERMAN, ENGLISH)] == [()] * 4
    faulty = check_lines(GERMAN, FAULTY)
    assert [{check.kind for check in segment.checks} for segment in faulty] == EXPECTED_KINDS
    assert [segment.line for segment in faulty] == [1, 2, 3, 4]


def test_the_second_half_dropped_is_a_length_flag():
    german = [GERMAN[0]]
    [segment] = check_lines(german, ["On Monday the government in Berlin"])
    assert {check.kind for check in segment.checks} >= {"length"}


def test_cli_lines_jsonl_is_one_object_per_line_in_order(tmp_path, capsys):
    german, english = write(tmp_path / "s.de", GERMAN), write(tmp_path / "h.en", FAULTY)
    assert main(["check", str(german), str(english), "--lines", "--format", "jsonl"]) == 0
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row["line"] for row in rows] == [1, 2, 3, 4]
    assert [{item["kind"] for item in row["checks"]} for row in rows] == EXPECTED_KINDS
    assert rows[1]["checks"] == []
    assert "4 lines checked, 3 flagged (1 name, 1 number, 1 repetition)" in err


def test_cli_json_and_txt_and_strict(tmp_path, capsys):
    german, english = write(tmp_path / "s.de", GERMAN), write(tmp_path / "h.en", FAULTY)
    out = tmp_path / "report.json"
    assert main(["check", str(german), str(english), "--lines", "-o", str(out), "--strict"]) == 3
    record = json.loads(out.read_text(encoding="utf-8"))
    assert (record["segments"], record["flagged"]) == (4, 3)
    assert record["by_kind"] == {"name": 1, "number": 1, "repetition": 1}
    assert {item["line"] for item in record["checks"]} == {1, 3, 4}
    capsys.readouterr()
    assert main(["check", str(german), str(english), "--lines", "-q"]) == 0
    text = capsys.readouterr().out
    assert "line 3: number: missing in the English: 1200" in text
    assert text.count("\n") == len(text.splitlines()) >= 3


def test_cli_clean_translation_exits_0_even_strict(tmp_path, capsys):
    german, english = write(tmp_path / "s.de", GERMAN), write(tmp_path / "h.en", ENGLISH)
    assert main(["check", str(german), str(english), "--lines", "--strict"]) == 0
    assert capsys.readouterr().out == ""


def test_articles_align_paragraphs_then_sentences(tmp_path):
    german = tmp_path / "a.de.txt"
    english = tmp_path / "a.en.txt"
    german.write_text(f"{GERMAN[0]} {GERMAN[1]}\n\n{GERMAN[2]}\n", encoding="utf-8")
    english.write_text(f"{FAULTY[0]} {FAULTY[1]}\n\n{FAULTY[2]}\n", encoding="utf-8")
    report = check_files(german, english)
    places = [(segment.paragraph, segment.segment) for segment in report.segments]
    assert places == [(0, 0), (0, 1), (1, 0)]
    assert [{check.kind for check in s.checks} for s in report.segments] == [
        {"name"},
        set(),
        {"number"},
    ]
    rows = [json.loads(line) for line in render_check_report(report, "jsonl").splitlines()]
    assert rows[1] == {"paragraph": 0, "segment": 1, "checks": []}


def test_a_paragraph_whose_sentences_do_not_pair_is_checked_whole(tmp_path):
    german = write(tmp_path / "a.de.txt", [f"{GERMAN[0]} {GERMAN[1]}"])
    english = write(tmp_path / "a.en.txt", [ENGLISH[0].rstrip(".") + " and " + ENGLISH[1]])
    [segment] = check_files(german, english).segments
    assert segment.checks == ()


@pytest.mark.parametrize(
    ("make", "args", "message"),
    [
        (
            lambda d: (write(d / "s.de", GERMAN), write(d / "h.en", ENGLISH[:3])),
            ["--lines"],
            "the German has 4 lines and the English 3; with --lines",
        ),
        (
            lambda d: (
                write(d / "s.de", ["Absatz eins.", "", "Absatz zwei."]),
                write(d / "h.en", ["One."]),
            ),
            [],
            "the German has 2 paragraphs and the English 1",
        ),
        (
            lambda d: (
                write(d / "s.de", GERMAN),
                write_bytes(d / "h.en", b""),
            ),
            ["--lines"],
            "h.en: is empty; there is nothing to check",
        ),
        (
            lambda d: (
                write(d / "s.de", GERMAN),
                write_bytes(d / "h.en", b"\x00\x01" * 50),
            ),
            ["--lines"],
            "looks like binary data",
        ),
        (lambda d: (d / "missing.de", write(d / "h.en", ENGLISH)), [], "missing.de: no such file"),
        (lambda d: (d, write(d / "h.en", ENGLISH)), [], "is a directory"),
        (lambda d: ("-", "-"), [], "cannot both be standard input"),
        (
            lambda d: (write(d / "s.de", GERMAN), write(d / "h.en", ENGLISH)),
            ["--encoding", "base64"],
            "unknown --encoding 'base64'",
        ),
    ],
)
def test_bad_inputs_are_one_line_exit_2_and_nothing_written(tmp_path, capsys, make, args, message):
    german, english = make(tmp_path)
    before = sorted(path.name for path in tmp_path.iterdir())
    out = tmp_path / "report.jsonl"
    code = main(["check", str(german), str(english), "-o", str(out), *args])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and err.startswith("debrief: error: ")
    assert sorted(path.name for path in tmp_path.iterdir()) == before  # no report written


def test_output_that_is_an_input_is_refused(tmp_path, capsys):
    german, english = write(tmp_path / "s.de", GERMAN), write(tmp_path / "h.en", ENGLISH)
    assert main(["check", str(german), str(english), "--lines", "-o", str(english)]) == 2
    assert "is an input" in capsys.readouterr().err
    assert english.read_text(encoding="utf-8").splitlines() == ENGLISH
