"""Issue 21, class 4: archive records are never lost or doubled, and what the summary
counts is what is on disk. Through the real CLI with fake models: ids reused across the
files of a folder, a second writer, a full disk, a damaged Parquet row group, a whole
HTML page as an article's text.
"""

from __future__ import annotations

import errno
import json

import pytest
from conftest import FakeSummarizer, FakeTranslator, install_fake_models
from support.web_pages import PAGES
from test_debrief_archives import GERMAN, records, snapshot, write_jsonl

from debrief.archives import ShardWriter, records_folder_lock, shard_files
from debrief.cli import main
from debrief.errors import OutputError


@pytest.fixture
def translator(monkeypatch) -> FakeTranslator:
    translator = FakeTranslator()
    install_fake_models(monkeypatch, translator, FakeSummarizer())
    return translator


def run(*args: str, quiet: bool = True) -> int:
    models = ["--translation-model", "m", "--summary-model", "lead-3"]
    return main(["run", *args, *models, *(["-q"] if quiet else [])])


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("debrief: error:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_skip_existing_over_files_that_reuse_ids_skips_only_what_is_done(
    translator, tmp_path, capsys
):
    # Each day's file numbers its articles from 1: ids alone would take day 2 for done.
    folder = tmp_path / "news"
    folder.mkdir()
    write_jsonl(folder / "2026-11-30.jsonl", [{"id": 1, "text": GERMAN[0]}])
    out = tmp_path / "out"
    assert run(str(folder), "--out-dir", str(out), "--no-cache") == 0
    write_jsonl(
        folder / "2026-12-01.jsonl", [{"id": 1, "text": GERMAN[1]}, {"id": 2, "text": GERMAN[2]}]
    )
    translator.batches.clear()
    assert run(str(folder), "--out-dir", str(out), "--no-cache", "--skip-existing") == 0
    translated = [text for batch in translator.batches for text in batch]
    assert set(translated) >= {GERMAN[2]} and GERMAN[0] not in translated
    assert any(text in GERMAN[1] for text in translated)  # day 2's id 1: not skipped
    sources = sorted(line["source"].rsplit("/", 1)[-1] for line in records(out / "news"))
    assert sources == ["2026-11-30.jsonl:1", "2026-12-01.jsonl:1", "2026-12-01.jsonl:2"]
    # A third run finds everything done.
    translator.batches.clear()
    assert run(str(folder), "--out-dir", str(out), "--no-cache", "--skip-existing") == 0
    assert translator.batches == []
    assert len(records(out / "news")) == 3


def test_a_second_writer_of_the_same_records_is_refused(translator, tmp_path, capsys):
    archive = write_jsonl(tmp_path / "news.jsonl", [{"id": "a", "text": GERMAN[0]}])
    out = tmp_path / "out"
    for flags in ([], ["--skip-existing"]):
        with records_folder_lock(out / "news"):  # as another run holds it
            before = snapshot(tmp_path)
            assert run(str(archive), "--out-dir", str(out), *flags) == 2
            line = one_error_line(capsys.readouterr().err)
            assert "out/news: another debrief run is writing these records; wait for it" in line
            assert snapshot(tmp_path) == before
    assert not (out / "news").exists()  # the lock's own folder, left empty, is gone
    assert run(str(archive), "--out-dir", str(out)) == 0  # once it is free
    assert [line["id"] for line in records(out / "news")] == ["a"]


class _DiskFullAfter:
    """An unbuffered shard stream that takes `room` bytes, then fails as a full disk
    does: part of the line written, then ENOSPC."""

    def __init__(self, stream, room: int) -> None:
        self._stream, self._room = stream, room

    def write(self, data) -> int:
        if len(data) > self._room:
            if self._room:
                self._stream.write(data[: self._room])
                self._room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self._room -= len(data)
        return self._stream.write(data)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def test_a_full_disk_leaves_whole_lines_and_says_how_many(tmp_path):
    writer = ShardWriter(tmp_path)
    writer.write({"id": "a", "text": "x"})
    first = shard_files(tmp_path)[0].read_bytes()
    writer._stream = _DiskFullAfter(writer._stream, room=10)
    with pytest.raises(OutputError) as caught:
        writer.write({"id": "b", "text": "y" * 100})
    writer.close()
    assert shard_files(tmp_path)[0].read_bytes() == first  # no torn line
    assert "No space left on device; 1 record of this run is in" in str(caught.value)
    assert "run again with --skip-existing to finish" in str(caught.value)


