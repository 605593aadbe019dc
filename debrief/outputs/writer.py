"""Writing a job's finished articles: an input's four files (all or none), or an archive
article's record line in its records folder's shards.
"""

from __future__ import annotations

from pathlib import Path

from debrief.archives import ArchiveEntry, ShardWriter, archive_record
from debrief.brief import Debrief
from debrief.outputs.files import write_files
from debrief.outputs.formats import debrief_to_dict, debrief_to_json, render_text
from debrief.outputs.paths import OutputPaths
from debrief.outputs.review import render_debrief
from debrief.tasks import ArticleTask, RunResult, finished_result


def write_outputs(debrief: Debrief, outputs: OutputPaths) -> None:
    """Write the translation, the brief, the JSON record and the review page, all or
    none (each is written in full to a temporary file before any is replaced)."""
    write_files(
        {
            outputs.translation: render_text(debrief.translated),
            outputs.summary: debrief.summary.text + "\n",
            outputs.record: debrief_to_json(debrief),
            outputs.review: render_debrief(debrief),
        }
    )


class OutputWriter:
    """Writes finished articles: an input's four files, an archive article's record line
    (its error too) in its records folder's shards. Use it as a context manager."""

    def __init__(self) -> None:
        self._shards: dict[Path, ShardWriter] = {}

    def write(self, task: ArticleTask, outcome: Debrief | RunResult) -> RunResult:
        """Write one article's outputs; its result (a failed write of an input's files is a
        failed result). A record that cannot be written to its shard (a full disk) raises
        OutputError: every later record would fail too, and the summary would count
        records that are not on disk."""
        if task.records is not None:
            return self._write_record(task, outcome)
        try:
            if isinstance(outcome, RunResult):
                return outcome
            assert task.outputs is not None
            write_outputs(outcome, task.outputs)
            return finished_result(task, outcome)
        except Exception as error:
            return task.failed(error)

    def _write_record(self, task: ArticleTask, outcome: Debrief | RunResult) -> RunResult:
        assert isinstance(task.source, ArchiveEntry) and task.records is not None
        shards = self._shards.get(task.records)
        if shards is None:
            shards = self._shards[task.records] = ShardWriter(task.records)
        if isinstance(outcome, RunResult):
            result = outcome
        else:
            try:
                line = archive_record(task.source, debrief_to_dict(outcome), None)
                result = finished_result(task, outcome)
            except Exception as error:  # its record says why, as any failure's does
                result = task.failed(error)
        if not result.ok:
            line = archive_record(task.source, None, result.error)
        shards.write(line)
        return result

    def close(self) -> None:
        for shards in self._shards.values():
            shards.close()

    def __enter__(self) -> OutputWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
