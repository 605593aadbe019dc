"""Write files so that readers never see half of one: all of a set, or none.

An interrupted or failing run (a full disk, Ctrl-C) leaves either the old files or the
new ones; a temporary file left by a killed run is removed by the next write.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import glob
import os
import stat
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from debrief.errors import OutputError, UsageError

# A temporary file older than this was left by a killed run: no write of debrief's takes
# minutes, so removing it cannot disturb a run that is still writing.
STALE_TEMPORARY_SECONDS = 600


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _temporaries_of(path: Path) -> list[Path]:
    return list(path.parent.glob(f".{glob.escape(path.name)}.*.tmp"))


def _remove_stale_temporaries(path: Path) -> None:
    now = time.time()
    for temporary in _temporaries_of(path):
        try:
            if now - temporary.lstat().st_mtime > STALE_TEMPORARY_SECONDS:
                temporary.unlink()
        except OSError:
            pass


def _open_for(descriptor_or_path, content: str | bytes):
    if isinstance(content, bytes):
        return open(descriptor_or_path, "wb")
    return open(descriptor_or_path, "w", encoding="utf-8", newline="\n")


def _write_directly(path: Path, text: str | bytes) -> None:
    with _open_for(path, text) as handle:
        handle.write(text)


def _write_temporary(target: Path, text: str | bytes) -> Path:
    """`text` in a new temporary file beside `target`, flushed to disk, with the mode
    `target` has (or, for a new file, what the umask gives a new file)."""
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_current_umask()
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        os.fchmod(descriptor, mode)
        with _open_for(descriptor, text) as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _is_replaceable(path: Path) -> bool:
    """Whether `path` is written by renaming a new file over it: a regular file with no
    other hard links, or nothing yet. Special files (/dev/null, a FIFO, a terminal) are
    written into, and so are hard-linked files, whose other names must see the text."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return True
    return stat.S_ISREG(info.st_mode) and info.st_nlink == 1


def write_failure(path: str | Path, error: OSError) -> OutputError:
    """The one-line error for an output that could not be written."""
    reason = error.strerror or str(error)
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        advice = "free some space or choose another output"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        advice = "check the permissions or choose another output"
    else:
        advice = "choose another output"
    return OutputError(f"could not write {path}: {reason}; {advice}")


def write_files(files: Mapping[str | Path, str | bytes]) -> None:
    """Write each text to its path, all together: every new file is written in full
    before any existing one is replaced, so a full disk or a failure leaves either all
    the old files or all the new ones (special files and hard-linked files, written
    into, come last).

    A symbolic link is written through to its target. A new file gets the mode the
    umask gives; a replaced one keeps its mode. Readers never see half a file.
    OutputError (one line) for a file that cannot be written.
    """
    targets = {Path(os.path.realpath(path)): (Path(path), text) for path, text in files.items()}
    temporaries: dict[Path, Path] = {}
    target = next(iter(targets), None)
    try:
        for target, (_, text) in targets.items():
            if _is_replaceable(target):
                target.parent.mkdir(parents=True, exist_ok=True)
                _remove_stale_temporaries(target)
                temporaries[target] = _write_temporary(target, text)
        for target, temporary in temporaries.items():
            os.replace(temporary, target)
        for target, (_, text) in targets.items():
            if target not in temporaries:
                _write_directly(target, text)
    except BaseException as error:
        for temporary in temporaries.values():
            temporary.unlink(missing_ok=True)
        if isinstance(error, OSError) and target is not None:
            raise write_failure(targets[target][0], error) from error
        raise


def write_atomic(path: str | Path, text: str | bytes) -> None:
    """Write `text` to `path` so that readers see the old file or the new one, never half
    (see `write_files`; a special file such as /dev/null is written into)."""
    write_files({path: text})


@contextmanager
def folder_lock(folder: Path, busy: str) -> Iterator[None]:
    """Hold `folder` (made if need be) for this process alone while the block runs: a
    second run writing there at the same time would lose the first one's work.
    UsageError(`busy`) where another process holds it. A folder made here and left
    empty is removed."""
    made = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(busy) from None
        yield
    finally:
        os.close(descriptor)  # releases the lock
        if made:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if empty
