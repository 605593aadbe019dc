"""Archives: many articles in one file, and their records in a folder of shards.

An archive is a JSONL file (one article a line: `{"id": ..., "text": ...}` or
`{"id": ..., "url": ...}`, optionally `"source_url"`), a Parquet file with the same
columns, or a folder of such files. `debrief run` writes an archive's records into
`OUT/<stem>/part-00000.jsonl`, ... (one JSON record a line, each with its article's id):
10^5 files in one folder serve nobody.

Reading never stops at a bad line: a line that is no article becomes an `ArchiveEntry`
with an `error`, which becomes a record with an "error" field. Both engines (local and
Ray) read archives and write shards with the code here.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from debrief.errors import OutputError, UsageError
from debrief.fetch import is_url
from debrief.outputs.files import folder_lock

ARCHIVE_SUFFIXES = (".jsonl", ".parquet")
SHARD_RECORDS = 1000  # records per shard: a few MB of JSON, easy to open, copy and split
_SHARD_NAME = re.compile(r"part-(\d{5,})\.jsonl")


@dataclass(frozen=True)
class ArchiveEntry:
    """One article of an archive, or (with `error`) a line that is none.

    `id` is a string (an integer id is written as digits); `where` says where the entry
    is, for messages ("news.jsonl:12", "news.parquet row 12").
    """

    id: str | None
    where: str
    text: str | None = None
    url: str | None = None
    source_url: str | None = None
    error: str | None = None


def is_archive(path: str | Path) -> bool:
    """Whether an input names an archive: a .jsonl or .parquet file, or a folder."""
    if is_url(path) or str(path) == "-":
        return False
    path = Path(path)
    return path.suffix.lower() in ARCHIVE_SUFFIXES or path.is_dir()


def archive_files(path: Path) -> list[Path]:
    """The archive files an input names: itself, or a folder's .jsonl and .parquet files
    (not its subfolders), in name order. UsageError for a folder with none."""
    if not path.is_dir():
        return [path]
    files = sorted(
        child
        for child in path.iterdir()
        if child.suffix.lower() in ARCHIVE_SUFFIXES and child.is_file()
    )
    if not files:
        raise UsageError(
            f"{path}: a folder with no .jsonl or .parquet archive in it; "
            "pass article files, or a folder of archives"
        )
    return files


def archive_stem(path: Path) -> str:
    """The name of an archive's output folder: the file's name without its suffix, or the
    folder's name."""
    return path.name if path.is_dir() else path.name[: -len(path.suffix)] or path.name


def check_archive(path: Path) -> None:
    """Refuse, before anything runs, an archive that cannot be read at all: missing, not
    a file, or a Parquet file without an "id" column and a "text" or "url" column."""
    for file in archive_files(path):
        if not file.is_file():
            what = "no such file" if not file.exists() else "not a regular file"
            raise UsageError(f"{file}: {what}; pass a .jsonl or .parquet archive")
        if not os.access(file, os.R_OK):
            raise UsageError(f"{file}: cannot be read; check its permissions")
        if file.suffix.lower() == ".parquet":
            columns = set(_parquet_file(file).schema_arrow.names)
            if "id" not in columns or not columns & {"text", "url"}:
                raise UsageError(
                    f"{file}: a Parquet archive needs an 'id' column and a 'text' or 'url' "
                    f"column (it has {', '.join(sorted(columns)) or 'none'})"
                )


def entry_from_fields(fields: Any, where: str) -> ArchiveEntry:
    """An archive line's fields (parsed JSON, or a Parquet row) as an entry; an entry
    with an error for anything that is not one article."""
    if not isinstance(fields, dict):
        return ArchiveEntry(None, where, error=f"{where}: not a JSON object; write one a line")
    raw_id = fields.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or raw_id == "":
        return ArchiveEntry(
            None, where, error=f'{where}: no "id" (a string or an integer); give each one'
        )
    article_id = str(raw_id)

    def failed(problem: str) -> ArchiveEntry:
        return ArchiveEntry(article_id, where, error=f"{where}: {problem}")

    text, url, source_url = fields.get("text"), fields.get("url"), fields.get("source_url")
    if text is None and url is None:
        return failed('has neither "text" nor "url"; give one')
    if text is not None and url is not None:
        return failed('has both "text" and "url"; give one')
    if text is not None and not isinstance(text, str):
        return failed('"text" is not a string')
    if url is not None and not (isinstance(url, str) and is_url(url)):
        return failed('"url" is not an http(s) URL')
    if source_url is not None and not isinstance(source_url, str):
        return failed('"source_url" is not a string')
    return ArchiveEntry(article_id, where, text=text, url=url, source_url=source_url)


