"""THE job of `debrief run`: plan, validate, translate, free, summarize, check, write.

    from debrief.job import plan_job, run_job

    plan = plan_job(["seeds/belarus-russland-2020-08.de.txt"], "out")
    results = run_job(plan)

`plan_job` checks everything a user can get wrong (inputs, output paths, options, both
models) before any model loads, so a mistake costs well under a second. `run_job` then
loads the translator, translates the sentences of all inputs together, frees the
translator, loads the summarizer, and briefs, checks and writes each input. The CLI runs
exactly this; so will the web server and the batch engine. One failing input is reported
and the others still run.
"""

from __future__ import annotations

import codecs
import gc
import json
import logging
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from debrief import models
from debrief.archives import (
    ArchiveEntry,
    ShardWriter,
    archive_files,
    archive_record,
    archive_stem,
    check_archive,
    count_entries,
    is_archive,
    read_archive,
    resume_records,
    shard_files,
)
from debrief.engines import Runtime, check_model_type
from debrief.errors import DebriefError, ModelNotFoundError, UsageError
from debrief.fetch import FetchSettings, PageCache, is_url
from debrief.inputs import article_from_entry, check_source, read_source, url_stem
from debrief.models import ModelLocation, saved_config
from summarize import model as summary_model
from summarize.model import (
    DEFAULT_SUMMARY_MODEL,
    LEAD_3,
    SEQ2SEQ,
    Summarizer,
    Summary,
    input_window,
    lead_sentences,
    length_settings,
    max_words_within,
)
from translate import marian
from translate.article import (
    MAX_INPUT_BYTES,
    Article,
    Check,
    Retry,
    TranslatedArticle,
)
from translate.cache import CacheUnusable, TranslationCache
from translate.checks import SentenceSupport, check_summary, english_segments
from translate.language import check_german
from translate.marian import DEFAULT_TRANSLATION_MODEL, MARIAN
from translate.pipeline import Progress, TokenBudget, Translator, translate_articles
from translate.review import render_review
from translate.writers import debrief_to_dict, debrief_to_json, render_text, write_files

logger = logging.getLogger("debrief")

# Beam search keeps this many hypotheses per sentence (the retry twice as many); past 16
# the memory grows with no gain a reader would see (opus-mt's own setting is 4).
MAX_NUM_BEAMS = 16

TRANSLATION_MODEL_FLAG = "--translation-model"
SUMMARY_MODEL_FLAG = "--summary-model"


# --- Checking options and paths, before any model loads ---------------------------------


def check_num_beams(num_beams: int | None) -> None:
    """Refuse a beam width outside 1..MAX_NUM_BEAMS (None: the model's own)."""
    if num_beams is not None and not 1 <= num_beams <= MAX_NUM_BEAMS:
        raise UsageError(
            f"--num-beams must be between 1 and {MAX_NUM_BEAMS} (got {num_beams}); "
            "leave it out for the model's own (4 for opus-mt)"
        )


def token_budget(batch_tokens: int) -> TokenBudget:
    """The batch budget for `--batch-tokens`, which must be at least 1."""
    if batch_tokens < 1:
        raise UsageError(f"--batch-tokens must be at least 1 (got {batch_tokens})")
    return TokenBudget(max_tokens=batch_tokens)


def check_encoding(encoding: str | None) -> None:
    """Refuse an encoding Python does not know (None: detect it)."""
    if encoding is None:
        return
    try:
        # Python knows codecs that are no text encodings (base64, rot13) and one that
        # refuses everything ("undefined"); decoding a few bytes tells them apart.
        if not codecs.lookup(encoding)._is_text_encoding:
            raise LookupError(encoding)
        b"\x00\x00\x00\x00".decode(encoding)  # four bytes: a whole character in any width
    except (LookupError, UnicodeError):
        raise UsageError(
            f"unknown --encoding '{encoding}'; try utf-8, utf-16, cp1252 or latin-1, "
            "or leave it out to detect the encoding"
        ) from None


