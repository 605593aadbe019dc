"""The `debrief` command: argparse over the library (debrief/cli/parser.py), each
subcommand a few lines over a public function (commands.py), progress and messages on
stderr (terminal.py), a QA line per article and the exit codes (report.py).

Only `main` turns errors into exit codes; the README lists them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading

from debrief.cli.parser import build_parser
from debrief.cli.report import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_PIPE_CLOSED, EXIT_TERMINATED
from debrief.cli.terminal import (
    configure_logging,
    interrupted,
    on_interrupt,
    printable,
    raise_if_interrupted,
    stop_signals,
    stopped_by,
)
from debrief.errors import DebriefError

__all__ = ["build_parser", "main"]

# An unexpected error's message is shown whole up to this many characters: enough for
# any exception's own words, short enough to stay one line in a terminal's history.
LONGEST_UNEXPECTED_MESSAGE = 300


def main(argv: list[str] | None = None) -> int:
    """Run the `debrief` command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    interrupted.clear()
    stop_signals.clear()
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = (
        {number: signal.signal(number, on_interrupt) for number in (signal.SIGINT, signal.SIGTERM)}
        if in_main_thread
        else {}
    )
    try:
        configure_logging(args.quiet)
        code = args.handler(args)
        raise_if_interrupted()
        return code
    except DebriefError as error:
        if args.debug:
            raise
        _error_line(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        if args.debug:
            raise
        if stopped_by() == signal.SIGTERM:
            _error_line("terminated (SIGTERM); no output file is left half-written", "")
            return EXIT_TERMINATED
        _error_line("interrupted; no output file is left half-written", "")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of standard output went away (`| head`): nothing is left to tell it,
        # and Python's own flush at exit must not fail again on the closed pipe.
        with (
            contextlib.suppress(OSError, ValueError, AttributeError),
            open(os.devnull, "w") as devnull,
        ):
            os.dup2(devnull.fileno(), sys.stdout.fileno())
        return EXIT_PIPE_CLOSED
    except Exception as error:
        if args.debug:
            raise
        message = f"{type(error).__name__}: {error}"
        if len(message) > LONGEST_UNEXPECTED_MESSAGE:
            message = message[: LONGEST_UNEXPECTED_MESSAGE - 3] + "..."
        _error_line(
            f"unexpected {message}; this is a bug in debrief: run the command again with "
            "--debug for the traceback and report it"
        )
        return EXIT_INTERNAL
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _error_line(message: str, prefix: str = "error: ") -> None:
    with contextlib.suppress(OSError):  # stderr itself gone: the exit code still tells
        print(f"debrief: {prefix}{printable(message)}", file=sys.stderr, flush=True)
