"""The `debrief` command: argparse over the library (debrief/cli/parser.py), each
subcommand a few lines over a public function (commands.py), progress and messages on
stderr (terminal.py), a QA line per article and the exit codes (report.py).

Only `main` turns errors into exit codes; the README lists them.
"""

from __future__ import annotations

import signal
import sys
import threading

from debrief.cli.parser import build_parser
from debrief.cli.report import EXIT_INTERRUPTED
from debrief.cli.terminal import (
    configure_logging,
    interrupted,
    on_interrupt,
    printable,
    raise_if_interrupted,
)
from debrief.errors import DebriefError

__all__ = ["build_parser", "main"]


def main(argv: list[str] | None = None) -> int:
    """Run the `debrief` command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    interrupted.clear()
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous_handler = signal.signal(signal.SIGINT, on_interrupt) if in_main_thread else None
    try:
        configure_logging(args.quiet)
        code = args.handler(args)
        raise_if_interrupted()
        return code
    except DebriefError as error:
        if args.debug:
            raise
        print(f"debrief: error: {printable(str(error))}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        if args.debug:
            raise
        print("debrief: interrupted; no output file is left half-written", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if in_main_thread:
            signal.signal(signal.SIGINT, previous_handler)