def test_a_full_disk_stops_the_run_in_one_line_and_a_rerun_finishes(
    translator, tmp_path, capsys, monkeypatch
):
    archive = write_jsonl(
        tmp_path / "news.jsonl", [{"id": str(n), "text": GERMAN[n]} for n in range(3)]
    )
    out = tmp_path / "out"
    real_open_next = ShardWriter._open_next

    def open_a_disk_with_room_for_one_record(self):
        real_open_next(self)
        self._stream = _DiskFullAfter(self._stream, room=len(json.dumps(records_so_far)) + 1)

    # Room for the first record only: measured from a run with room.
    assert run(str(archive), "--out-dir", str(tmp_path / "measure"), "--no-cache") == 0
    records_so_far = records(tmp_path / "measure" / "news")[0]
    monkeypatch.setattr(ShardWriter, "_open_next", open_a_disk_with_room_for_one_record)
    capsys.readouterr()
    assert run(str(archive), "--out-dir", str(out), "--no-cache", quiet=False) == 2
    err = capsys.readouterr().err
    line = one_error_line(err)
    assert "No space left on device; 1 record of this run is in" in line
    assert "records written" not in err  # no summary counting what is not there
    assert [record["id"] for record in records(out / "news")] == ["0"]
    assert shard_files(out / "news")[0].read_bytes().endswith(b"}\n")
    monkeypatch.setattr(ShardWriter, "_open_next", real_open_next)  # space again
    assert run(str(archive), "--out-dir", str(out), "--no-cache", "--skip-existing") == 0
    assert sorted(record["id"] for record in records(out / "news")) == ["0", "1", "2"]


def test_a_damaged_parquet_row_group_costs_its_rows_only(translator, tmp_path, capsys):
    import pyarrow
    import pyarrow.parquet

    archive = tmp_path / "news.parquet"
    texts = [f"{GERMAN[n % 3]} Nummer {n}." for n in range(6)]
    pyarrow.parquet.write_table(
        pyarrow.table({"id": [str(n) for n in range(6)], "text": texts}),
        archive,
        row_group_size=2,
    )
    column = pyarrow.parquet.ParquetFile(archive).metadata.row_group(1).column(1)
    start = column.dictionary_page_offset or column.data_page_offset
    data = bytearray(archive.read_bytes())
    data[start + 20 : start + column.total_compressed_size - 2] = b"\xab" * (
        column.total_compressed_size - 22
    )
    archive.write_bytes(bytes(data))
    out = tmp_path / "out"
    assert run(str(archive), "--out-dir", str(out), "--no-cache") == 4
    err = capsys.readouterr().err
    assert "2 of 6 articles failed" in err and "Traceback" not in err
    lines = {line["source"].rsplit(" ", 1)[-1]: line for line in records(out / "news")}
    assert sorted(lines) == ["1", "2", "3", "4", "5", "6"]
    for row in ("3", "4"):
        assert "in row group 2, which cannot be read" in lines[row]["error"]
    assert [lines[row]["id"] for row in ("1", "2", "5", "6")] == ["0", "1", "4", "5"]
    assert all("error" not in lines[row] for row in ("1", "2", "5", "6"))


def test_a_whole_html_page_as_text_is_read_as_a_page(translator, tmp_path):
    page = (PAGES / "liveblog.html").read_text(encoding="utf-8")
    archive = write_jsonl(tmp_path / "crawl.jsonl", [{"id": "p", "text": page}])
    assert run(str(archive), "--out-dir", str(tmp_path / "out"), "--no-cache") == 0
    [record] = records(tmp_path / "out" / "crawl")
    sources = [s["source"] for p in record["paragraphs"] for s in p["segments"]]
    text = " ".join(sources)
    assert "Lukaschenko spricht vor Anhängern" in text
    assert "<" not in text and "Liveblog aktualisieren" not in text
    assert record["title"] == "Proteste in Belarus: Der Liveblog zum Nachlesen"
