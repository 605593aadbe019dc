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


EXIT_INTERNAL = 1


EXIT_FLAGGED = 3


EXIT_SOME_INPUTS_FAILED = 4


EXIT_INTERRUPTED = 130


EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE, as a shell reports a command killed by it


EXIT_TERMINATED = 143  # 128 + SIGTERM


logger = logging.getLogger("debrief")


def report_checks(
    name: str,
    checks: Sequence[Check],
    segments: int,
    verbose: bool,
    brief_sentences: int = 0,
    retries: Sequence[Retry] = (),
) -> None:
    logger.info("%s: %s", name, describe_checks(checks, segments, brief_sentences, retries))
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
        f"debrief: {counted(flagged, 'item')} flagged by the checks (see --verbose); "
        "--strict exits 3",
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
            "%s: %s written (%d with an error, %d flagged by the checks)",
            folder,
            counted(len(archived), "record"),
            failed,
            flagged,
        )


def counted(number: int, noun: str) -> str:
    """ "1 segment", "2 segments"."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _kinds(checks: Sequence[Check]) -> str:
    kinds = Counter(check.kind for check in checks)
    return ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))


def describe_checks(
    checks: Sequence[Check],
    segments: int,
    brief_sentences: int = 0,
    retries: Sequence[Retry] = (),
) -> str:
    """One line for a QA summary: how much was checked, retried and flagged.

    Segments retried because they were flagged count as fixed unless still flagged. A
    segment can fail several checks: where the checks outnumber the flagged segments,
    their number is given, so that the counts by kind add up. The brief's part appears
    when `brief_sentences` were checked.
    """
    translation = [check for check in checks if check.stage == "translation"]
    summary = [check for check in checks if check.stage == "summary"]
    flagged = {(check.paragraph, check.segment) for check in translation}
    line = f"{counted(segments, 'segment')} checked, "
    if retries:
        retried = {(retry.paragraph, retry.segment) for retry in retries}
        line += f"{len(retried)} retried ({len(retried - flagged)} fixed), "
    if not translation:
        line += "nothing flagged"
    elif len(translation) == len(flagged):
        line += f"{len(flagged)} flagged ({_kinds(translation)})"
    else:
        line += f"{len(flagged)} flagged ({len(translation)} checks: {_kinds(translation)})"
    if brief_sentences:
        line += "; brief: " + describe_brief_checks(summary, brief_sentences)
    return line


def describe_brief_checks(checks: Sequence[Check], brief_sentences: int) -> str:
    """The QA summary of a brief's checks."""
    summary = [check for check in checks if check.stage == "summary"]
    return f"{counted(brief_sentences, 'sentence')} checked, " + (
        f"{counted(len(summary), 'item')} flagged ({_kinds(summary)})"
        if summary
        else "nothing flagged"
    )