def check_max_input_bytes(max_input_bytes: int) -> None:
    """Refuse an input size limit under one byte."""
    if max_input_bytes < 1:
        raise UsageError("--max-input-mb must be more than 0")


def _existing_ancestor(path: Path) -> Path:
    path = Path(os.path.abspath(path))
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_output_directory(directory: Path, flag: str = "--out-dir") -> None:
    """Refuse a folder that is not a folder, or cannot be made or written to."""
    ancestor = _existing_ancestor(directory)
    if not ancestor.is_dir():
        raise UsageError(f"{flag} {directory}: {ancestor} is a file, not a folder; choose a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        what = (
            "cannot be written to"
            if ancestor == Path(os.path.abspath(directory))
            else (f"cannot be made ({ancestor} is not writable)")
        )
        raise UsageError(f"{flag} {directory}: {what}; choose a folder you can write to")


def check_output_file(path: Path, flag: str = "-o") -> None:
    """Refuse an output path that is a folder, or whose folder cannot be made or written."""
    if path.is_dir():
        raise UsageError(f"{flag} {path}: is a folder; name a file")
    check_output_directory(path.parent, flag)


def _file_key(path: Path) -> tuple[int, int] | str:
    """What makes two paths one file: device and inode where it exists, else the absolute
    path (two paths are the same file exactly when their keys are equal)."""
    try:
        info = path.stat()
    except OSError:
        return os.path.abspath(path)
    return (info.st_dev, info.st_ino)


def locate_models(
    names: dict[str, str], summary_flags: Collection[str] = (SUMMARY_MODEL_FLAG,)
) -> dict[str, ModelLocation | None]:
    """Find each model (option flag -> name), all of them before any error is raised, so
    that one try reports every missing model. A lead-N summarizer, named by one of
    `summary_flags`, needs no files (None)."""
    found: dict[str, ModelLocation | None] = {}
    missing: list[str] = []
    for flag, name in names.items():
        if flag in summary_flags and lead_sentences(name) is not None:
            found[flag] = None
            continue
        try:
            found[flag] = models.locate_model(name, flag=flag)
        except ModelNotFoundError as error:
            hint = (
                f" (did you mean {LEAD_3}?)"
                if flag in summary_flags and name.startswith("lead")
                else ""
            )
            missing.append(f"{error}{hint}")
    if missing:
        raise ModelNotFoundError("; and ".join(missing))
    return found


def check_brief_length(
    location: ModelLocation | None, length: str | None, max_words: int | None, flag: str
) -> None:
    """Refuse a brief length the summary model cannot write within its window (a brief
    may take at most half of it, or map-reduce would not converge)."""
    settings = length_settings(length, max_words)
    if location is None or "max_length" not in settings:
        return
    window = input_window(saved_config(location))
    if settings["max_length"] * 2 <= window:
        return
    if max_words is not None:
        raise UsageError(
            f"--max-words {max_words} is more than {flag} {location.name} can write within "
            f"its {window}-token window; use at most {max_words_within(window)}"
        )
    raise UsageError(
        f"--length {length} is too long for {flag} {location.name} (window {window} tokens); "
        "choose a shorter --length"
    )


def locate_job_models(
    translation_model: str,
    summary_model: str,
    length: str | None = None,
    max_words: int | None = None,
) -> tuple[ModelLocation, ModelLocation | None]:
    """Both models of a job, found (every missing one reported at once) and of the
    right kind, and the brief's length within the summary model's window. The summary's
    location is None for a lead-N baseline."""
    located = locate_models(
        {TRANSLATION_MODEL_FLAG: translation_model, SUMMARY_MODEL_FLAG: summary_model}
    )
    translation = located[TRANSLATION_MODEL_FLAG]
    assert translation is not None  # a translation model is never lead-N
    check_model_type(translation, MARIAN, TRANSLATION_MODEL_FLAG)
    summary = located[SUMMARY_MODEL_FLAG]
    if summary is not None:
        check_model_type(summary, SEQ2SEQ, SUMMARY_MODEL_FLAG)
    check_brief_length(summary, length, max_words, SUMMARY_MODEL_FLAG)
    return translation, summary