def read_jsonl_entries(stream: IO[bytes], name: str, max_line_bytes: int) -> Iterator[ArchiveEntry]:
    """Every article line of a JSONL stream (blank lines skipped), bad ones as entries
    with an error. A line over `max_line_bytes` is skipped unread, as an error."""
    number = 0
    while True:
        line = stream.readline(max_line_bytes + 1)
        if not line:
            return
        number += 1
        where = f"{name}:{number}"
        if len(line) > max_line_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # the rest of the long line
                line = stream.readline(1 << 20)
            yield ArchiveEntry(
                None,
                where,
                error=f"{where}: longer than {max_line_bytes} bytes (--max-input-mb); not read",
            )
            continue
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")  # a BOM, as Windows tools write one
        if not line.strip():
            continue
        try:
            fields = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            yield ArchiveEntry(None, where, error=f"{where}: not a line of JSON in UTF-8")
            continue
        yield entry_from_fields(fields, where)


def read_parquet_entries(path: Path) -> Iterator[ArchiveEntry]:
    """Every row of a Parquet archive as an entry (rows numbered from 1). A row group
    that cannot be read (damaged on disk) gives an error entry for each of its rows, and
    the other groups are read: one bad block costs its rows, not the file."""
    parquet = _parquet_file(path)
    wanted = [
        name for name in ("id", "text", "url", "source_url") if name in parquet.schema_arrow.names
    ]
    number = 0
    for group in range(parquet.num_row_groups):
        rows = parquet.metadata.row_group(group).num_rows
        try:
            table = parquet.read_row_group(group, columns=wanted)
            fields_of_rows = table.to_pylist()
        except Exception as error:  # pyarrow raises OSError, ArrowInvalid, ... for damage
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            for _ in range(rows):
                number += 1
                where = f"{path} row {number}"
                yield ArchiveEntry(
                    None,
                    where,
                    error=f"{where}: in row group {group + 1}, which cannot be read "
                    f"({reason}); not read",
                )
            continue
        for fields in fields_of_rows:
            number += 1
            yield entry_from_fields(fields, f"{path} row {number}")


def read_archive(path: Path, max_line_bytes: int) -> Iterator[ArchiveEntry]:
    """The entries of one archive file, in order. An id seen before in the file makes
    an entry with an error: records, and reruns, go by id."""
    first_seen: dict[str, str] = {}
    for entry in _read_entries(path, max_line_bytes):
        if entry.error is None and entry.id is not None:
            first = first_seen.setdefault(entry.id, entry.where)
            if first != entry.where:
                entry = ArchiveEntry(
                    entry.id,
                    entry.where,
                    error=f"{entry.where}: id {entry.id!r} again (first at {first}); "
                    "give each article its own id",
                )
        yield entry


def _read_entries(path: Path, max_line_bytes: int) -> Iterator[ArchiveEntry]:
    if path.suffix.lower() == ".parquet":
        yield from read_parquet_entries(path)
        return
    with open(path, "rb") as stream:
        yield from read_jsonl_entries(stream, str(path), max_line_bytes)


def _parquet_file(path: Path) -> Any:
    try:
        import pyarrow.parquet
    except ImportError:
        raise UsageError(
            f"{path}: reading Parquet needs pyarrow; install the scale extra: "
            "pip install -e '.[scale]'"
        ) from None
    try:
        return pyarrow.parquet.ParquetFile(path)
    except (OSError, ValueError) as error:
        raise UsageError(f"{path}: not a readable Parquet file ({error})") from None


# --- Shards -----------------------------------------------------------------------------


def archive_record(
    entry: ArchiveEntry, record: dict[str, Any] | None, error: str | None
) -> dict[str, Any]:
    """The line an archive's shard holds for one entry: its id and where it was, then its
    debrief record, or the error that left it without one."""
    line: dict[str, Any] = {"id": entry.id, "source": entry.where}
    if error is not None:
        line["error"] = error
    else:
        line.update(record or {})
    return line


def shard_files(folder: Path) -> list[Path]:
    """The shards in an output folder, in order."""
    if not folder.is_dir():
        return []
    return sorted(child for child in folder.iterdir() if _SHARD_NAME.fullmatch(child.name))


# Where a record's article was: "news/2026-12-01.jsonl:12" or "news.parquet row 12".
_SOURCE_FILE = re.compile(r"(.*?)(?::\d+| row \d+)")


def record_key(source: str, article_id: str) -> tuple[str, str]:
    """What identifies an archive article across runs: its file's name and its id. The
    files of a folder archive often reuse ids (a day's file numbering from 1), so an id
    alone would take one day's articles for another's."""
    matched = _SOURCE_FILE.fullmatch(source)
    return (Path(matched.group(1) if matched else source).name, article_id)


