"""An on-disk cache of finished translations, so that an interrupted run resumes.

Each translated piece is stored under a key made of the model's identity (name and Hub
revision or weights hash), the generation settings and the source text, so a change of
any of them misses the cache. sqlite in WAL mode with one short transaction per batch: a
run killed at any moment keeps every batch it finished, and concurrent runs share the file.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from debrief.models import cache_directory

_LOOKUP_CHUNK = 500  # under sqlite's limit on query parameters


def default_cache_path() -> Path:
    """$DEBRIEF_CACHE_DIR/translations.sqlite3, else the user cache directory's."""
    return cache_directory() / "translations.sqlite3"


def model_identity(name: str, revision: str | None, settings: dict[str, Any]) -> str:
    """What decides a translation besides its source text, as one stable string."""
    return json.dumps({"model": name, "revision": revision, "settings": settings}, sort_keys=True)


class TranslationCache:
    """Translations of source pieces, keyed by model identity and source text."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_cache_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # autocommit mode: each `with self._connection` block is one short transaction
        self._connection = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._connection.execute(
            "CREATE TABLE IF NOT EXISTS translations "
            "(key TEXT PRIMARY KEY, translation TEXT NOT NULL)"
        )

    @staticmethod
    def _key(identity: str, text: str) -> str:
        return hashlib.sha256(f"{identity}\0{text}".encode()).hexdigest()

    def lookup(self, identity: str, texts: Sequence[str]) -> dict[str, str]:
        """The cached translations among `texts`, by source text."""
        keys = {self._key(identity, text): text for text in set(texts)}
        found: dict[str, str] = {}
        key_list = list(keys)
        for start in range(0, len(key_list), _LOOKUP_CHUNK):
            chunk = key_list[start : start + _LOOKUP_CHUNK]
            placeholders = ",".join("?" * len(chunk))
            rows = self._connection.execute(
                f"SELECT key, translation FROM translations WHERE key IN ({placeholders})", chunk
            )
            for key, translation in rows:
                found[keys[key]] = translation
        return found

    def store(self, identity: str, pairs: Iterable[tuple[str, str]]) -> None:
        """Store (source, translation) pairs in one transaction."""
        rows = [(self._key(identity, source), translation) for source, translation in pairs]
        with self._connection:
            self._connection.execute("BEGIN IMMEDIATE")
            self._connection.executemany(
                "INSERT OR REPLACE INTO translations (key, translation) VALUES (?, ?)", rows
            )

    def __len__(self) -> int:
        return self._connection.execute("SELECT COUNT(*) FROM translations").fetchone()[0]

    def close(self) -> None:
        self._connection.close()
