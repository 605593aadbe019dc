"""`debrief check`: the faithfulness checks on a translation that exists already (a
human's, another system's, debrief's own), against its German source. No model.

    from debrief.check import check_files

    report = check_files("newstest.de", "system.en", lines=True)
    report.flagged, report.by_kind()

Two shapes of input. With `lines`, line i of the English translates line i of the German
(WMT test sets, the output of most MT tools); every line is one segment. Without it, the
two files are articles: paragraphs (separated by blank lines) are aligned one to one,
and inside a paragraph the German sentences with the English ones when both count the
same, else the paragraph is checked as one segment.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from debrief.errors import InputError
from summarize.chunking import split_sentences
from translate.article import Check, parse_article
from translate.checks import check_segment, glossary_checks
from translate.glossary import Glossary, TermHit
from translate.reading import MAX_INPUT_BYTES, decode_input, read_input_bytes
from translate.segment import segment_paragraph

CHECK_FORMATS = ("txt", "json", "jsonl")


@dataclass(frozen=True)
class CheckedSegment:
    """One German segment, its English, and what the checks flagged. `line` counts from
    1 (with `lines`); `paragraph` and `segment` from 0, as in debrief's JSON record."""

    german: str
    english: str
    checks: tuple[Check, ...]
    line: int | None = None
    paragraph: int = 0
    segment: int = 0
    # With a glossary: the terms the German holds, each with whether the English kept it.
    terms: tuple[TermHit, ...] = ()


@dataclass(frozen=True)
class CheckReport:
    """Every segment of a translation with its checks, in order."""

    german: str
    english: str
    lines: bool
    segments: tuple[CheckedSegment, ...]
    glossary: bool = False

    @property
    def flagged(self) -> int:
        """How many segments the checks flagged."""
        return sum(bool(segment.checks) for segment in self.segments)

    def by_kind(self) -> dict[str, int]:
        """How many segments each kind of check flagged."""
        kinds = Counter(
            kind
            for segment in self.segments
            for kind in dict.fromkeys(check.kind for check in segment.checks)
        )
        return dict(sorted(kinds.items()))


def read_text_file(
    path: str | Path, encoding: str | None = None, max_bytes: int = MAX_INPUT_BYTES
) -> str:
    """A text file (or "-", standard input) decoded, with line ends made "\\n" and no BOM.
    Raises a one-line InputError for a missing, unreadable, binary or empty file."""
    name = "standard input" if str(path) == "-" else str(path)
    text = decode_input(read_input_bytes(path, max_bytes), name, encoding).text
    if not text.strip():
        raise InputError(f"{name}: is empty; there is nothing to check")
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def file_lines(text: str) -> list[str]:
    """The lines of a file's text, without line ends (a last line end makes no line)."""
    lines = text.split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def _checked(
    german: str,
    english: str,
    paragraph: int,
    segment: int,
    line: int | None,
    glossary: Glossary | None,
) -> CheckedSegment:
    """One segment checked, and checked against the glossary when there is one: a term
    whose English is missing is a "glossary" check."""
    terms = tuple(glossary.hits(german, english)) if glossary is not None else ()
    checks = check_segment(german, english, paragraph, segment)
    checks += glossary_checks(terms, paragraph, segment)
    return CheckedSegment(german, english, tuple(checks), line, paragraph, segment, terms)


def check_lines(
    german: Sequence[str], english: Sequence[str], glossary: Glossary | None = None
) -> list[CheckedSegment]:
    """Check line i of `english` as the translation of line i of `german`."""
    if len(german) != len(english):
        raise InputError(
            f"the German has {len(german)} lines and the English {len(english)}; with "
            "--lines, line i of one must translate line i of the other"
        )
    return [
        _checked(de, en, index, 0, index + 1, glossary)
        for index, (de, en) in enumerate(zip(german, english, strict=True))
    ]


