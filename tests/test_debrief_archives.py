"""Archives (debrief/archives.py) and `debrief run` over them with the local engine:
reading JSONL and Parquet line by line, bad lines as error records, shards, reruns."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import FakeSummarizer, FakeTranslator, install_fake_models

from debrief.archives import (
    ArchiveEntry,
    ShardWriter,
    entry_from_fields,
    read_archive,
    read_jsonl_entries,
    resume_records,
    shard_files,
)
from debrief.cli import main

GERMAN = [
    "Die Regierung in Berlin hat am Montag 12 Millionen Euro bewilligt.",
    "Der Bundestag stimmte mit großer Mehrheit zu. Die Opposition kritisierte das Verfahren.",
    "In Hamburg demonstrierten am Wochenende 3000 Menschen.",
]


def write_jsonl(path: Path, lines: list[object]) -> Path:
    path.write_text(
        "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines),
        encoding="utf-8",
    )
    return path


def records(folder: Path) -> list[dict]:
    return [
        json.loads(line)
        for shard in shard_files(folder)
        for line in shard.read_text(encoding="utf-8").splitlines()
    ]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# --- Reading -------------------------------------------------------------------------------

ENTRY_CASES = [
    ({"id": "a", "text": "Hallo."}, ArchiveEntry("a", "x:1", text="Hallo.")),
    (
        {"id": 7, "url": "https://example.org/a"},
        ArchiveEntry("7", "x:1", url="https://example.org/a"),
    ),
    (
        {"id": "a", "text": "T.", "source_url": "https://example.org/"},
        ArchiveEntry("a", "x:1", text="T.", source_url="https://example.org/"),
    ),
    ([1, 2], "x:1: not a JSON object; write one a line"),
    ({"text": "T."}, 'x:1: no "id" (a string or an integer); give each one'),
    ({"id": True, "text": "T."}, 'x:1: no "id" (a string or an integer); give each one'),
    ({"id": "", "text": "T."}, 'x:1: no "id" (a string or an integer); give each one'),
    ({"id": "a"}, 'x:1: has neither "text" nor "url"; give one'),
    ({"id": "a", "text": "T.", "url": "https://e.org"}, 'x:1: has both "text" and "url"; give one'),
    ({"id": "a", "text": 5}, 'x:1: "text" is not a string'),
    ({"id": "a", "url": "file:///etc/passwd"}, 'x:1: "url" is not an http(s) URL'),
    ({"id": "a", "text": "T.", "source_url": 3}, 'x:1: "source_url" is not a string'),
]


@pytest.mark.parametrize(("fields", "expected"), ENTRY_CASES)
def test_entry_from_fields(fields, expected):
    entry = entry_from_fields(fields, "x:1")
    if isinstance(expected, str):
        assert entry.error == expected and entry.text is None and entry.url is None
    else:
        assert entry == expected


def test_jsonl_lines_are_numbered_and_bad_ones_kept_as_errors():
    data = (
        b'{"id": "a", "text": "Eins."}\n'
        b"\n"
        b"not json\n"
        b'\xff\xfe{"id": "b"}\n'
        b'{"id": "c", "text": "' + b"x" * 200 + b'"}\n'
        b'{"id": "d", "text": "Vier."}'  # no newline at the end
    )
    entries = list(read_jsonl_entries(io.BytesIO(data), "a.jsonl", max_line_bytes=100))
    assert [(entry.id, entry.where) for entry in entries] == [
        ("a", "a.jsonl:1"),
        (None, "a.jsonl:3"),
        (None, "a.jsonl:4"),
        (None, "a.jsonl:5"),
        ("d", "a.jsonl:6"),
    ]
    assert entries[1].error == "a.jsonl:3: not a line of JSON in UTF-8"
    assert entries[3].error == "a.jsonl:5: longer than 100 bytes (--max-input-mb); not read"
    assert entries[4].text == "Vier."


def test_an_id_repeated_in_a_file_is_an_error_entry(tmp_path):
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [{"id": "x", "text": "Eins."}, {"id": "y", "text": "Zwei."}, {"id": "x", "text": "Drei."}],
    )
    entries = list(read_archive(path, 1000))
    assert [entry.error for entry in entries[:2]] == [None, None]
    assert entries[2].id == "x" and entries[2].text is None
    assert entries[2].error == (
        f"{path}:3: id 'x' again (first at {path}:1); give each article its own id"
    )


def test_an_entry_text_over_the_size_limit_is_refused_as_a_file_would_be():
    from debrief.errors import InputError
    from debrief.inputs import article_from_entry

    entry = ArchiveEntry("a", "n.parquet row 1", text="Wort " * 300_000)
    with pytest.raises(InputError) as refused:
        article_from_entry(entry, max_bytes=1024 * 1024)
    assert str(refused.value) == (
        "n.parquet row 1: 1.4 MB is more than the 1.0 MB an input may hold; "
        "raise the limit with --max-input-mb"
    )


def test_parquet_rows_read_like_jsonl_lines(tmp_path):
    import pyarrow
    import pyarrow.parquet

    path = tmp_path / "news.parquet"
    table = pyarrow.table({"id": ["a", None, "c"], "text": ["Eins.", "Zwei.", None]})
    pyarrow.parquet.write_table(table, path)
    entries = list(read_archive(path, 1000))
    assert entries[0] == ArchiveEntry("a", f"{path} row 1", text="Eins.")
    assert entries[1].error == f'{path} row 2: no "id" (a string or an integer); give each one'
    assert entries[2].error == f'{path} row 3: has neither "text" nor "url"; give one'


# --- Shards ------------------------------------------------------------------------------


def test_shard_writer_rotates_and_numbers_after_existing_shards(tmp_path):
    with ShardWriter(tmp_path, per_shard=2) as shards:
        for number in range(5):
            shards.write({"id": str(number)})
    assert [path.name for path in shard_files(tmp_path)] == [
        "part-00000.jsonl",
        "part-00001.jsonl",
        "part-00002.jsonl",
    ]
    with ShardWriter(tmp_path, per_shard=2) as shards:
        shards.write({"id": "5"})
    assert shard_files(tmp_path)[-1].name == "part-00003.jsonl"
    assert [record["id"] for record in records(tmp_path)] == ["0", "1", "2", "3", "4", "5"]


def test_resume_records_drops_errors_and_half_lines(tmp_path):
    shard = tmp_path / "part-00000.jsonl"
    shard.write_bytes(
        b'{"id": "a", "source": "in/x.jsonl:1", "paragraphs": []}\n'
        b'{"id": "b", "source": "in/x.jsonl:2", "error": "x: unreachable"}\n'
        b'{"id": null, "source": "in/x.jsonl:3", "error": "x:3: not a line of JSON in UTF-8"}\n'
        b'{"id": "c", "paragr'
    )
    untouched = tmp_path / "part-00001.jsonl"
    untouched.write_bytes(b'{"id": "d", "source": "in/y.parquet row 7", "paragraphs": []}\n')
    before = untouched.stat().st_mtime_ns
    assert resume_records(tmp_path) == {("x.jsonl", "a"), ("y.parquet", "d")}
    assert shard.read_bytes() == b'{"id": "a", "source": "in/x.jsonl:1", "paragraphs": []}\n'
    assert untouched.stat().st_mtime_ns == before
    assert sorted(path.name for path in tmp_path.iterdir()) == [shard.name, untouched.name]


# --- debrief run over archives, local engine, fake models ----------------------------------


@pytest.fixture
def fakes(monkeypatch):
    install_fake_models(monkeypatch, FakeTranslator(), FakeSummarizer())


def run(*args: str) -> int:
    return main(["run", *args, "-q", "--no-cache"])


def test_an_archive_gives_one_record_a_line_with_errors_as_records(fakes, tmp_path, capsys):
    archive = write_jsonl(
        tmp_path / "news.jsonl",
        [
            {"id": "a", "text": GERMAN[0], "source_url": "https://example.org/a"},
            "kaputt",
            {"id": 2, "text": GERMAN[1]},
            {"id": "leer", "text": "   "},
        ],
    )
    assert run(str(archive), "--out-dir", str(tmp_path / "out")) == 4
    err = capsys.readouterr().err
    assert "debrief: 2 of 4 articles failed" in err
    lines = records(tmp_path / "out" / "news")
    assert [(line["id"], line["source"]) for line in lines] == [
        ("a", f"{archive}:1"),
        (None, f"{archive}:2"),
        ("2", f"{archive}:3"),
        ("leer", f"{archive}:4"),
    ]
    first = lines[0]
    assert first["source_url"] == "https://example.org/a"
    assert first["paragraphs"][0]["segments"][0]["translation"] == f"EN[{GERMAN[0]}]"
    assert first["summary"]["text"]
    assert lines[1]["error"] == f"{archive}:2: not a line of JSON in UTF-8"
    assert "holds only whitespace" in lines[3]["error"]
    assert not (tmp_path / "out" / "news.json").exists()


def test_a_folder_of_archives_and_parquet_share_one_records_folder(fakes, tmp_path):
    import pyarrow
    import pyarrow.parquet

    folder = tmp_path / "archive"
    folder.mkdir()
    write_jsonl(folder / "a.jsonl", [{"id": "j1", "text": GERMAN[0]}])
    pyarrow.parquet.write_table(
        pyarrow.table({"id": ["p1", "p2"], "text": GERMAN[1:]}), folder / "b.parquet"
    )
    (folder / "notes.txt").write_text("not an archive", encoding="utf-8")
    assert run(str(folder), "--out-dir", str(tmp_path / "out")) == 0
    assert [line["id"] for line in records(tmp_path / "out" / "archive")] == ["j1", "p1", "p2"]


def test_skip_existing_redoes_only_failed_and_missing_articles(monkeypatch, tmp_path):
    archive = write_jsonl(
        tmp_path / "news.jsonl",
        [{"id": "a", "text": GERMAN[0]}, {"id": "b", "url": "https://127.0.0.1:9/b"}],
    )
    out = tmp_path / "out"
    translator = FakeTranslator()
    install_fake_models(monkeypatch, translator, FakeSummarizer())
    assert run(str(archive), "--out-dir", str(out)) == 4  # b cannot be fetched
    assert [("error" in line) for line in records(out / "news")] == [False, True]
    # A rerun without --skip-existing would mix old and new records: refused.
    before = snapshot(out)
    assert run(str(archive), "--out-dir", str(out)) == 2
    assert snapshot(out) == before
    # The URL is now text (say the site is back): only b is translated again.
    write_jsonl(archive, [{"id": "a", "text": GERMAN[0]}, {"id": "b", "text": GERMAN[2]}])
    translator.batches.clear()
    assert run(str(archive), "--out-dir", str(out), "--skip-existing") == 0
    assert [text for batch in translator.batches for text in batch] == [GERMAN[2]]
    lines = records(out / "news")
    assert [(line["id"], "error" in line) for line in lines] == [("a", False), ("b", False)]
    assert [path.name for path in shard_files(out / "news")] == [
        "part-00000.jsonl",
        "part-00001.jsonl",
    ]


def test_skip_existing_leaves_out_inputs_whose_files_are_complete(monkeypatch, tmp_path):
    first = tmp_path / "eins.de.txt"
    first.write_text(GERMAN[0], encoding="utf-8")
    second = tmp_path / "zwei.de.txt"
    second.write_text(GERMAN[1], encoding="utf-8")
    out = tmp_path / "out"
    translator = FakeTranslator()
    install_fake_models(monkeypatch, translator, FakeSummarizer())
    assert run(str(first), "--out-dir", str(out)) == 0
    (out / "eins.json").write_text('{"half": ', encoding="utf-8")  # a damaged record
    translator.batches.clear()
    assert run(str(first), str(second), "--out-dir", str(out), "--skip-existing") == 0
    assert len([text for batch in translator.batches for text in batch]) == 3
    translator.batches.clear()
    assert run(str(first), str(second), "--out-dir", str(out), "--skip-existing") == 0
    assert translator.batches == []


PLAN_MISTAKES = [
    (["--actors", "2"], "--actors is an option of --engine ray; add --engine ray"),
    (["--engine", "ray", "--actors", "0"], "--actors must be at least 1 (got 0)"),
    (["--engine", "ray", "--batch-size", "0"], "--batch-size must be at least 1 (got 0)"),
    (["--engine", "ray", "--gpus-per-actor", "-1"], "--gpus-per-actor must be 0 or more"),
    (["--engine", "ray", "--gpus-per-actor", "nan"], "--gpus-per-actor must be 0 or more"),
]


@pytest.mark.parametrize(("extra", "message"), PLAN_MISTAKES)
def test_engine_option_mistakes_are_one_line(fakes, tmp_path, capsys, extra, message):
    archive = write_jsonl(tmp_path / "news.jsonl", [{"id": "a", "text": GERMAN[0]}])
    before = snapshot(tmp_path)
    assert run(str(archive), "--out-dir", str(tmp_path / "out"), *extra) == 2
    err = capsys.readouterr().err
    assert err.startswith("debrief: error: ") and err.count("\n") == 1 and message in err, err
    assert snapshot(tmp_path) == before


def test_archive_mistakes_are_one_line_before_anything_runs(fakes, tmp_path, capsys):
    import pyarrow
    import pyarrow.parquet

    pyarrow.parquet.write_table(pyarrow.table({"text": ["T."]}), tmp_path / "noid.parquet")
    (tmp_path / "fake.parquet").write_bytes(b"not parquet")
    (tmp_path / "empty").mkdir()
    (tmp_path / "out" / "news").mkdir(parents=True)
    write_jsonl(tmp_path / "out" / "news" / "a.jsonl", [{"id": "a", "text": GERMAN[0]}])
    cases = [
        ("out/news", "would hold both the records of"),
        ("missing.jsonl", "missing.jsonl: no such file"),
        ("noid.parquet", "a Parquet archive needs an 'id' column and a 'text' or 'url' column"),
        ("fake.parquet", "fake.parquet: not a readable Parquet file"),
        ("empty", "empty: a folder with no .jsonl or .parquet archive in it"),
    ]
    for name, message in cases:
        before = snapshot(tmp_path)
        assert run(str(tmp_path / name), "--out-dir", str(tmp_path / "out")) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err, err
        assert snapshot(tmp_path) == before


def test_without_the_scale_extra_the_ray_engine_is_one_line(fakes, tmp_path, capsys, monkeypatch):
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "ray" else real_find_spec(name, *a),
    )
    archive = write_jsonl(tmp_path / "news.jsonl", [{"id": "a", "text": GERMAN[0]}])
    assert run(str(archive), "--out-dir", str(tmp_path / "out"), "--engine", "ray") == 2
    err = capsys.readouterr().err
    assert err == (
        "debrief: error: --engine ray needs Ray Data; install the scale extra: "
        "pip install -e '.[scale]'\n"
    )
    assert not (tmp_path / "out").exists()


def test_a_large_archive_runs_locally_in_parts_with_bounded_memory(monkeypatch, tmp_path):
    import debrief.job

    install_fake_models(monkeypatch)
    loads = []
    translator, summarizer = FakeTranslator(), FakeSummarizer()
    monkeypatch.setattr(
        "translate.marian.load_translator", lambda *a, **k: loads.append("t") or translator
    )
    monkeypatch.setattr(
        "summarize.model.load_summarizer", lambda *a, **k: loads.append("s") or summarizer
    )
    monkeypatch.setattr(debrief.job, "LOCAL_PART_ARTICLES", 2)
    archive = write_jsonl(
        tmp_path / "news.jsonl", [{"id": str(n), "text": f"Satz Nummer {n}."} for n in range(5)]
    )
    assert run(str(archive), "--out-dir", str(tmp_path / "out")) == 0
    # Three parts (2 + 2 + 1 articles), each translated with its batches, then briefed.
    assert loads == ["t", "s", "t", "s", "t", "s"]
    assert [len(batch) for batch in translator.batches] == [2, 2, 1]
    assert [line["id"] for line in records(tmp_path / "out" / "news")] == list("01234")