# --- The plan ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OutputPaths:
    """The files `debrief run` writes for one input."""

    translation: Path
    summary: Path
    record: Path
    review: Path

    def __iter__(self) -> Iterator[Path]:
        return iter((self.translation, self.summary, self.record, self.review))


def output_stem(source: str | Path) -> str:
    """A file's name without ".txt", ".html" or ".htm" and then without a trailing
    ".de"; for a URL, the last part of its path (see `debrief.inputs.url_stem`); for an
    archive, its name without ".jsonl" or ".parquet" (its records' folder)."""
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


@dataclass(frozen=True)
class JobPlan:
    """Everything `run_job` needs, already checked. Build it with `plan_job`.

    The models are located (`ModelLocation`), or for the summary None for a lead-N
    baseline named in `summary_model`.
    """

    inputs: tuple[str | Path, ...]  # files, "-" or http(s) URLs
    out_dir: Path
    stems: tuple[str, ...] = ()  # each input's output stem; () derives them
    translation_model: ModelLocation | str = DEFAULT_TRANSLATION_MODEL
    summary_model: ModelLocation | str = DEFAULT_SUMMARY_MODEL
    runtime: Runtime = field(default_factory=Runtime)
    num_beams: int | None = None
    budget: TokenBudget = field(default_factory=TokenBudget)
    length: str | None = None
    max_words: int | None = None
    encoding: str | None = None
    strict: bool = False
    retry: bool = True
    use_cache: bool = True
    max_input_bytes: int = MAX_INPUT_BYTES
    fetch: FetchSettings = field(default_factory=FetchSettings)
    skip_existing: bool = False


def plan_job(
    inputs: Sequence[str | Path],
    out_dir: str | Path = "out",
    *,
    translation_model: str = DEFAULT_TRANSLATION_MODEL,
    summary_model: str = DEFAULT_SUMMARY_MODEL,
    runtime: Runtime | None = None,
    num_beams: int | None = None,
    batch_tokens: int = TokenBudget.max_tokens,
    length: str | None = None,
    max_words: int | None = None,
    encoding: str | None = None,
    strict: bool = False,
    retry: bool = True,
    use_cache: bool = True,
    max_input_bytes: int = MAX_INPUT_BYTES,
    fetch: FetchSettings | None = None,
    skip_existing: bool = False,
) -> JobPlan:
    """Check a `debrief run` job and return its plan; nothing loads, nothing is written.

    Inputs are article files, saved pages, URLs and archives (debrief/archives.py). With
    `skip_existing`, an input whose four files are there, and an archive article whose
    record is, are left out; without it, an archive whose records folder already holds
    shards is refused (new records would mix with the old ones).

    Raises a one-line `DebriefError` (exit code 2) for: an option out of range, an input
    that is missing or not a readable file, an output folder that cannot be written, two
    inputs that would write the same outputs, an output that would overwrite an input,
    models that cannot be found (all of them reported at once), a model of the wrong
    kind, and a brief too long for the summary model.
    """
    paths = tuple(source if is_url(source) else Path(source) for source in inputs)
    out_dir = Path(out_dir)
    runtime = runtime or Runtime()
    check_num_beams(num_beams)
    budget = token_budget(batch_tokens)
    length_settings(length, max_words)
    check_encoding(encoding)
    if not paths:
        raise UsageError("no input given; pass one or more German article files")
    check_max_input_bytes(max_input_bytes)
    for path in paths:
        if is_archive(path):
            check_archive(Path(path))
        else:
            check_source(path, max_input_bytes)
    check_output_directory(out_dir)
    stems = tuple(output_stems(paths))
    for path, stem in zip(paths, stems, strict=True):
        if is_archive(path):
            check_records_folder(out_dir / stem, skip_existing)
            continue
        for output in output_paths(path, out_dir, stem):
            if output.is_dir():
                raise UsageError(f"{output} is a folder; move it or choose another --out-dir")
    check_distinct_outputs(paths, out_dir, stems)
    translation_location, summary_location = locate_job_models(
        translation_model, summary_model, length, max_words
    )
    for warning in runtime.warnings():
        logger.warning("%s", warning)
    return JobPlan(
        inputs=paths,
        out_dir=out_dir,
        stems=stems,
        translation_model=translation_location,
        summary_model=summary_location or summary_model,
        runtime=runtime,
        num_beams=num_beams,
        budget=budget,
        length=length,
        max_words=max_words,
        encoding=encoding,
        strict=strict,
        retry=retry,
        use_cache=use_cache,
        max_input_bytes=max_input_bytes,
        fetch=fetch or FetchSettings(),
        skip_existing=skip_existing,
    )


