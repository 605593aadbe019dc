"""`debrief eval`: how good a translation of a test set is, against human references:
BLEU, chrF and chrF++ (and TER on request) with sacrebleu, whose signatures make the
figures comparable with published ones, and how much debrief's checks flag in it.

    from debrief.evaluation import evaluate, read_lines

    source = read_lines("newstest2018.de")
    report = evaluate(source, [read_lines("newstest2018.en")], read_lines("system.en"))
    report.scores[0].score, report.flagged

The translation is either a file (another system's output, a human's) or made here by a
translation model (`translate_lines`), timed. Every file holds one segment a line, line i
of each the same segment (the shape of WMT sets and of most MT tools).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from debrief.check import CheckReport, check_lines, file_lines, read_text_file
from debrief.errors import InputError
from translate.article import Article
from translate.pipeline import Progress, TokenBudget, Translator, translate_articles
from translate.reading import MAX_INPUT_BYTES

EVAL_FORMATS = ("txt", "json")


@dataclass(frozen=True)
class Score:
    """One corpus-level metric: its name, value (0-100) and sacrebleu's signature, which
    says how it was computed (references, tokenizer, casing, version)."""

    metric: str
    score: float
    signature: str


@dataclass(frozen=True)
class TranslationTiming:
    """What translating the source took: the model, its settings, the seconds spent in
    translation (loading not counted) and the German words translated."""

    model: str
    settings: dict[str, Any]
    seconds: float
    lines: int
    german_words: int

    @property
    def lines_per_second(self) -> float:
        return self.lines / self.seconds if self.seconds else float("inf")

    @property
    def words_per_second(self) -> float:
        return self.german_words / self.seconds if self.seconds else float("inf")


@dataclass(frozen=True)
class EvalReport:
    """The scores of one translation of a test set, what the checks flag in it and, for
    comparison, in each human reference; `timing` when a model translated it here."""

    lines: int
    scores: tuple[Score, ...]
    checks: CheckReport
    reference_checks: tuple[CheckReport, ...]
    timing: TranslationTiming | None = None
    names: dict[str, Any] = field(default_factory=dict)  # the files (and model) it came from

    @property
    def flagged(self) -> int:
        return self.checks.flagged


def read_lines(
    path: str | Path, *, encoding: str | None = None, max_bytes: int = MAX_INPUT_BYTES
) -> list[str]:
    """The lines of a test-set file (no line ends). Raises a one-line InputError for a
    missing, unreadable, binary or empty file."""
    return file_lines(read_text_file(path, encoding, max_bytes))


def check_line_counts(files: dict[str, Sequence[str]]) -> None:
    """Refuse files (name -> lines) whose line counts differ: one line, every count."""
    counts = {name: len(lines) for name, lines in files.items()}
    if len(set(counts.values())) > 1:
        listed = ", ".join(f"{name} {count}" for name, count in counts.items())
        raise InputError(
            f"the files do not have the same number of lines ({listed}); line i of each "
            "must be the same segment"
        )


def score_translation(
    hypotheses: Sequence[str], references: Sequence[Sequence[str]], *, ter: bool = False
) -> list[Score]:
    """BLEU, chrF and chrF++ (and TER with `ter`) of `hypotheses` against one or more
    reference translations, each a list of lines as long as `hypotheses`."""
    from sacrebleu.metrics import BLEU, CHRF, TER  # imported here: `debrief --help` stays fast

    metrics: list[tuple[str, Any]] = [
        ("BLEU", BLEU()),
        ("chrF", CHRF()),
        ("chrF++", CHRF(word_order=2)),
    ]
    if ter:
        metrics.append(("TER", TER()))
    hypotheses = list(hypotheses)
    references = [list(reference) for reference in references]
    scores = []
    for name, metric in metrics:
        result = metric.corpus_score(hypotheses, references)
        scores.append(Score(name, result.score, str(metric.get_signature())))
    return scores


def translate_lines(
    lines: Sequence[str],
    translator: Translator,
    *,
    budget: TokenBudget | None = None,
    progress: Progress | None = None,
    retry: bool = True,
) -> tuple[list[str], TranslationTiming]:
    """Translate each line as debrief translates a paragraph (sentences split, batched
    across lines, flagged ones retried unless `retry` is False), timed. No cache: the
    time is the model's. Blank lines stay blank."""
    kept = [index for index, line in enumerate(lines) if line.strip()]
    article = Article(paragraphs=tuple(lines[index] for index in kept))
    started = time.perf_counter()
    [translated] = translate_articles(
        [article], translator, budget=budget, progress=progress, retry=retry
    )
    seconds = time.perf_counter() - started
    english = [""] * len(lines)
    for index, paragraph in zip(kept, translated.paragraphs, strict=True):
        english[index] = paragraph.translation
    timing = TranslationTiming(
        model=translator.name,
        settings=dict(translator.settings),
        seconds=seconds,
        lines=len(kept),
        german_words=sum(len(lines[index].split()) for index in kept),
    )
    return english, timing


