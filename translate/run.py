"""The whole job for many articles: translate, summarise, write three files per article.

Models are passed in, so they load once per run however many files there are. One failing
input is reported and the others still run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from summarize.model import Summarizer, Summary
from translate.article import Article, Retry, TranslatedArticle, read_article
from translate.cache import TranslationCache
from translate.checks import Check, SentenceSupport, check_summary, english_segments
from translate.errors import DebriefError, InputError
from translate.language import check_german
from translate.pipeline import Progress, TokenBudget, Translator, translate_articles
from translate.writers import debrief_to_json, render_text, write_atomic

logger = logging.getLogger("debrief")


@dataclass(frozen=True)
class OutputPaths:
    """The three files `debrief run` writes for one input."""

    translation: Path
    summary: Path
    record: Path


@dataclass(frozen=True)
class RunResult:
    """What happened to one input: its outputs, or the error that stopped it."""

    input: Path
    outputs: OutputPaths | None = None
    error: str | None = None
    checks: tuple[Check, ...] = ()  # what the faithfulness checks flagged
    segments: int = 0
    brief_sentences: int = 0
    retries: tuple[Retry, ...] = ()  # segments translated again because they were flagged

    @property
    def ok(self) -> bool:
        return self.error is None


def output_stem(path: Path) -> str:
    """The file name without ".txt" and then without a trailing ".de"."""
    name = path.name
    name = name.removesuffix(".txt")
    return name.removesuffix(".de") or name


def output_paths(input_path: Path, out_dir: Path) -> OutputPaths:
    stem = output_stem(Path(input_path))
    return OutputPaths(
        translation=out_dir / f"{stem}.en.txt",
        summary=out_dir / f"{stem}.summary.txt",
        record=out_dir / f"{stem}.json",
    )


def check_distinct_outputs(paths: Sequence[Path], out_dir: Path) -> None:
    """Refuse inputs that would overwrite each other's outputs (a/x.txt and b/x.de.txt)."""
    seen: dict[Path, Path] = {}
    for path in paths:
        record = output_paths(path, out_dir).record
        if record in seen:
            raise InputError(
                f"{seen[record]} and {path} would both write {record}; rename one or run "
                "them with different --out-dir"
            )
        seen[record] = path


def english_text(translated: TranslatedArticle) -> str:
    """The translation's paragraphs, as the summarizer reads them."""
    return "\n\n".join(paragraph.translation for paragraph in translated.paragraphs)


def write_outputs(
    translated: TranslatedArticle,
    summary: Summary,
    outputs: OutputPaths,
    summary_checks: Sequence[Check] = (),
    support: Sequence[SentenceSupport] = (),
) -> None:
    """Write the translation, the brief and the JSON record, each atomically."""
    write_atomic(outputs.translation, render_text(translated))
    write_atomic(outputs.summary, summary.text + "\n")
    write_atomic(outputs.record, debrief_to_json(translated, summary, summary_checks, support))


def _failure(path: Path, error: Exception) -> RunResult:
    if isinstance(error, DebriefError):
        return RunResult(input=path, error=str(error))
    logger.debug("%s failed", path, exc_info=True)
    return RunResult(input=path, error=f"{path}: {type(error).__name__}: {error}")


def translate_inputs(
    paths: Sequence[Path],
    translator: Translator,
    *,
    budget: TokenBudget | None = None,
    progress: Progress | None = None,
    cache: TranslationCache | None = None,
    encoding: str | None = None,
    strict_language: bool = False,
    retry: bool = True,
) -> list[TranslatedArticle | RunResult]:
    """Read and translate every input, sentences batched across files; the first phase.

    Returns, per input in order, its translation or the failed `RunResult` that says
    why it has none (unreadable, empty, not German under `strict_language`, a model
    error on its text). With `retry`, segments the checks flag are translated again.
    """
    paths = [Path(path) for path in paths]
    outcomes: dict[int, TranslatedArticle | RunResult] = {}
    readable: dict[int, Article] = {}
    for index, path in enumerate(paths):
        try:
            article = read_article(path, encoding=encoding)
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
    paths: Sequence[Path],
    translations: Sequence[TranslatedArticle | RunResult],
    summarizer: Summarizer,
    out_dir: Path,
    *,
    on_result: Callable[[RunResult], None] | None = None,
) -> list[RunResult]:
    """Brief each translated input, check the brief against the translation, and write
    its three files; the second phase."""
    results = []
    for path, outcome in zip(paths, translations, strict=True):
        if isinstance(outcome, TranslatedArticle):
            try:
                logger.info("%s: summarising with %s", path, summarizer.name)
                summary = summarizer.summarize(english_text(outcome))
                summary_checks, support = check_summary(
                    summary.text, english_segments(outcome.paragraphs)
                )
                outputs = output_paths(Path(path), out_dir)
                write_outputs(outcome, summary, outputs, summary_checks, support)
                outcome = RunResult(
                    input=Path(path),
                    outputs=outputs,
                    checks=outcome.checks + summary_checks,
                    segments=outcome.segment_count,
                    brief_sentences=len(support),
                    retries=outcome.retries,
                )
            except Exception as error:
                outcome = _failure(Path(path), error)
        results.append(outcome)
        if on_result:
            on_result(outcome)
    return results


def run_articles(
    paths: Sequence[Path],
    translator: Translator,
    summarizer: Summarizer,
    out_dir: Path,
    *,
    budget: TokenBudget | None = None,
    progress: Progress | None = None,
    on_result: Callable[[RunResult], None] | None = None,
    cache: TranslationCache | None = None,
    encoding: str | None = None,
    strict_language: bool = False,
    retry: bool = True,
) -> list[RunResult]:
    """Translate and summarise each article in `paths`, writing its outputs to `out_dir`.

    All readable articles are translated together (`translate_inputs`), then each is
    summarised and written in input order (`summarize_and_write`). Returns one result
    per input, in order; an input that fails gets an error message and no outputs, and
    the rest go on.
    """
    paths = [Path(path) for path in paths]
    check_distinct_outputs(paths, out_dir)
    translations = translate_inputs(
        paths,
        translator,
        budget=budget,
        progress=progress,
        cache=cache,
        encoding=encoding,
        strict_language=strict_language,
        retry=retry,
    )
    return summarize_and_write(paths, translations, summarizer, out_dir, on_result=on_result)