def check_records_folder(folder: Path, skip_existing: bool) -> None:
    """Refuse an archive's records folder that is a file, or that holds shards of an
    earlier run when `skip_existing` is off (the new records would mix with them)."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file; the archive's records need a folder there")
    if shard_files(folder) and not skip_existing:
        raise UsageError(
            f"{folder} already holds records of an earlier run; pass --skip-existing to "
            "finish that run, or choose another --out-dir"
        )


# --- Running it ---------------------------------------------------------------------------


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


def outputs_complete(outputs: OutputPaths) -> bool:
    """Whether an input's four files are all there, its record whole (they are written
    all or none, so a record that parses means a finished article)."""
    if not all(path.is_file() for path in outputs):
        return False
    try:
        return isinstance(json.loads(outputs.record.read_bytes()), dict)
    except (OSError, ValueError):
        return False


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
    done: frozenset[str] = frozenset()


def archive_parts(plan: JobPlan) -> list[ArchivePart]:
    """The plan's archive files, each with its records folder and (with
    `skip_existing`) the ids whose records are complete there."""
    parts = []
    for source, stem in zip(plan.inputs, plan.stems or output_stems(plan.inputs), strict=True):
        if not is_archive(source):
            continue
        records = plan.out_dir / stem
        done = frozenset(resume_records(records)) if plan.skip_existing else frozenset()
        if done:
            logger.info("%s: %d articles already done in %s, skipped", source, len(done), records)
        parts.extend(ArchivePart(file, records, done) for file in archive_files(Path(source)))
    return parts


def archive_tasks(part: ArchivePart, max_line_bytes: int) -> Iterator[ArticleTask]:
    """The tasks of one archive file's articles, read as they are needed."""
    for entry in read_archive(part.file, max_line_bytes):
        if entry.error is None and entry.id in part.done:
            continue
        yield ArticleTask(entry, records=part.records)


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


def english_text(translated: TranslatedArticle) -> str:
    """The translation's paragraphs, as the summarizer reads them."""
    return "\n\n".join(paragraph.translation for paragraph in translated.paragraphs)


@dataclass(frozen=True)
class Debrief:
    """One article's finished job, in memory: its translation, its brief, and the brief's
    checks and support in the translation."""

    translated: TranslatedArticle
    summary: Summary
    summary_checks: tuple[Check, ...] = ()
    support: tuple[SentenceSupport, ...] = ()

    def record(self) -> dict[str, Any]:
        """The JSON record `debrief run` writes, as data."""
        return debrief_to_dict(self.translated, self.summary, self.summary_checks, self.support)

    def review(self) -> str:
        """The review page."""
        return render_review(self.translated, self.summary, self.summary_checks, self.support)


def brief_translation(
    translated: TranslatedArticle, summarizer: Summarizer, progress: Progress | None = None
) -> Debrief:
    """Brief a translated article and check the brief against the translation; the
    second half of the job for one article (`progress` follows the brief's chunks)."""
    summary = summarizer.summarize(english_text(translated), progress=progress)
    checks, support = check_summary(summary.text, english_segments(translated.paragraphs))
    return Debrief(translated, summary, checks, support)


