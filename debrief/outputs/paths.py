"""Where a job's outputs go: the four files of an input (<stem>.en.txt, .summary.txt,
.json, .html), an archive's records folder, and the refusals that keep inputs from
overwriting each other's outputs or their own files.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from debrief.archives import archive_files, archive_stem, is_archive
from debrief.errors import UsageError
from debrief.fetch import is_url
from debrief.inputs import url_stem


@dataclass(frozen=True)
class OutputPaths:
    """The files `debrief run` writes for one input."""

    translation: Path
    summary: Path
    record: Path
    review: Path

    def __iter__(self) -> Iterator[Path]:
        return iter((self.translation, self.summary, self.record, self.review))


STDIN_STEM = "stdin"


def output_stem(source: str | Path) -> str:
    """A file's name without ".txt", ".html" or ".htm" and then without a trailing
    ".de"; for a URL, the last part of its path (see `debrief.inputs.url_stem`); for an
    archive, its name without ".jsonl" or ".parquet" (its records' folder); for standard
    input ("-"), "stdin" (a file named "-" is awkward to open and easy to lose)."""
    if str(source) == "-":
        return STDIN_STEM
    if is_url(source):
        return url_stem(str(source))
    if is_archive(source):
        return archive_stem(Path(source))
    name = Path(source).name
    for suffix in (".txt", ".html", ".htm"):
        name = name.removesuffix(suffix)
    return name.removesuffix(".de") or name


def output_paths(source: str | Path, out_dir: Path, stem: str | None = None) -> OutputPaths:
    stem = stem or output_stem(source)
    return OutputPaths(
        translation=out_dir / f"{stem}.en.txt",
        summary=out_dir / f"{stem}.summary.txt",
        record=out_dir / f"{stem}.json",
        review=out_dir / f"{stem}.html",
    )


def output_stems(sources: Sequence[str | Path]) -> list[str]:
    """The stem of each input's outputs. Files keep theirs (a collision is refused by
    `check_distinct_outputs`); a URL whose stem is taken gets -2, -3, ... added, so that
    every URL of a run writes its own files."""
    taken = {output_stem(source) for source in sources if not is_url(source)}
    stems = []
    for source in sources:
        stem = output_stem(source)
        if is_url(source):
            base, number = stem, 1
            while stem in taken:
                number += 1
                stem = f"{base}-{number}"
            taken.add(stem)
        stems.append(stem)
    return stems


def _file_key(path: Path) -> tuple[int, int] | str:
    """What makes two paths one file: device and inode where it exists, else the absolute
    path (two paths are the same file exactly when their keys are equal)."""
    try:
        info = path.stat()
    except OSError:
        return os.path.abspath(path)
    return (info.st_dev, info.st_ino)


def check_distinct_outputs(
    sources: Sequence[str | Path], out_dir: Path, stems: Sequence[str] | None = None
) -> None:
    """Refuse inputs that would overwrite each other's outputs (a/x.txt and b/x.de.txt),
    and outputs that would overwrite an input."""
    stems = list(stems or output_stems(sources))
    seen: dict[Path, str | Path] = {}
    for source, stem in zip(sources, stems, strict=True):
        record = (
            out_dir / stem if is_archive(source) else output_paths(source, out_dir, stem).record
        )
        if record in seen:
            raise UsageError(
                f"{seen[record]} and {source} would both write {record}; rename one or run "
                "them with different --out-dir"
            )
        seen[record] = source
    # Each input file, and each folder holding one, by file key: one stat per path, not
    # one per pair of input and output.
    files = [Path(source) for source in sources if not is_url(source)]
    inputs = {_file_key(path): path for path in files}
    input_folders: dict[tuple[int, int] | str, Path] = {}
    for path in files:
        for file in archive_files(path) if is_archive(path) else [path]:
            input_folders.setdefault(_file_key(file.parent), path)
    for other, stem in zip(sources, stems, strict=True):
        if is_archive(other):
            folder = out_dir / stem
            path = input_folders.get(_file_key(folder))
            if path is not None:
                raise UsageError(
                    f"{folder} would hold both the records of {other} and the input "
                    f"{path}; choose another --out-dir"
                )
            continue
        for output in output_paths(other, out_dir, stem):
            path = inputs.get(_file_key(output))
            if path is not None:
                raise UsageError(
                    f"{path} would be overwritten by the output of {other}; "
                    "choose another --out-dir"
                )


def outputs_complete(outputs: OutputPaths) -> bool:
    """Whether an input's four files are all there, its record whole (they are written
    all or none, so a record that parses means a finished article)."""
    if not all(path.is_file() for path in outputs):
        return False
    try:
        return isinstance(json.loads(outputs.record.read_bytes()), dict)
    except (OSError, ValueError):
        return False
