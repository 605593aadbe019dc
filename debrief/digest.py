"""`debrief digest`: feeds in, the new stories translated and briefed, one digest out.

    from debrief.digest import plan_digest, run_digest

    plan = plan_digest(["https://www.tagesschau.de/index~rss2.xml"], "digest")
    result = run_digest(plan)
    result.new, result.done, result.failed

Each feed is read (debrief/feeds.py); the items not done before in this out-dir
(debrief/digest_state.py: by guid, canonical URL and, once read, text) are each story
once; `debrief run`'s own job (plan_job, run_job) fetches, translates, briefs, checks
and writes their four files; then digest.json, digest.md and digest.html are written
over all the out-dir's stories, the old ones kept. A feed or an item that fails costs
only itself. The state is saved after the job's files are written: a run stopped half
way does the rest next time (the translation cache keeps what it had translated).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from debrief.digest_state import DigestState, load_state, new_items, parse_since, text_hash
from debrief.errors import InputError
from debrief.feeds import ISO_UTC, FeedItem, feed_sources, read_feed
from debrief.job import run_job
from debrief.outputs.digest_page import (
    render_digest_html,
    render_digest_json,
    render_digest_markdown,
)
from debrief.outputs.files import folder_lock, write_files
from debrief.outputs.paths import output_paths, output_stem
from debrief.plan import JobPlan, plan_job
from debrief.story_likeness import fingerprint, most_alike
from debrief.tasks import RunResult

logger = logging.getLogger("debrief")

# What write_digest writes into the out-dir, over all its stories, and how.
DIGEST_FILES = {
    "digest.html": render_digest_html,
    "digest.md": render_digest_markdown,
    "digest.json": render_digest_json,
}
# A story is grouped with the near-identical ones done in the week before it: copies
# run within days, and the fingerprints kept in the state stay few.
GROUP_WINDOW = dt.timedelta(days=7)


@dataclass(frozen=True)
class DigestPlan:
    """What `run_digest` does: the feeds, how far back, how many items, and the job
    options of `debrief run` (`job`, whose inputs are filled in per run)."""

    feeds: tuple[str, ...]
    out_dir: Path
    job: JobPlan
    since: dt.timedelta | None = None
    max_items: int | None = None


@dataclass
class DigestResult:
    """How a digest run went: items new, done, skipped (done before, or twice), failed,
    a line for each failure, and each new item's url, status, stem and headline."""

    new: int = 0
    done: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)


def plan_digest(
    feeds: Sequence[str],
    out_dir: str | Path = "digest",
    *,
    feed_lists: Sequence[str | Path] = (),
    since: str | None = None,
    max_items: int | None = None,
    job: JobPlan | None = None,
    **job_options: Any,
) -> DigestPlan:
    """Check a digest before anything is fetched or loaded: the feeds (URLs, OPML or
    text lists), --since, --max-items, the out-dir's state, and `plan_job`'s options
    (models, runtime, fetching...), or the `job` already planned (a server's, whose
    models are loaded). One-line errors, exit 2."""
    urls = feed_sources(feeds, feed_lists)
    if not urls:
        raise InputError("no feed given; pass feed URLs or --feeds FILE")
    if max_items is not None and max_items < 1:
        raise InputError(f"--max-items must be at least 1 (got {max_items})")
    window = parse_since(since) if since else None
    out_dir = Path(out_dir)
    load_state(out_dir)  # a damaged state is refused now, not after the feeds are read
    if job is None:
        job = plan_job((), out_dir, inputs_later=True, **job_options)
    else:
        job = dataclasses.replace(job, out_dir=out_dir)
    return DigestPlan(tuple(urls), out_dir, job, window, max_items)


def _stems(items: Sequence[FeedItem], out_dir: Path, state: DigestState) -> list[str]:
    """A stem for each item's files that no earlier story of this out-dir has (a
    failure tried again keeps its own)."""
    taken = {entry.get("stem") for entry in state.stories.values()}
    stems = []
    for item in items:
        earlier = state.entry_of(item).get("stem")
        if earlier:  # a failure tried again keeps the stem it had
            stems.append(earlier)
            continue
        base = output_stem(item.url) or "story"
        stem, number = base, 1
        while stem in taken or any(p.exists() for p in output_paths(item.url, out_dir, stem)):
            number += 1
            stem = f"{base}-{number}"
        taken.add(stem)
        stems.append(stem)
    return stems


def _entry(item: FeedItem, result: RunResult, stem: str) -> tuple[dict[str, Any], list[str]]:
    """The digest entry of a finished item, from the record the job wrote, and its
    German paragraphs (none: it failed)."""
    now = dt.datetime.now(dt.UTC).strftime(ISO_UTC)
    entry: dict[str, Any] = {
        "url": item.url,
        "feed": item.feed,
        "outlet": item.outlet,
        "published": item.published,
        "title": item.title,
        "done": now,
        "stem": stem,
    }
    if not result.ok or result.outputs is None:
        return {**entry, "status": "failed", "error": result.error}, []
    record = json.loads(result.outputs.record.read_text(encoding="utf-8"))
    flags = Counter(check["kind"] for check in record.get("checks", []))
    entry.update(
        status="done",
        title=record.get("title") or item.title,
        headline=record.get("title_translation"),
        brief=(record.get("summary") or {}).get("text"),
        flags=dict(flags),
        files={
            "review": result.outputs.review.name,
            "translation": result.outputs.translation.name,
            "brief": result.outputs.summary.name,
            "record": result.outputs.record.name,
        },
    )
    return entry, [paragraph["source"] for paragraph in record["paragraphs"]]