def write_outputs(debrief: Debrief, outputs: OutputPaths) -> None:
    """Write the translation, the brief, the JSON record and the review page, all or
    none (each is written in full to a temporary file before any is replaced)."""
    write_files(
        {
            outputs.translation: render_text(debrief.translated),
            outputs.summary: debrief.summary.text + "\n",
            outputs.record: debrief_to_json(
                debrief.translated, debrief.summary, debrief.summary_checks, debrief.support
            ),
            outputs.review: debrief.review(),
        }
    )


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


def translate_read(
    tasks: Sequence[ArticleTask],
    read: Sequence[Article | RunResult],
    translator: Translator,
    plan: JobPlan,
    *,
    cache: TranslationCache | None = None,
    progress: Progress | None = None,
    article_segments: Sequence[Sequence[Sequence[str]] | None] | None = None,
) -> list[TranslatedArticle | RunResult]:
    """Translate the articles `read_tasks` read, their sentences batched together; a
    failure passes through. `article_segments` gives each article's segments when they
    were cut already. With the plan's `retry`, flagged segments are translated again.

    If the joint pass fails (something in one text broke the model), the articles are
    translated one by one to tell which; the cache keeps what the joint pass finished.
    """
    outcomes: dict[int, TranslatedArticle | RunResult] = {
        index: outcome for index, outcome in enumerate(read) if isinstance(outcome, RunResult)
    }
    readable = [index for index, outcome in enumerate(read) if isinstance(outcome, Article)]

    def translate(indices: list[int]) -> None:
        segments = None
        if article_segments is not None:
            segments = [article_segments[index] for index in indices]
        translated = translate_articles(
            [read[index] for index in indices],  # type: ignore[misc]
            translator,
            budget=plan.budget,
            progress=progress,
            cache=cache,
            retry=plan.retry,
            article_segments=segments,  # type: ignore[arg-type]
        )
        outcomes.update(zip(indices, translated, strict=True))

    try:
        translate(readable)
    except Exception:
        logger.debug("joint translation failed; retrying article by article", exc_info=True)
        for index in readable:
            try:
                translate([index])
            except Exception as error:
                outcomes[index] = tasks[index].failed(error)
    return [outcomes[index] for index in range(len(read))]


def brief_outcome(
    task: ArticleTask,
    outcome: TranslatedArticle | RunResult,
    summarizer: Summarizer,
    progress: Progress | None = None,
) -> Debrief | RunResult:
    """Brief a translated article (a failure passes through, and a failing brief is
    one)."""
    if isinstance(outcome, RunResult):
        return outcome
    try:
        if task.records is None:  # an archive's articles are too many to name each
            logger.info("%s: summarising with %s", task.name, summarizer.name)
        return brief_translation(outcome, summarizer, progress)
    except Exception as error:
        return task.failed(error)


class OutputWriter:
    """Writes finished articles: an input's four files, an archive article's record line
    (its error too) in its records folder's shards. Use it as a context manager."""

    def __init__(self) -> None:
        self._shards: dict[Path, ShardWriter] = {}

    def write(self, task: ArticleTask, outcome: Debrief | RunResult) -> RunResult:
        """Write one article's outputs; its result (a failed write is a failed result)."""
        try:
            if task.records is not None:
                return self._write_record(task, outcome)
            if isinstance(outcome, RunResult):
                return outcome
            assert task.outputs is not None
            write_outputs(outcome, task.outputs)
            return _finished(task, outcome)
        except Exception as error:
            return task.failed(error)

    def _write_record(self, task: ArticleTask, outcome: Debrief | RunResult) -> RunResult:
        assert isinstance(task.source, ArchiveEntry) and task.records is not None
        shards = self._shards.get(task.records)
        if shards is None:
            shards = self._shards[task.records] = ShardWriter(task.records)
        if isinstance(outcome, RunResult):
            shards.write(archive_record(task.source, None, outcome.error))
            return outcome
        shards.write(archive_record(task.source, outcome.record(), None))
        return _finished(task, outcome)

    def close(self) -> None:
        for shards in self._shards.values():
            shards.close()

    def __enter__(self) -> OutputWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _finished(task: ArticleTask, debrief: Debrief) -> RunResult:
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


