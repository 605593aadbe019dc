"""What `debrief digest` has done in an out-dir, so that a rerun does only what is new
and an interrupted run resumes: every item done, known by its guid, its canonical URL
and the hash of its German text (a story republished under a second URL is the same
story), kept in one JSON file written atomically after each item.

    state = load_state(Path("digest"))
    fresh, skipped = new_items(feed.items, state, since=None)
    state.remember(fresh[0], {"status": "done", "stem": "..."}, text_hash(paragraphs))
    state.save()
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from debrief.errors import InputError
from debrief.feeds import ISO_UTC, FeedItem

STATE_FILE = ".debrief-digest.json"
STATE_VERSION = 1
# An item whose page failed (unreachable, no article text yet) is tried again on the
# next runs, this many times in all: a page down for an hour is not lost, and one that
# never reads does not cost a fetch every morning for ever.
MAX_ATTEMPTS = 3


def canonical_url(url: str) -> str:
    """`url` as one story has one: scheme and host in lower case, no fragment, no
    tracking parameters (utm_*, at_medium, ...), courlan's normalisation."""
    from courlan import normalize_url

    try:
        return normalize_url(url, strict=True)
    except ValueError:
        return url


def text_hash(paragraphs: Iterable[str]) -> str:
    """A hash of an article's German text, whitespace ignored: the same story under two
    URLs hashes alike."""
    text = " ".join(" ".join(paragraph.split()) for paragraph in paragraphs)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def item_keys(item: FeedItem) -> list[str]:
    """The keys an item is known by before it is read: its guid and canonical URL."""
    keys = [f"url:{canonical_url(item.url)}"]
    if item.guid and item.guid.lower().startswith(("http://", "https://")):
        keys.insert(0, f"url:{canonical_url(item.guid)}")
    elif item.guid:
        # A guid that is no URL is unique only within its feed.
        keys.insert(0, f"guid:{item.feed}:{item.guid}")
    return list(dict.fromkeys(keys))


@dataclass
class DigestState:
    """The items an out-dir's digest holds, by every key they are known by."""

    path: Path
    stories: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> entry
    keys: dict[str, str] = field(default_factory=dict)  # key -> id

    def known(self, item: FeedItem) -> str | None:
        """The id of the story `item` is (by guid or canonical URL), or None."""
        return next((self.keys[key] for key in item_keys(item) if key in self.keys), None)

    def entry_of(self, item: FeedItem) -> dict[str, Any]:
        """The entry of the story `item` is known as, or {} for a new one."""
        return self.stories.get(self.known(item) or "", {})

    def to_retry(self, item: FeedItem) -> bool:
        """Whether `item` failed before and has attempts left."""
        entry = self.entry_of(item)
        return entry.get("status") == "failed" and entry.get("attempts", 1) < MAX_ATTEMPTS

    def known_text(self, digest: str) -> str | None:
        """The id of the story whose German text hashes to `digest`, or None."""
        return self.keys.get(f"text:{digest}")

    def remember(self, item: FeedItem, entry: dict[str, Any], digest: str | None = None) -> str:
        """Record `item` as done (or failed: `entry["status"]`), under all its keys."""
        story = (
            self.known(item)
            or (self.known_text(digest) if digest else None)
            or canonical_url(item.url)
        )
        merged = {**self.stories.get(story, {}), **entry}
        if entry.get("status") == "done":  # a failure tried again, and done this time
            merged.pop("error", None)
            merged.pop("attempts", None)
        self.stories[story] = merged
        for key in [*item_keys(item), *([f"text:{digest}"] if digest else [])]:
            self.keys[key] = story
        return story

    def fingerprints(self) -> dict[str, list[int]]:
        """The German text fingerprint of each story that has one (see
        debrief/story_likeness.py), by id."""
        return {
            story: entry["fingerprint"]
            for story, entry in self.stories.items()
            if entry.get("fingerprint")
        }

    def forget_old_fingerprints(self, window: dt.timedelta, now: dt.datetime | None = None) -> None:
        """Drop the fingerprints of stories done longer than `window` ago: a story is
        grouped only with recent ones, and the state stays small."""
        cutoff = (now or dt.datetime.now(dt.UTC)) - window
        for entry in self.stories.values():
            if entry.get("fingerprint") and _date(entry.get("done") or "") < cutoff:
                del entry["fingerprint"]

    def save(self) -> None:
        from debrief.outputs.files import write_atomic

        record = {"version": STATE_VERSION, "stories": self.stories, "keys": self.keys}
        write_atomic(self.path, json.dumps(record, ensure_ascii=False, indent=1) + "\n")


def load_state(out_dir: Path) -> DigestState:
    """The state of `out_dir`'s digest (empty when there is none); a one-line InputError
    for a state file that cannot be read: redoing everything would overwrite what a
    reader has."""
    path = Path(out_dir) / STATE_FILE
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return DigestState(path)
    except (OSError, ValueError) as error:
        raise InputError(
            f"{path} cannot be read ({type(error).__name__}); move it away to start the "
            "digest afresh, or choose another --out-dir"
        ) from None
    if (
        not isinstance(record, dict)
        or record.get("version") != STATE_VERSION
        or not isinstance(record.get("stories"), dict)
        or not isinstance(record.get("keys"), dict)
    ):
        raise InputError(
            f"{path} is not a debrief digest state; move it away to start afresh, or "
            "choose another --out-dir"
        )
    return DigestState(path, record["stories"], record["keys"])


def parse_since(value: str) -> dt.timedelta:
    """--since: a duration such as 24h, 90m, 2d or 1w."""
    units = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
    number, unit = value[:-1], value[-1:].lower()
    if unit not in units or not number.isdigit() or int(number) < 1:
        raise InputError(f"--since {value!r}: give a duration such as 24h, 90m, 2d or 1w")
    return dt.timedelta(**{units[unit]: int(number)})


def new_items(
    items: Iterable[FeedItem],
    state: DigestState,
    since: dt.timedelta | None = None,
    now: dt.datetime | None = None,
) -> tuple[list[FeedItem], int]:
    """The items not done yet (or failed, with attempts left), each story once (an item
    in two feeds, or twice in one, is taken the first time), newer than `since` when
    given (an item without a date is kept); and how many were left out."""
    now = now or dt.datetime.now(dt.UTC)
    cutoff = (now - since) if since is not None else None
    chosen: list[FeedItem] = []
    taken: set[str] = set()
    skipped = 0
    for item in items:
        keys = item_keys(item)
        old = cutoff is not None and item.published and _date(item.published) < cutoff
        done_before = state.known(item) is not None and not state.to_retry(item)
        if done_before or taken.intersection(keys) or old:
            skipped += 1
            continue
        taken.update(keys)
        chosen.append(item)
    return chosen, skipped


def _date(iso: str) -> dt.datetime:
    """An ISO_UTC time; the earliest time for one that is not (an old or edited state)."""
    try:
        return dt.datetime.strptime(iso, ISO_UTC).replace(tzinfo=dt.UTC)
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
