"""`debrief digest`: a few lines over debrief.digest (plan_digest, run_digest)."""

from __future__ import annotations

import argparse
import logging
import sys

from debrief.cli.commands import job_options
from debrief.cli.report import EXIT_FLAGGED, EXIT_OK, EXIT_SOME_INPUTS_FAILED
from debrief.cli.terminal import progress_bar, quiet_transformers

logger = logging.getLogger("debrief")


def run_digest_command(args: argparse.Namespace) -> int:
    from debrief.digest import plan_digest, run_digest

    plan = plan_digest(
        args.feeds,
        args.out_dir,
        feed_lists=args.feed_lists,
        since=args.since,
        max_items=args.max_items,
        **job_options(args),
    )
    quiet_transformers()
    flagged = 0

    def report(item, entry, finished: int, new: int) -> None:
        nonlocal flagged
        if entry["status"] == "done":
            flagged += sum(entry.get("flags", {}).values())
            logger.info(
                "[%d/%d] %s -> %s.html", finished, new, item.url, plan.out_dir / entry["stem"]
            )
        else:
            logger.error("error: [%d/%d] %s", finished, new, entry.get("error"))

    with progress_bar("translating", args.quiet) as progress:
        result = run_digest(plan, on_item=report, progress=progress)
    print(
        f"debrief: {result.new} new, {result.done} done, {result.skipped} skipped, "
        f"{result.failed} failed; digest in {plan.out_dir / 'digest.html'}",
        file=sys.stderr,
    )
    if result.failed:
        return EXIT_SOME_INPUTS_FAILED
    if args.strict and flagged:
        return EXIT_FLAGGED
    return EXIT_OK
