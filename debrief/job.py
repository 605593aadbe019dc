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
import logging
import os
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from debrief import models
from debrief.engines import Runtime, check_model_type
from debrief.errors import DebriefError, ModelNotFoundError, UsageError
from debrief.fetch import FetchSettings, PageCache, is_url
from debrief.inputs import check_source, read_source, url_stem
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


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.samefile(second)
    except OSError:
        return os.path.abspath(first) == os.path.abspath(second)


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
    ".de"; for a URL, the last part of its path (see `debrief.inputs.url_stem`)."""
    if is_url(source):
        return url_stem(str(source))
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
        record = output_paths(source, out_dir, stem).record
        if record in seen:
            raise UsageError(
                f"{seen[record]} and {source} would both write {record}; rename one or run "
                "them with different --out-dir"
            )
        seen[record] = source
    files = [Path(source) for source in sources if not is_url(source)]
    for path in files:
        for other, stem in zip(sources, stems, strict=True):
            for output in output_paths(other, out_dir, stem):
                if _same_file(output, path):
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
) -> JobPlan:
    """Check a `debrief run` job and return its plan; nothing loads, nothing is written.

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
        check_source(path, max_input_bytes)
    check_output_directory(out_dir)
    stems = tuple(output_stems(paths))
    for path, stem in zip(paths, stems, strict=True):
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
    )


# --- Running it ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RunResult:
    """What happened to one input: its outputs, or the error that stopped it."""

    input: str | Path
    outputs: OutputPaths | None = None
    error: str | None = None
    checks: tuple[Check, ...] = ()  # what the faithfulness checks flagged
    segments: int = 0
    brief_sentences: int = 0
    retries: tuple[Retry, ...] = ()  # segments translated again because they were flagged

    @property
    def ok(self) -> bool:
        return self.error is None


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


def _failure(path: str | Path, error: Exception) -> RunResult:
    if isinstance(error, DebriefError):
        return RunResult(input=path, error=str(error))
    logger.debug("%s failed", path, exc_info=True)
    return RunResult(input=path, error=f"{path}: {type(error).__name__}: {error}")


def translate_inputs(
    paths: Sequence[str | Path],
    translator: Translator,
    *,
    budget: TokenBudget | None = None,
    progress: Progress | None = None,
    cache: TranslationCache | None = None,
    encoding: str | None = None,
    strict_language: bool = False,
    retry: bool = True,
    max_input_bytes: int = MAX_INPUT_BYTES,
    page_cache: PageCache | None = None,
    fetch: FetchSettings | None = None,
) -> list[TranslatedArticle | RunResult]:
    """Read (fetch, for URLs) and translate every input, sentences batched across
    inputs; the first phase.

    Returns, per input in order, its translation or the failed `RunResult` that says
    why it has none (unreadable, unreachable, empty, not German under
    `strict_language`, a model error on its text). With `retry`, segments the checks
    flag are translated again. Each URL is fetched once (or taken from `page_cache`).
    """
    outcomes: dict[int, TranslatedArticle | RunResult] = {}
    readable: dict[int, Article] = {}
    for index, path in enumerate(paths):
        try:
            article = read_source(
                path,
                encoding=encoding,
                max_bytes=max_input_bytes,
                page_cache=page_cache,
                fetch=fetch,
            )
            check_german(article, str(path), strict=strict_language)
            readable[index] = article
        except Exception as error:  # one article's failure must not cost the others
            outcomes[index] = _failure(path, error)

    def translate(indices: list[int]) -> None:
        translated = translate_articles(
            [readable[index] for index in indices],
            translator,
            budget=budget,
            progress=progress,
            cache=cache,
            retry=retry,
        )
        outcomes.update(zip(indices, translated, strict=True))

    try:
        translate(list(readable))
    except Exception:
        # Something in one text broke the model. Translate article by article to tell
        # which; the cache keeps what the joint pass had finished.
        logger.debug("joint translation failed; retrying article by article", exc_info=True)
        for index in readable:
            try:
                translate([index])
            except Exception as error:
                outcomes[index] = _failure(paths[index], error)
    return [outcomes[index] for index in range(len(paths))]


def summarize_and_write(
    paths: Sequence[str | Path],
    translations: Sequence[TranslatedArticle | RunResult],
    summarizer: Summarizer,
    out_dir: Path,
    *,
    on_result: Callable[[RunResult], None] | None = None,
    progress: Progress | None = None,
    stems: Sequence[str] = (),
) -> list[RunResult]:
    """Brief each translated input, check the brief against the translation, and write
    its three files (named by `stems`, else by the inputs); the second phase.
    `progress` follows each brief's chunks."""
    results = []
    stems = list(stems) or output_stems(paths)
    for path, stem, outcome in zip(paths, stems, translations, strict=True):
        if isinstance(outcome, TranslatedArticle):
            try:
                logger.info("%s: summarising with %s", path, summarizer.name)
                debrief = brief_translation(outcome, summarizer, progress)
                outputs = output_paths(path, out_dir, stem)
                write_outputs(debrief, outputs)
                outcome = RunResult(
                    input=path,
                    outputs=outputs,
                    checks=outcome.checks + debrief.summary_checks,
                    segments=outcome.segment_count,
                    brief_sentences=len(debrief.support),
                    retries=outcome.retries,
                )
            except Exception as error:
                outcome = _failure(path, error)
        results.append(outcome)
        if on_result:
            on_result(outcome)
    return results


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


def run_job(
    plan: JobPlan,
    *,
    progress: Progress | None = None,
    on_result: Callable[[RunResult], None] | None = None,
    translator: Translator | None = None,
    summarizer: Summarizer | None = None,
    summary_progress: Progress | None = None,
) -> list[RunResult]:
    """Run the job `plan` describes; one result per input, in order.

    The translator loads first and translates the sentences of every input together;
    it is freed before the summarizer loads, so peak memory is the larger model's, not
    both together. `progress(done, total)` follows the translated pieces (retries
    too), `summary_progress` the chunks of each brief; `on_result` hears of each input
    as it is written (or fails). `translator` and `summarizer`
    replace the plan's models (tests pass fakes; a server may pass loaded models).
    """
    owns_translator = translator is None
    if translator is None:
        logger.info("loading %s", _model_name(plan.translation_model))
        translator = marian.load_translator(
            plan.translation_model,
            runtime=plan.runtime,
            num_beams=plan.num_beams,
            flag=TRANSLATION_MODEL_FLAG,
        )
    with translation_cache(plan.use_cache) as cache:
        translations = translate_inputs(
            plan.inputs,
            translator,
            budget=plan.budget,
            progress=progress,
            cache=cache,
            encoding=plan.encoding,
            strict_language=plan.strict,
            retry=plan.retry,
            max_input_bytes=plan.max_input_bytes,
            page_cache=PageCache() if plan.use_cache else None,
            fetch=plan.fetch,
        )
    if owns_translator:
        del translator
        gc.collect()
    if summarizer is None:
        logger.info("loading %s", _model_name(plan.summary_model))
        summarizer = summary_model.load_summarizer(
            plan.summary_model,
            runtime=plan.runtime,
            length=plan.length,
            max_words=plan.max_words,
            flag=SUMMARY_MODEL_FLAG,
        )
    return summarize_and_write(
        plan.inputs,
        translations,
        summarizer,
        plan.out_dir,
        on_result=on_result,
        progress=summary_progress,
        stems=plan.stems,
    )


def _model_name(model: ModelLocation | str) -> str:
    return model.name if isinstance(model, ModelLocation) else model
