"""The articles of a job, one task each: where each comes from (an input file, a URL, an
archive line), where its result goes (four files, or a record in its archive's shards),
how it is read, and what happened to it (`RunResult`).

Tasks are read lazily, so an archive of a million lines is never held in memory.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from debrief.archives import (
    ArchiveEntry,
    archive_files,
    count_entries,
    is_archive,
    read_archive,
    record_key,
    records_folder_lock,
    resume_records,
)
from debrief.brief import Debrief
from debrief.errors import DebriefError
from debrief.fetch import PageCache
from debrief.inputs import article_from_entry, read_source
from debrief.outputs.paths import OutputPaths, output_paths, output_stems, outputs_complete
from debrief.plan import JobPlan, check_records_folder
from translate.article import Article, Check, Retry
from translate.language import check_german

logger = logging.getLogger("debrief")


@dataclass(frozen=True)
class RunResult:
    """What happened to one article: its outputs, or the error that stopped it.

    An input file's outputs are its four files (`outputs`); an archive article's is a
    line in a shard of `records` (written for an error too: its record says why).
    """

    input: str | Path
    outputs: OutputPaths | None = None
    error: str | None = None
    checks: tuple[Check, ...] = ()  # what the faithfulness checks flagged
    segments: int = 0
    brief_sentences: int = 0
    retries: tuple[Retry, ...] = ()  # segments translated again because they were flagged
    id: str | None = None  # an archive article's id
    records: Path | None = None  # an archive article's records folder

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class ArticleTask:
    """One article of a job and where its result goes: an input file's four files, or
    (for an archive's article) its archive's records folder."""

    source: str | Path | ArchiveEntry
    outputs: OutputPaths | None = None
    records: Path | None = None

    @property
    def input(self) -> str | Path:
        """The article as its result names it: the input, or "news.jsonl:12"."""
        return self.source.where if isinstance(self.source, ArchiveEntry) else self.source

    @property
    def name(self) -> str:
        """The article, for messages."""
        return str(self.input)

    def failed(self, error: Exception) -> RunResult:
        """The result of this article failing with `error`."""
        if isinstance(error, DebriefError):
            message = str(error)
        else:
            logger.debug("%s failed", self.name, exc_info=error)
            message = f"{self.name}: {type(error).__name__}: {error}"
        return RunResult(input=self.input, error=message, id=self.article_id, records=self.records)

    @property
    def article_id(self) -> str | None:
        """An archive article's id (None for an input file)."""
        return self.source.id if isinstance(self.source, ArchiveEntry) else None


def finished_result(task: ArticleTask, debrief: Debrief) -> RunResult:
    """The result of an article whose outputs were written."""
    translated = debrief.translated
    return RunResult(
        input=task.input,
        outputs=task.outputs,
        checks=translated.checks + debrief.summary_checks,
        segments=translated.segment_count,
        brief_sentences=len(debrief.support),
        retries=translated.retries,
        id=task.article_id,
        records=task.records,
    )


def file_tasks(plan: JobPlan) -> list[ArticleTask]:
    """The tasks of the plan's file and URL inputs, in order (with `skip_existing`,
    without those whose outputs are complete)."""
    tasks = []
    for source, stem in zip(plan.inputs, plan.stems or output_stems(plan.inputs), strict=True):
        if is_archive(source):
            continue
        outputs = output_paths(source, plan.out_dir, stem)
        if plan.skip_existing and outputs_complete(outputs):
            logger.info("%s: outputs complete, skipped", source)
            continue
        tasks.append(ArticleTask(source, outputs=outputs))
    return tasks


@dataclass(frozen=True)
class ArchivePart:
    """One archive file of a job, where its records go, and the ids done before."""

    file: Path
    records: Path
    done: frozenset[tuple[str, str]] = frozenset()  # record_key of each


def records_folders(plan: JobPlan) -> Iterator[tuple[str | Path, Path]]:
    """Each archive input of the plan, with the folder its records go to."""
    for source, stem in zip(plan.inputs, plan.stems or output_stems(plan.inputs), strict=True):
        if is_archive(source):
            yield source, plan.out_dir / stem


def archive_parts(plan: JobPlan) -> list[ArchivePart]:
    """The plan's archive files, each with its records folder and (with
    `skip_existing`) the ids whose records are complete there."""
    parts = []
    for source, records in records_folders(plan):
        done = frozenset(resume_records(records)) if plan.skip_existing else frozenset()
        if done:
            logger.info("%s: %d articles already done in %s, skipped", source, len(done), records)
        parts.extend(ArchivePart(file, records, done) for file in archive_files(Path(source)))
    return parts


def archive_tasks(part: ArchivePart, max_line_bytes: int) -> Iterator[ArticleTask]:
    """The tasks of one archive file's articles, read as they are needed."""
    for entry in read_archive(part.file, max_line_bytes):
        done = entry.error is None and entry.id is not None
        if done and record_key(entry.where, entry.id) in part.done:
            continue
        yield ArticleTask(entry, records=part.records)


@contextmanager
def records_held(plan: JobPlan) -> Iterator[None]:
    """Every archive records folder of the plan held for this run alone
    (`records_folder_lock`), and checked again once held: a run that finished meanwhile
    may have left records there."""
    with ExitStack() as stack:
        for _, folder in records_folders(plan):
            stack.enter_context(records_folder_lock(folder))
            check_records_folder(folder, plan.skip_existing)
        yield


def article_count(plan: JobPlan) -> int:
    """About how many articles the plan holds (archive lines are counted, not read), for
    a progress bar."""
    archives = [
        file for source in plan.inputs if is_archive(source) for file in archive_files(Path(source))
    ]
    return sum(not is_archive(source) for source in plan.inputs) + count_entries(archives)


def plan_tasks(plan: JobPlan) -> Iterator[ArticleTask]:
    """Every article of the plan, its inputs' then its archives', read as needed."""
    yield from file_tasks(plan)
    for part in archive_parts(plan):
        yield from archive_tasks(part, plan.max_input_bytes)


def task_chunks(tasks: Iterable[ArticleTask], size: int) -> Iterator[list[ArticleTask]]:
    """`tasks` in lists of `size`."""
    chunk: list[ArticleTask] = []
    for task in tasks:
        chunk.append(task)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def read_task(task: ArticleTask, plan: JobPlan, page_cache: PageCache | None = None) -> Article:
    """The German article of a task: read, fetched or taken from its archive line, and
    (under the plan's `strict`) checked to be German."""
    source = task.source
    if isinstance(source, ArchiveEntry):
        article = article_from_entry(
            source, max_bytes=plan.max_input_bytes, page_cache=page_cache, fetch=plan.fetch
        )
    else:
        article = read_source(
            source,
            encoding=plan.encoding,
            max_bytes=plan.max_input_bytes,
            page_cache=page_cache,
            fetch=plan.fetch,
        )
    check_german(article, task.name, strict=plan.strict)
    return article


def read_tasks(
    tasks: Sequence[ArticleTask], plan: JobPlan, page_cache: PageCache | None = None
) -> list[Article | RunResult]:
    """Each task's article, or the failed result that says why it has none."""
    read: list[Article | RunResult] = []
    for task in tasks:
        try:
            read.append(read_task(task, plan, page_cache))
        except Exception as error:  # one article's failure must not cost the others
            read.append(task.failed(error))
    return read