def check_articles(
    german: str, english: str, glossary: Glossary | None = None
) -> list[CheckedSegment]:
    """Check an English article against its German one, paragraph by paragraph."""
    german_paragraphs = parse_article(german).paragraphs
    english_paragraphs = parse_article(english).paragraphs
    if len(german_paragraphs) != len(english_paragraphs):
        raise InputError(
            f"the German has {len(german_paragraphs)} paragraphs and the English "
            f"{len(english_paragraphs)}; keep them one to one (blank lines between), or "
            "pass --lines for files of one segment a line"
        )
    checked = []
    for paragraph, (de, en) in enumerate(zip(german_paragraphs, english_paragraphs, strict=True)):
        german_segments, english_segments = segment_paragraph(de), split_sentences(en)
        if len(german_segments) != len(english_segments):
            german_segments, english_segments = [" ".join(german_segments)], [en]
        for segment, (source, translation) in enumerate(
            zip(german_segments, english_segments, strict=True)
        ):
            checked.append(_checked(source, translation, paragraph, segment, None, glossary))
    return checked


def check_files(
    german: str | Path,
    english: str | Path,
    *,
    lines: bool = False,
    encoding: str | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
    glossary: Glossary | None = None,
) -> CheckReport:
    """Check the English file as a translation of the German one (see the module's
    docstring for the two shapes), and against `glossary` when given. Raises a one-line
    InputError for a missing, unreadable, binary or empty file, and for files that do
    not align."""
    german_text = read_text_file(german, encoding, max_bytes)
    english_text = read_text_file(english, encoding, max_bytes)
    if lines:
        segments = check_lines(file_lines(german_text), file_lines(english_text), glossary)
    else:
        segments = check_articles(german_text, english_text, glossary)
    return CheckReport(str(german), str(english), lines, tuple(segments), glossary is not None)


def _place(segment: CheckedSegment) -> dict[str, int]:
    if segment.line is not None:
        return {"line": segment.line}
    return {"paragraph": segment.paragraph, "segment": segment.segment}


def _items(segment: CheckedSegment) -> list[dict[str, str]]:
    return [{"kind": check.kind, "detail": check.detail} for check in segment.checks]


def _terms(segment: CheckedSegment) -> list[dict[str, object]]:
    return [hit.record() for hit in segment.terms]


def render_check_report(report: CheckReport, output_format: str) -> str:
    """The report as txt (one line per flagged item), json (the whole report) or jsonl
    (one object per line or segment, in order, with an empty list when clean)."""
    if output_format == "jsonl":
        return "".join(
            json.dumps(
                {
                    **_place(segment),
                    "checks": _items(segment),
                    **({"glossary": _terms(segment)} if report.glossary else {}),
                },
                ensure_ascii=False,
            )
            + "\n"
            for segment in report.segments
        )
    if output_format == "json":
        record = {
            "german": report.german,
            "english": report.english,
            "lines": report.lines,
            "segments": len(report.segments),
            "flagged": report.flagged,
            "by_kind": report.by_kind(),
            "checks": [
                {**_place(segment), **item}
                for segment in report.segments
                for item in _items(segment)
            ],
        }
        if report.glossary:
            hits = [
                {**_place(segment), **term}
                for segment in report.segments
                for term in _terms(segment)
            ]
            record["glossary"] = {
                "hits": len(hits),
                "kept": sum(bool(hit["kept"]) for hit in hits),
                "terms": hits,
            }
        return json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    lines = []
    for segment in report.segments:
        place = (
            f"line {segment.line}"
            if segment.line is not None
            else f"paragraph {segment.paragraph}, segment {segment.segment}"
        )
        lines += [f"{place}: {check.kind}: {check.detail}\n" for check in segment.checks]
    return "".join(lines)


def describe_report(report: CheckReport) -> str:
    """One line for stderr: how much was checked and flagged, by kind."""
    unit = "lines" if report.lines else "segments"
    kinds = ", ".join(f"{count} {kind}" for kind, count in report.by_kind().items())
    flagged = f"{report.flagged} flagged ({kinds})" if report.flagged else "nothing flagged"
    return f"{len(report.segments)} {unit} checked, {flagged}"
