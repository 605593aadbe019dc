"""What a command reports when it is done, and the exit codes it returns (README: Exit
codes): one QA line per article (what the checks flagged, what was retried), one line
per archive, and the exit code for flagged items under --strict.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from debrief.tasks import RunResult
from translate.article import Check, Retry

EXIT_OK = 0


EXIT_FLAGGED = 3


EXIT_SOME_INPUTS_FAILED = 4


EXIT_INTERRUPTED = 130


logger = logging.getLogger("debrief")


def report_checks(
    name: str,
    checks: Sequence[Check],
    segments: int,
    verbose: bool,
    brief_sentences: int = 0,
    retries: Sequence[Retry] = (),
) -> None:
    logger.info("%s: %s", name, describe_checks(checks, segments, brief_sentences, len(retries)))
    if verbose:
        list_checks(checks)
        for retry in retries:
            logger.info(
                "  retried paragraph %d, segment %d: %s; kept %s",
                retry.paragraph,
                retry.segment,
                ", ".join(retry.tried),
                retry.kept or "the first translation",
            )


def list_checks(checks: Sequence[Check]) -> None:
    for check in checks:
        logger.info(
            "  %s, paragraph %d, segment %d: %s: %s",
            check.stage,
            check.paragraph,
            check.segment,
            check.kind,
            check.detail,
        )


def flagged_exit(flagged: int) -> int:
    print(
        f"debrief: {flagged} items flagged by the checks (see --verbose); --strict exits 3",
        file=sys.stderr,
    )
    return EXIT_FLAGGED


def report_archives(results: Sequence[RunResult]) -> None:
    """One line per archive records folder: how many records, failures and flags."""
    folders: dict[Path, list[RunResult]] = {}
    for result in results:
        if result.records is not None:
            folders.setdefault(result.records, []).append(result)
    for folder, archived in folders.items():
        failed = sum(not result.ok for result in archived)
        flagged = sum(bool(result.checks) for result in archived)
        logger.info(
            "%s: %d records written (%d with an error, %d flagged by the checks)",
            folder,
            len(archived),
            failed,
            flagged,
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _kinds(checks: Sequence[Check]) -> str:
    kinds = Counter(check.kind for check in checks)
    return ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))


def describe_checks(
    checks: Sequence[Check], segments: int, brief_sentences: int = 0, retried: int = 0
) -> str:
    """One line for a QA summary: how much was checked, retried and flagged.

    `retried` segments were translated again because they were flagged; those still
    flagged are counted among the flagged, the others as fixed. The brief's part appears
    when `brief_sentences` were checked.
    """
    translation = [check for check in checks if check.stage == "translation"]
    summary = [check for check in checks if check.stage == "summary"]
    flagged = len({(check.paragraph, check.segment) for check in translation})
    line = f"{_count(segments, 'segment')} checked, "
    if retried:
        line += f"{retried} retried ({retried - flagged} fixed), "
    line += f"{flagged} flagged ({_kinds(translation)})" if translation else "nothing flagged"
    if brief_sentences:
        line += "; brief: " + describe_brief_checks(summary, brief_sentences)
    return line


def describe_brief_checks(checks: Sequence[Check], brief_sentences: int) -> str:
    """The QA summary of a brief's checks."""
    summary = [check for check in checks if check.stage == "summary"]
    return f"{_count(brief_sentences, 'sentence')} checked, " + (
        f"{len(summary)} items flagged ({_kinds(summary)})" if summary else "nothing flagged"
    )