def write_digest(state: DigestState, out_dir: Path) -> None:
    """digest.json, digest.md and digest.html over every story done in `out_dir`: the
    same story under a second URL listed with the first (`also`), near-identical
    stories given the stem of their group's first story (`group`)."""
    also: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for story in state.stories.values():
        if story.get("same_as"):
            also[story["same_as"]].append({"url": story["url"], "outlet": story.get("outlet")})
    shown = {
        key: story
        for key, story in state.stories.items()
        if story.get("status") == "done" and not story.get("same_as")
    }
    leaders = {story["group"] for story in shown.values() if story.get("group") in shown}
    stories = []
    for key, story in shown.items():
        entry = {name: value for name, value in story.items() if name != "fingerprint"}
        entry.pop("group", None)
        leader = story.get("group") if story.get("group") in shown else key
        if leader in leaders:
            entry["group"] = shown[leader]["stem"]
        if also.get(story["stem"]):
            entry["also"] = also[story["stem"]]
        stories.append(entry)
    write_files({out_dir / name: render(stories) for name, render in DIGEST_FILES.items()})


def _fresh_items(plan: DigestPlan, state: DigestState, result: DigestResult) -> list[FeedItem]:
    """The new items of the plan's feeds, newest first, at most max_items; a feed that
    fails is counted and logged, the others are read."""
    items: list[FeedItem] = []
    for url in plan.feeds:
        try:
            feed = read_feed(url, plan.job.fetch)
        except InputError as error:
            result.failed += 1
            result.errors.append(str(error))
            logger.error("error: %s", error)
            continue
        logger.info("%s: %d items", url, len(feed.items))
        items += feed.items
    fresh, result.skipped = new_items(items, state, plan.since)
    fresh.sort(key=lambda item: item.published or "", reverse=True)
    if plan.max_items is not None and len(fresh) > plan.max_items:
        result.skipped += len(fresh) - plan.max_items
        fresh = fresh[: plan.max_items]
    result.new = len(fresh)
    return fresh


def _remember(state: DigestState, item: FeedItem, outcome: RunResult, stem: str) -> dict:
    """Record a finished item in the state, saved at once: the same text as an earlier
    story is `same_as` it; else its fingerprint is kept, and a near-identical earlier
    story's group joined."""
    entry, german = _entry(item, outcome, stem)
    if entry["status"] == "failed":
        entry["attempts"] = state.entry_of(item).get("attempts", 0) + 1
    digest = text_hash(german) if german else None
    same = state.known_text(digest) if digest else None
    if same is not None and same in state.stories:
        entry["same_as"] = state.stories[same].get("stem")
    elif german:
        entry["fingerprint"] = fingerprint(german)
        alike = most_alike(entry["fingerprint"], state.fingerprints())
        if alike is not None:
            entry["group"] = state.stories[alike].get("group") or alike
    state.remember(item, entry, digest if same is None else None)
    state.save()
    return entry


def run_digest(
    plan: DigestPlan,
    *,
    on_item: Callable[[FeedItem, dict[str, Any], int, int], None] | None = None,
    result: DigestResult | None = None,
    **job_events: Any,
) -> DigestResult:
    """Run the digest `plan` describes (see the module's docstring); `on_item(item,
    entry, finished, new)` hears of each item as it is done or fails (`finished` of the
    run's `new` items so far); `job_events` go to `run_job` (progress, models). The
    counts fill `result` (a new one when not given) as the run goes. The out-dir is
    held for the run: a second digest there at the same time is refused (UsageError)."""
    result = result if result is not None else DigestResult()
    busy = (
        f"{plan.out_dir}: another digest is running there; wait for it to finish, or "
        "choose another --out-dir"
    )
    with folder_lock(plan.out_dir, busy):  # two runs at once would lose each other's items
        state = load_state(plan.out_dir)
        state.forget_old_fingerprints(GROUP_WINDOW)  # saved with the first item done
        fresh = _fresh_items(plan, state, result)
        stems = _stems(fresh, plan.out_dir, state)
        by_input = {item.url: (item, stem) for item, stem in zip(fresh, stems, strict=True)}

        def finished(outcome: RunResult) -> None:
            item, stem = by_input[str(outcome.input)]
            entry = _remember(state, item, outcome, stem)
            result.items.append(
                {key: entry.get(key) for key in ("url", "status", "stem", "headline", "error")}
            )
            if entry["status"] == "done":
                result.done += 1
            else:
                result.failed += 1
                result.errors.append(f"{item.url}: {entry.get('error')}")
            if on_item:
                on_item(item, entry, len(result.items), result.new)

        if fresh:
            job = dataclasses.replace(plan.job, inputs=tuple(by_input), stems=tuple(stems))
            run_job(job, on_result=finished, **job_events)
        write_digest(state, plan.out_dir)
    return result
