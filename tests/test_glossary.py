"""Glossaries (translate/glossary.py): DeepL's TSV and CSV read and merged, terms found in
German in their inflected forms and as compounds' heads, their English looked for in the
translation; `debrief check --glossary` on an existing translation; bad glossaries one
line, exit 2, nothing written."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_adversarial import one_error_line, snapshot

from debrief.cli import main
from debrief.errors import InputError
from translate.glossary import (
    GERMAN_ENDINGS,
    english_has,
    find_term,
    merge_glossaries,
    parse_glossary,
)


def glossary(text: str, name: str = "g.tsv"):
    return merge_glossaries([parse_glossary(text.encode("utf-8"), name)])


@pytest.mark.parametrize(
    "text",
    [
        "Bundestag\tBundestag\nAmpel-Koalition\ttraffic-light coalition\n",
        "Deutsch\tEnglisch\nBundestag\tBundestag\nAmpel-Koalition\ttraffic-light coalition\n",
        "Bundestag,Bundestag\nAmpel-Koalition,traffic-light coalition\n",
        'source,target\nBundestag,Bundestag\n"Ampel-Koalition","traffic-light coalition"\n',
        "Bundestag,Bundestag,de,en\nAmpel-Koalition,traffic-light coalition,de,en\n",  # DeepL CSV
        "\ufeffBundestag\tBundestag\r\n\r\nAmpel-Koalition\ttraffic-light coalition\r\n",
    ],
    ids=["tsv", "tsv-header", "csv", "csv-header-quoted", "deepl-csv", "bom-crlf-blank"],
)
def test_deepls_formats_read_the_same(text):
    terms = parse_glossary(text.encode("utf-8"), "g")
    assert [(t.german, t.english) for t in terms] == [
        ("Bundestag", "Bundestag"),
        ("Ampel-Koalition", "traffic-light coalition"),
    ]


@pytest.mark.parametrize(
    ("german", "term", "found"),
    [
        ("Der Bundestag tagte.", "Bundestag", "Bundestag"),
        ("Die Sitzung des Bundestages begann.", "Bundestag", "Bundestages"),
        ("Die Abgeordneten des Bundestags", "Bundestag", "Bundestags"),
        ("In der Europäischen Union gilt das.", "Europäische Union", "Europäischen Union"),
        ("Die Ampelkoalition zerbricht.", "Koalition", "Ampelkoalition"),
        ("Die Ampel-Koalition zerbricht.", "Koalition", "Ampel-Koalition"),
        ("Die Ampelkoalition zerbricht.", "Ampel-Koalition", "Ampelkoalition"),
        ("Beide Koalitionen zerbrechen.", "Koalition", "Koalitionen"),
        ("Selenskyjs Rede war kurz.", "Selenskyj", "Selenskyjs"),
        ("die bundesnetzagentur prüft", "Bundesnetzagentur", "bundesnetzagentur"),
        ("Der Apparat lief.", "Rat", None),  # a short term is no compound's head
        ("Der Ratgeber half.", "Rat", None),  # nor the start of another word
        ("Koalitionsvertrag", "Koalition", None),  # a compound's first part is not its head
    ],
)
def test_terms_are_found_inflected_and_as_the_head_of_compounds(german, term, found):
    span = find_term(term, german)
    assert (german[span[0] : span[1]] if span else None) == found


@pytest.mark.parametrize(
    ("term", "english", "kept"),
    [
        ("coalition", "The coalitions broke up.", True),
        ("Zelensky", "Zelensky's speech was short.", True),
        ("traffic-light coalition", "The traffic light coalition broke up.", True),
        ("Federal Network Agency", "the federal network agency checks", True),
        ("Zelensky", "Zelenskyy spoke.", False),
        ("coalition", "The coalitionist spoke.", False),
    ],
)
def test_the_english_term_is_looked_for_with_plural_and_possessive_endings(term, english, kept):
    assert english_has(term, english) is kept


def test_the_longest_term_wins_and_each_hit_says_whether_it_was_kept():
    terms = glossary("Zentralbank\tcentral bank\nEuropäische Zentralbank\tECB\n")
    hits = terms.hits(
        "Die Europäische Zentralbank und jede Zentralbank.", "The ECB and every bank."
    )
    assert [(hit.term.german, hit.found, hit.kept) for hit in hits] == [
        ("Europäische Zentralbank", "Europäische Zentralbank", True),
        ("Zentralbank", "Zentralbank", False),
    ]


@given(
    st.sampled_from(["Bundestag", "Koalition", "Netzagentur", "Haushalt"]),
    st.sampled_from(GERMAN_ENDINGS),
    st.sampled_from(["", "Ampel", "Bundes", "Landes-"]),
)
def test_any_inflected_form_or_compound_of_a_term_is_found(term, ending, prefix):
    german = f"Heute tagte der {prefix}{term}{ending} in Berlin."
    span = find_term(term, german)
    assert span is not None and german[span[0] : span[1]] == f"{prefix}{term}{ending}"


def test_two_files_merge_and_a_term_given_two_englishes_is_refused():
    first = parse_glossary(b"Bundestag\tBundestag\n", "a.tsv")
    same = parse_glossary(b"Bundestag\tBundestag\nBundesrat\tBundesrat\n", "b.tsv")
    merged = merge_glossaries([first, same]).terms  # longest first, then alphabetical
    assert [t.german for t in merged] == ["Bundesrat", "Bundestag"]
    other = parse_glossary(b"bundestag\tGerman parliament\n", "c.tsv")
    with pytest.raises(InputError, match=r"given two English terms: 'Bundestag' \(a.tsv:1\)"):
        merge_glossaries([first, other])


GERMAN_LINES = "Der Bundestages tagte.\nDie Ampelkoalition zerbricht.\nSelenskyj sprach.\n"
ENGLISH_LINES = "The Bundestag met.\nThe coalition breaks up.\nZelensky spoke.\n"


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "de.txt").write_text(GERMAN_LINES, encoding="utf-8")
    (tmp_path / "en.txt").write_text(ENGLISH_LINES, encoding="utf-8")
    (tmp_path / "g.tsv").write_text(
        "Deutsch\tEnglisch\nBundestag\tBundestag\nAmpel-Koalition\ttraffic-light coalition\n",
        encoding="utf-8",
    )
    (tmp_path / "names.csv").write_text("Selenskyj,Zelensky\n", encoding="utf-8")
    return tmp_path


def test_check_with_glossaries_flags_the_missing_term_and_lists_every_hit(files, capsys):
    argv = ["check", "de.txt", "en.txt", "--lines", "--glossary", "g.tsv"]
    assert main([*argv, "--glossary", "names.csv", "--format", "jsonl", "--strict"]) == 3
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["glossary"] for line in lines] == [
        [
            {
                "term": "Bundestag",
                "english": "Bundestag",
                "found": "Bundestages",
                "start": 4,
                "end": 15,
                "kept": True,
                "glossary": "g.tsv:2",
            }
        ],
        [
            {
                "term": "Ampel-Koalition",
                "english": "traffic-light coalition",
                "found": "Ampelkoalition",
                "start": 4,
                "end": 18,
                "kept": False,
                "glossary": "g.tsv:3",
            }
        ],
        [
            {
                "term": "Selenskyj",
                "english": "Zelensky",
                "found": "Selenskyj",
                "start": 0,
                "end": 9,
                "kept": True,
                "glossary": "names.csv:1",
            }
        ],
    ]
    assert [check["kind"] for check in lines[1]["checks"]] == ["glossary"]
    assert main([*argv, "--format", "json", "-o", "report.json"]) == 0
    report = json.loads((files / "report.json").read_text(encoding="utf-8"))
    assert report["glossary"]["hits"] == 2 and report["glossary"]["kept"] == 1
    assert report["by_kind"] == {"glossary": 1}


def test_check_without_a_glossary_says_nothing_of_one(files, capsys):
    assert main(["check", "de.txt", "en.txt", "--lines", "--format", "jsonl"]) == 0
    assert all("glossary" not in json.loads(line) for line in capsys.readouterr().out.splitlines())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\n\n  \n", "is empty"),
        (b"Bundestag\n", "has one column"),
        (b"Bundestag\t\n", "has one column"),
        (b"Deutsch\tEnglisch\n", "holds no terms, only a header"),
        (b"Bundestag\tBundestag\nbundestag\tparliament\n", "is given two English terms"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a binary file"),
        (b"Bundestag\tBundestag\n" * 200_000, "a glossary may be at most 2 MB"),
        (b"der\tthe\n", "is only stop words"),
        (b"in der\tin the\n", "is only stop words"),
        (b"a,b,c\n", "has 3 columns"),
        (b"\tparliament\n", "has no German term"),
    ],
    ids=[
        "empty",
        "blank",
        "one-column",
        "empty-english",
        "header-only",
        "two-englishes",
        "binary",
        "huge",
        "stop-word",
        "stop-words",
        "three-columns",
        "no-german",
    ],
)
def test_bad_glossaries_are_one_line_exit_2_and_nothing_written(files, capsys, content, message):
    (files / "bad.tsv").write_bytes(content)
    before = snapshot(files)
    argv = ["check", "de.txt", "en.txt", "--lines", "--glossary", "bad.tsv", "-o", "out.json"]
    assert main(argv) == 2
    one_error_line(capsys.readouterr().err, message)
    assert snapshot(files) == before


def test_a_missing_glossary_is_one_line(files, capsys):
    assert main(["check", "de.txt", "en.txt", "--lines", "--glossary", "nope.tsv"]) == 2
    one_error_line(capsys.readouterr().err, "glossary nope.tsv does not exist")


def test_code_switching_puts_each_terms_english_in_the_german_but_not_inside_compounds():
    terms = glossary(
        "Bundesnetzagentur\tFederal Network Agency\nKoalition\tcoalition\nSelenskyj\tZelensky\n"
    )
    german = "Die Bundesnetzagentur und Selenskyj prüfen die Ampelkoalition und die Koalitionen."
    assert terms.code_switched(german) == (
        "Die Federal Network Agency und Zelensky prüfen die Ampelkoalition und die coalition."
    )
    assert terms.code_switched("Nichts davon.") == "Nichts davon."
