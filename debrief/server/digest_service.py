"""The digest `debrief serve --digest-dir DIR` keeps: `debrief digest`'s own code
(debrief.digest) run as a server job on the server's loaded models, into one folder,
one digest at a time; its page and its stories' files served read-only from there.

A client names feeds (or the server's --feeds are read); the server fetches them under
its own address policy, as it fetches a URL a client sends. Nothing a client sends
names a path on the server: files are served only when the digest lists them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from debrief.digest import DIGEST_FILES, DigestPlan, DigestResult, plan_digest, run_digest
from debrief.digest_state import load_state
from debrief.errors import InputError
from debrief.outputs.digest_page import render_digest_html
from debrief.plan import JobPlan
from debrief.server.service import DebriefService, Job
from summarize.model import Summary
from translate.glossary import Glossary


class DigestRunning(Exception):
    """A digest job is already running on this server's folder (HTTP 409)."""


class LockedSummarizer:
    """The server's summarizer, one brief at a time, shared with the other requests."""

    def __init__(self, summarizer: Any, lock: threading.Lock) -> None:
        self.summarizer, self.lock, self.name = summarizer, lock, summarizer.name

    def summarize(self, text: str, progress: Any = None) -> Summary:
        with self.lock:
            return self.summarizer.summarize(text, progress=progress)


class ServerDigest:
    """One digest folder and its feeds, behind the server's API and page."""

    def __init__(self, service: DebriefService, out_dir: Path, feeds: Sequence[str] = ()) -> None:
        self.service = service
        self.out_dir = Path(out_dir)
        self.feeds = tuple(feeds)
        self._running = threading.Lock()
        self.job_id: str | None = None

    @property
    def running_job(self) -> str | None:
        """The id of the digest job running now, or None."""
        return self.job_id if self._running.locked() else None

    def plan(
        self,
        feeds: Sequence[str] = (),
        since: str | None = None,
        max_items: int | None = None,
        glossary: Glossary | None = None,
    ) -> DigestPlan:
        """The digest of `feeds` (else the server's), checked as `debrief digest` checks
        one: a one-line InputError for no feed, a bad feed URL, --since or max_items."""
        if not feeds and not self.feeds:
            raise InputError(
                "no feed given; send feed URLs in 'feeds', or start debrief serve with --feeds FILE"
            )
        service = self.service
        job = JobPlan(
            inputs=(),
            out_dir=self.out_dir,
            retry=service.retry,
            fetch=service.fetch,
            glossary=glossary or service.glossary,
            max_input_bytes=service.max_chars * 4,
        )
        return plan_digest(
            list(feeds) or list(self.feeds),
            self.out_dir,
            since=since,
            max_items=max_items,
            job=job,
        )

    def submit(self, plan: DigestPlan) -> Job:
        """Start the digest as a server job (its progress and result on /api/jobs/{id});
        DigestRunning while one runs, Busy when the server's queue is full."""
        if not self._running.acquire(blocking=False):
            raise DigestRunning(
                f"a digest is already running (job {self.job_id}); wait for it to finish"
            )
        try:
            job = self.service.submit(lambda job: self._run(plan, job))
        except BaseException:
            self._running.release()
            raise
        self.job_id = job.id
        return job

    def _run(self, plan: DigestPlan, job: Job) -> DigestResult:
        service = self.service
        try:
            result = DigestResult()
            job.result = result  # shown as it fills, item by item

            def item_done(item: Any, entry: dict[str, Any], finished: int, new: int) -> None:
                job.stage, job.done, job.total = "stories", finished, new

            return run_digest(
                plan,
                result=result,
                on_item=item_done,
                progress=job.progress("translating"),
                translator=service.translator,
                summarizer=LockedSummarizer(service.summarizer, service._summary_lock),
            )
        finally:
            self._running.release()

    # -- reading what the folder holds ---------------------------------------------------

    def stories(self) -> list[dict[str, Any]]:
        """digest.json's stories (none before the first digest)."""
        try:
            record = json.loads((self.out_dir / "digest.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        return record.get("stories", [])

    def page(self) -> str:
        """digest.html as the last digest wrote it, or an empty digest."""
        try:
            return (self.out_dir / "digest.html").read_text(encoding="utf-8")
        except FileNotFoundError:
            return render_digest_html([])

    def file(self, name: str) -> Path | None:
        """The folder's file `name` if the digest lists it (a story's four files, or the
        digest's own), else None: no other file of the server is ever served."""
        listed = set(DIGEST_FILES)
        for story in load_state(self.out_dir).stories.values():
            listed.update(str(path) for path in (story.get("files") or {}).values())
        path = self.out_dir / name
        return path if name in listed and "/" not in name and path.is_file() else None
