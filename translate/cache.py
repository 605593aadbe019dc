"""An on-disk cache of finished translations, so that an interrupted run resumes.

Each translated piece is stored under a key made of the model's identity (its Hub
revision or the hash of a local directory's files, never how its path was spelled), the
generation settings and the source text, so a change of any of them misses the cache.
sqlite in WAL mode with one short transaction per batch: a run killed at any moment keeps
every batch it finished, and concurrent runs share the file.

The cache is an optimisation, never a reason to fail: a damaged file is moved aside and
a fresh one started; a cache that cannot be written is given up with one warning, and
the run goes on without it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from debrief.runtime.models import cache_directory

logger = logging.getLogger("debrief")

_LOOKUP_CHUNK = 500  # under sqlite's limit on query parameters
# How long to wait for another process's lock. sqlite's busy timeout does not cover
# switching a new database to WAL, so that step waits in a loop of its own.
BUSY_SECONDS = 60
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS translations (key TEXT PRIMARY KEY, translation TEXT NOT NULL)"
)


def default_cache_path() -> Path:
    """$DEBRIEF_CACHE_DIR/translations.sqlite3, else the user cache directory's."""
    return cache_directory() / "translations.sqlite3"


def model_identity(name: str, revision: str | None, settings: dict[str, Any]) -> str:
    """What decides a translation besides its source text, as one stable string: the
    model's content identity (its revision; the name only where none is known) and the
    generation settings."""
    model = {"revision": revision} if revision else {"model": name}
    return json.dumps({**model, "settings": settings}, sort_keys=True)


class CacheUnusable(Exception):
    """The cache cannot be opened or written here; the run goes on without it."""


def _is_busy(error: sqlite3.Error) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def _is_damage(error: sqlite3.Error) -> bool:
    # Errors of the file's contents, as opposed to its folder or the disk.
    text = str(error)
    return (
        isinstance(error, sqlite3.DatabaseError)
        and not any(
            reason in text for reason in ("readonly", "unable to open", "disk is full", "disk I/O")
        )
        and not _is_busy(error)
    )


class TranslationCache:
    """Translations of source pieces, keyed by model identity and source text.

    Opening moves a damaged file aside (and says where) and starts a fresh one; a cache
    that cannot be opened raises `CacheUnusable`. Once open, a failure to read or write
    disables the cache with one warning: lookups then find nothing, stores do nothing.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_cache_path()
        self.disabled = False
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._connection = self._open()
        except sqlite3.Error as error:
            if not _is_damage(error):
                raise CacheUnusable(f"{self.path}: {error}") from error
            aside = self._move_aside()
            logger.warning(
                "warning: the translation cache %s was damaged (%s); moved it to %s and "
                "started a fresh one",
                self.path,
                error,
                aside,
            )
            try:
                self._connection = self._open()
            except sqlite3.Error as again:
                raise CacheUnusable(f"{self.path}: {again}") from again
        except OSError as error:
            raise CacheUnusable(f"{self.path.parent}: {error.strerror or error}") from error

    def _open(self) -> sqlite3.Connection:
        # autocommit mode: each `with self._connection` block is one short transaction.
        # Any thread may use the cache (a Ray actor is made in one thread and called in
        # another); `_lock` makes their uses one at a time, as sqlite3 then requires.
        connection = sqlite3.connect(
            self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False
        )
        try:
            # The shape first, so that a file of another kind is moved aside as it was.
            connection.execute(_SCHEMA)
            shape = connection.execute(
                "SELECT type FROM sqlite_master WHERE name = 'translations'"
            ).fetchall()
            columns = [row[1] for row in connection.execute("PRAGMA table_info(translations)")]
            if shape != [("table",)] or columns != ["key", "translation"]:
                raise sqlite3.DatabaseError("its translations table has another shape")
            deadline = time.monotonic() + BUSY_SECONDS
            while True:
                try:
                    connection.execute("PRAGMA journal_mode=WAL")
                    break
                except sqlite3.OperationalError as error:
                    if not _is_busy(error) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            connection.execute("PRAGMA synchronous=NORMAL")
        except BaseException:
            connection.close()
            raise
        return connection

    def _move_aside(self) -> Path:
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%dT%H%M%S')}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            if source.exists():
                source.replace(f"{aside}{suffix}")
        return aside

    def _give_up(self, error: sqlite3.Error) -> None:
        if not self.disabled:
            logger.warning(
                "warning: the translation cache %s cannot be used (%s); going on without it",
                self.path,
                error,
            )
        self.disabled = True

    @staticmethod
    def _key(identity: str, text: str) -> str:
        return hashlib.sha256(f"{identity}\0{text}".encode()).hexdigest()

    def lookup(self, identity: str, texts: Sequence[str]) -> dict[str, str]:
        """The cached translations among `texts`, by source text."""
        if self.disabled:
            return {}
        keys = {self._key(identity, text): text for text in set(texts)}
        key_list = list(keys)
        found: dict[str, str] = {}
        try:
            with self._lock:
                for start in range(0, len(key_list), _LOOKUP_CHUNK):
                    chunk = key_list[start : start + _LOOKUP_CHUNK]
                    placeholders = ",".join("?" * len(chunk))
                    rows = self._connection.execute(
                        f"SELECT key, translation FROM translations WHERE key IN ({placeholders})",
                        chunk,
                    )
                    for key, translation in rows:
                        if isinstance(translation, str):
                            found[keys[key]] = translation
        except sqlite3.Error as error:
            self._give_up(error)
            return {}
        return found

    def store(self, identity: str, pairs: Iterable[tuple[str, str]]) -> None:
        """Store (source, translation) pairs in one transaction."""
        if self.disabled:
            return
        rows = [(self._key(identity, source), translation) for source, translation in pairs]
        try:
            with self._lock, self._connection:
                self._connection.execute("BEGIN IMMEDIATE")
                self._connection.executemany(
                    "INSERT OR REPLACE INTO translations (key, translation) VALUES (?, ?)", rows
                )
        except sqlite3.Error as error:
            self._give_up(error)

    def __len__(self) -> int:
        with self._lock:
            return self._connection.execute("SELECT COUNT(*) FROM translations").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._connection.close()