def evaluate(
    source: Sequence[str],
    references: Sequence[Sequence[str]],
    hypotheses: Sequence[str],
    *,
    ter: bool = False,
    timing: TranslationTiming | None = None,
    names: dict[str, Any] | None = None,
) -> EvalReport:
    """Score `hypotheses` (the translation of `source`, line by line) against the
    `references` and run the checks on it and on each reference."""
    if not references:
        raise InputError("no reference translation; pass --ref FILE at least once")
    named = {"source": source, "hypothesis": hypotheses}
    named |= {f"reference {number}": lines for number, lines in enumerate(references, 1)}
    check_line_counts(named)

    def report(english: Sequence[str], name: str) -> CheckReport:
        segments = tuple(check_lines(source, english))
        return CheckReport("source", name, True, segments)

    return EvalReport(
        lines=len(source),
        scores=tuple(score_translation(hypotheses, references, ter=ter)),
        checks=report(hypotheses, "hypothesis"),
        reference_checks=tuple(
            report(reference, f"reference {number}")
            for number, reference in enumerate(references, 1)
        ),
        timing=timing,
        names=dict(names or {}),
    )


def _rate(report: CheckReport) -> str:
    share = report.flagged / len(report.segments) if report.segments else 0.0
    kinds = ", ".join(f"{count} {kind}" for kind, count in report.by_kind().items())
    return f"{report.flagged} of {len(report.segments)} lines ({share:.1%})" + (
        f": {kinds}" if kinds else ""
    )


def _reference_names(report: EvalReport) -> list[str]:
    given = list(report.names.get("references") or [])
    return [
        given[number] if number < len(given) else f"reference {number + 1}"
        for number in range(len(report.reference_checks))
    ]


def eval_to_dict(report: EvalReport) -> dict[str, Any]:
    """The report as JSON-ready data (`debrief eval --format json`)."""

    def checks(check_report: CheckReport, **name: str) -> dict[str, Any]:
        return {
            **name,
            "flagged": check_report.flagged,
            "rate": check_report.flagged / report.lines if report.lines else 0.0,
            "by_kind": check_report.by_kind(),
        }

    record: dict[str, Any] = {
        **report.names,
        "lines": report.lines,
        "scores": {
            score.metric: {"score": round(score.score, 4), "signature": score.signature}
            for score in report.scores
        },
        "checks": checks(report.checks),
        "reference_checks": [
            checks(reference, reference=name)
            for reference, name in zip(
                report.reference_checks, _reference_names(report), strict=True
            )
        ],
    }
    if report.timing is not None:
        timing = report.timing
        record["translation"] = {
            "model": timing.model,
            "settings": timing.settings,
            "seconds": round(timing.seconds, 3),
            "lines": timing.lines,
            "german_words": timing.german_words,
            "lines_per_second": round(timing.lines_per_second, 3),
            "words_per_second": round(timing.words_per_second, 3),
        }
    return record


def render_eval_report(report: EvalReport) -> str:
    """The report as text: one line a metric (with its signature), the checks' flag rate
    on the translation and on each reference, and the translation time if timed."""
    width = max(len(score.metric) for score in report.scores)
    lines = [
        f"{score.metric:<{width}}  {score.score:6.2f}  {score.signature}" for score in report.scores
    ]
    lines.append(f"checks flag {_rate(report.checks)}")
    for reference, name in zip(report.reference_checks, _reference_names(report), strict=True):
        lines.append(f"  on the reference {name}: {_rate(reference)}")
    if report.timing is not None:
        timing = report.timing
        lines.append(
            f"translated {timing.lines} lines in {timing.seconds:.1f} s "
            f"({timing.lines_per_second:.2f} lines/s, {timing.words_per_second:.1f} German "
            f"words/s) with {timing.model}"
        )
    return "\n".join(lines) + "\n"
