"""What the command shows on the terminal: progress bars on stderr, one-line log
messages with control characters escaped, quiet model libraries, and Ctrl-C that is
never lost.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from debrief.errors import OutputError
from debrief.outputs.files import write_failure
from translate.pipeline import Progress

logger = logging.getLogger("debrief")


@contextmanager
def progress_bar(
    description: str, quiet: bool, unit: str = "seg", position: int = 0
) -> Iterator[Progress]:
    """A `Progress` callback drawing a tqdm bar on stderr, or doing nothing when quiet.

    The bar starts over when a new piece of work (a smaller count, another total) begins.
    """
    if quiet:
        yield lambda done, total: raise_if_interrupted()
        return
    from tqdm import tqdm
    from tqdm.contrib.logging import logging_redirect_tqdm

    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        raise_if_interrupted()
        if bar is None:
            bar = tqdm(
                total=total,
                desc=description,
                unit=unit,
                file=sys.stderr,
                leave=False,
                position=position,
                disable=None,  # no bar when stderr is not a terminal: logs stay readable
            )
        elif done < bar.n or total != bar.total:
            bar.reset(total=total)
        bar.update(done - bar.n)

    try:
        with logging_redirect_tqdm(loggers=[logger]):
            yield update
    finally:
        if bar is not None:
            bar.close()


# Messages quote file names and text, which can hold control characters: raw, an escape
# sequence would drive the terminal and a newline would break the one-line promise. Bidi
# controls (Unicode's Bidi_Control) and line separators are escaped too: U+202E in a file
# name would show "txt.exe" as "exe.txt", and U+2028 starts a new line in some terminals.
_ESCAPED_CONTROLS = {code: f"\\x{code:02x}" for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)]}
_ESCAPED_CONTROLS |= {
    code: f"\\u{code:04x}"
    for code in [0x061C, 0x200E, 0x200F, *range(0x2028, 0x202F), *range(0x2066, 0x206A)]
}


def printable(text: str) -> str:
    """`text` with every control character written as an escape (\\x1b, \\u202e), never
    raw."""
    return text.translate(_ESCAPED_CONTROLS)


def write_stdout(text: str) -> None:
    """Write `text` to standard output and flush it, or raise OutputError (one line) for
    an encoding that cannot hold it (checked before anything is written) or a failing
    write. BrokenPipeError passes: the reader went away (`| head`), `main` ends quietly."""
    stream = sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    if getattr(stream, "errors", "strict") == "strict":
        try:
            text.encode(encoding)
        except UnicodeEncodeError:
            raise OutputError(
                f"standard output is set to {encoding}, which cannot hold this text; set "
                "PYTHONIOENCODING=utf-8, or write to a file with -o"
            ) from None
        except LookupError:
            pass
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise write_failure("standard output", error) from error


class _PrintableFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def configure_logging(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_PrintableFormatter("debrief: %(message)s"))
    logger.handlers[:] = [handler]
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False


def quiet_transformers() -> None:
    # Called just before a model loads, so that errors before then stay fast. Our own
    # progress covers the work; transformers' loading bars and advice would bury it.
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()


# Python drops a KeyboardInterrupt that is raised while a finalizer runs (a __del__ or
# weakref callback, of which model code runs many); Ctrl-C would then be lost. The
# handler also remembers it, and every progress report raises it again. SIGTERM (kill,
# a service manager stopping the job) is handled the same way, and remembered as such.
interrupted = threading.Event()
stop_signals: list[int] = []


def on_interrupt(signum: int, frame: object) -> None:
    stop_signals.append(signum)
    interrupted.set()
    raise KeyboardInterrupt


def stopped_by() -> int | None:
    """The signal that stopped the command (SIGINT or SIGTERM), if any."""
    return stop_signals[0] if stop_signals else None


def raise_if_interrupted() -> None:
    if interrupted.is_set():
        raise KeyboardInterrupt