def resume_records(folder: Path) -> set[tuple[str, str]]:
    """Make a records folder ready for a rerun (`--skip-existing`) and return the keys
    (`record_key`: file name and id) of the articles whose records it holds complete.

    Error records are taken out (the rerun tries those articles again, and its records
    replace them), and a shard cut off by a crash mid-line loses that half line; each
    changed shard is replaced whole (written aside, then renamed), never edited in place.
    """
    done: set[tuple[str, str]] = set()
    for shard in shard_files(folder):
        data = shard.read_bytes()
        kept = []
        for line in data.splitlines(keepends=True):
            try:
                record = json.loads(line) if line.endswith(b"\n") else None
            except ValueError:
                record = None
            if not isinstance(record, dict) or "error" in record:
                continue  # half a line, not a record, or one to try again
            if record.get("id") is not None:
                done.add(record_key(str(record.get("source", "")), str(record["id"])))
            kept.append(line)
        if sum(map(len, kept)) != len(data):
            aside = shard.with_name(shard.name + ".rewrite")
            aside.write_bytes(b"".join(kept))
            os.replace(aside, shard)
    return done


@contextmanager
def records_folder_lock(folder: Path) -> Iterator[None]:
    """Hold `folder` (an archive's records folder, made if need be) for this run alone:
    a second run writing the same records would write every id twice. UsageError (one
    line) where another run holds it. A folder made here and left empty is removed."""
    with folder_lock(
        folder,
        f"{folder}: another debrief run is writing these records; wait for it to finish "
        "(then rerun with --skip-existing), or choose another --out-dir",
    ):
        yield


def _json_line(record: dict[str, Any]) -> str:
    """One record as a line of JSON that UTF-8 can hold: where a string holds a lone
    surrogate (an id "\\ud800" of a JSON line, a file name that is not UTF-8), the line
    is written with JSON's escapes instead of being lost."""
    line = json.dumps(record, ensure_ascii=False) + "\n"
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(record) + "\n"
    return line


class ShardWriter:
    """Appends records to `folder/part-NNNNN.jsonl`, a new shard every `per_shard`
    records, numbered after the shards already there. Each record is written whole or
    not at all: a write that fails (a full disk) is cut back to the last whole line and
    raised as OutputError, saying how many records of this run are on disk."""

    def __init__(self, folder: Path, per_shard: int = SHARD_RECORDS) -> None:
        self.folder = folder
        self.per_shard = per_shard
        self.written = 0  # records of this run on disk
        existing = shard_files(folder)
        self._next = (
            max(int(_SHARD_NAME.fullmatch(shard.name).group(1)) for shard in existing) + 1
            if existing
            else 0
        )
        self._stream: IO[bytes] | None = None
        self._shard: Path | None = None
        self._count = 0
        self._size = 0

    def write(self, record: dict[str, Any]) -> None:
        data = _json_line(record).encode("utf-8")
        try:
            if self._stream is None or self._count >= self.per_shard:
                self._open_next()
            assert self._stream is not None
            view = memoryview(data)
            while view:  # unbuffered: nothing is left to fail later, at close
                view = view[self._stream.write(view) or 0 :]
        except OSError as error:
            self._cut_back()
            where = self._shard or self.folder
            raise OutputError(
                f"could not write {where}: {error.strerror or error}; "
                f"{self._on_disk()} in {self.folder}: free some space "
                "and run again with --skip-existing to finish"
            ) from error
        self._size += len(data)
        self._count += 1
        self.written += 1

    def _on_disk(self) -> str:
        if self.written == 1:
            return "1 record of this run is"
        return f"{self.written} records of this run are"

    def _cut_back(self) -> None:
        if self._stream is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._stream.fileno(), self._size)

    def _open_next(self) -> None:
        self.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        self._shard = self.folder / f"part-{self._next:05d}.jsonl"
        self._next += 1
        # kept open across writes; unbuffered, so each write is whole or cut back
        self._stream = open(self._shard, "xb", buffering=0)  # noqa: SIM115
        self._count = 0
        self._size = 0

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def __enter__(self) -> ShardWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def count_entries(paths: Sequence[Path]) -> int:
    """Lines of the JSONL archives plus rows of the Parquet ones, counted without parsing:
    a progress bar's total (blank lines count too). 0 for a file that cannot be read."""
    total = 0
    for path in paths:
        try:
            if path.suffix.lower() == ".parquet":
                total += _parquet_file(path).metadata.num_rows
                continue
            with open(path, "rb") as stream:
                last = b"\n"
                for chunk in iter(lambda stream=stream: stream.read(1 << 20), b""):
                    total += chunk.count(b"\n")
                    last = chunk[-1:]
                total += last != b"\n"
        except (OSError, UsageError):
            continue
    return total