@contextmanager
def translation_cache(enabled: bool) -> Iterator[TranslationCache | None]:
    """The on-disk translation cache, closed afterwards; None when disabled, or (with one
    warning) when it cannot be used here: the cache never costs a run."""
    if not enabled:
        yield None
        return
    try:
        cache = TranslationCache()
    except CacheUnusable as error:
        logger.warning("warning: no translation cache (%s); going on without it", error)
        yield None
        return
    try:
        yield cache
    finally:
        cache.close()


def load_job_translator(plan: JobPlan) -> Translator:
    """The plan's translator, loaded."""
    logger.info("loading %s", _model_name(plan.translation_model))
    return marian.load_translator(
        plan.translation_model,
        runtime=plan.runtime,
        num_beams=plan.num_beams,
        flag=TRANSLATION_MODEL_FLAG,
    )


def load_job_summarizer(plan: JobPlan) -> Summarizer:
    """The plan's summarizer, loaded."""
    logger.info("loading %s", _model_name(plan.summary_model))
    return summary_model.load_summarizer(
        plan.summary_model,
        runtime=plan.runtime,
        length=plan.length,
        max_words=plan.max_words,
        flag=SUMMARY_MODEL_FLAG,
    )


# Articles translated before the summarizer takes over, in a local run. Each part loads
# both models once (about 20 s with the full-size models, under 0.3% of 500 articles'
# work), and holds at most this many translations: a large archive runs in bounded memory.
LOCAL_PART_ARTICLES = 500


def run_job(
    plan: JobPlan,
    *,
    progress: Progress | None = None,
    on_result: Callable[[RunResult], None] | None = None,
    translator: Translator | None = None,
    summarizer: Summarizer | None = None,
    summary_progress: Progress | None = None,
) -> list[RunResult]:
    """Run the job `plan` describes on this machine; one result per article, in order
    (an input's, then its archives' articles).

    The translator loads first and translates the sentences of every article together;
    it is freed before the summarizer loads, so peak memory is the larger model's, not
    both together. An archive of more than `LOCAL_PART_ARTICLES` articles runs in parts
    of that many, each translated, then briefed. `progress(done, total)` follows the
    translated pieces (retries too), `summary_progress` the chunks of each brief;
    `on_result` hears of each article as it is written (or fails). `translator` and
    `summarizer` replace the plan's models (tests pass fakes; a server may pass loaded
    models).
    """
    results: list[RunResult] = []
    page_cache = PageCache() if plan.use_cache else None
    with OutputWriter() as writer:
        for tasks in task_chunks(plan_tasks(plan), LOCAL_PART_ARTICLES):
            part_translator = translator or load_job_translator(plan)
            with translation_cache(plan.use_cache) as cache:
                read = read_tasks(tasks, plan, page_cache)
                translations = translate_read(
                    tasks, read, part_translator, plan, cache=cache, progress=progress
                )
            del part_translator  # before the summarizer loads, unless the caller owns it
            gc.collect()
            part_summarizer = summarizer or load_job_summarizer(plan)
            for task, translated in zip(tasks, translations, strict=True):
                outcome = brief_outcome(task, translated, part_summarizer, summary_progress)
                result = writer.write(task, outcome)
                results.append(result)
                if on_result:
                    on_result(result)
            del part_summarizer
            gc.collect()
    return results


def _model_name(model: ModelLocation | str) -> str:
    return model.name if isinstance(model, ModelLocation) else model
