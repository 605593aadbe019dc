"""What the server does, without HTTP: models loaded once and shared, the job's own code
run on each request, jobs with progress, and a batching queue in front of the translator.

Requests that arrive together share model batches: each request's pipeline calls
`translate_batch` from its own thread; `BatchingTranslator` gathers what arrives within a
few milliseconds (or until a batch is full) and decodes it in one call, one call at a
time, so the model is never run by two threads at once.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from debrief.brief import Debrief, brief_translation
from debrief.digest import DigestResult
from debrief.documents import DOCUMENT_FORMATS, DocumentFormat, document_format
from debrief.errors import InputError
from debrief.fetch import FetchSettings, is_url
from debrief.inputs import article_from_bytes, article_from_url
from debrief.outputs.formats import debrief_to_dict, render_text
from summarize.model import Summarizer
from translate.article import Article, TranslatedArticle
from translate.glossary import Glossary, parse_glossary
from translate.language import check_german
from translate.pipeline import (
    TokenBudget,
    Translator,
    model_text,
    segment_articles,
    translate_articles,
    translate_texts,
)
from translate.reading import article_from_text, decode_input
from translate.webpage import looks_like_html

logger = logging.getLogger("debrief")

MAX_CHARS = 1_000_000  # about 1 MB of text per request
MAX_PENDING_JOBS = 16
# A finished job and its result are kept this long (an hour), then forgotten.
JOB_SECONDS = 3600.0
# Requests answered together come back a few tens of ms apart (HTTP, parsing, segmenting);
# gathering for 60 ms lets them share the next batch (at 8 clients on the twin: 2.18x the
# throughput of one request at a time, against 1.85x with 10 ms).
BATCH_WAIT_SECONDS = 0.06


# What a finished job offers for download (and result.en.docx and the like for a
# document whose layout is kept).
JOB_FILES = ("result.en.txt", "result.md", "result.json", "result.html")
# The kinds of file /translate_file takes, as LibreTranslate lists them (a PDF's English
# comes back as text); the translated files kept for download (the oldest goes first).
FILE_SUFFIXES = (".txt", ".html", ".htm", *DOCUMENT_FORMATS)
KEPT_FILES = 64


@dataclass(frozen=True)
class TranslatedFile:
    token: str
    name: str
    data: bytes


class Busy(Exception):
    """Too much work is waiting; the client should try again later (HTTP 429)."""


class TooLarge(Exception):
    """A request over the size limit (HTTP 413)."""


class SharedTranslator:
    """A `Translator` that many request threads share, passing the protocol through to
    the model's translator; subclasses decide how their calls reach the model."""

    def __init__(self, translator: Translator, budget: TokenBudget | None = None) -> None:
        self.translator = translator
        self.budget = budget or TokenBudget()
        self.model_calls = 0

    @property
    def name(self) -> str:
        return self.translator.name

    @property
    def revision(self) -> str | None:
        return self.translator.revision

    @property
    def max_input_tokens(self) -> int:
        return self.translator.max_input_tokens

    @property
    def settings(self) -> dict[str, Any]:
        return self.translator.settings

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.translator.count_tokens(texts)

    def translate_alternatives(self, texts: Sequence[str], count: int) -> list[list[str]]:
        """The model's `count` best translations of each segment, or only its best where
        the translator gives no others."""
        alternatives_of = getattr(self.translator, "translate_alternatives", None)
        if alternatives_of is None:
            return [[translation] for translation in self.translate_batch(texts)]
        self.model_calls += 1
        return alternatives_of(texts, count)

    def _decode(self, texts: list[str], num_beams: int | None) -> list[str]:
        # The pipeline's own batching: length-sorted batches of the budget, order restored.
        self.model_calls += 1
        return translate_texts(texts, self.translator, budget=self.budget, num_beams=num_beams)


class BatchingTranslator(SharedTranslator):
    """Merges the batches of concurrent callers into one model call.

    A caller's `translate_batch` waits while a worker thread gathers every batch that
    arrives within `wait_seconds` (up to four budgets' rows), decodes them together, and
    hands each caller its own translations back.
    """

    def __init__(
        self,
        translator: Translator,
        budget: TokenBudget | None = None,
        wait_seconds: float = BATCH_WAIT_SECONDS,
    ) -> None:
        super().__init__(translator, budget)
        self.wait_seconds = wait_seconds
        self._pending: list[tuple[list[str], int | None, Future]] = []
        self._condition = threading.Condition()
        threading.Thread(target=self._work, name="debrief-batcher", daemon=True).start()

    def translate_batch(self, texts: Sequence[str], *, num_beams: int | None = None) -> list[str]:
        if not texts:
            return []
        done: Future = Future()
        with self._condition:
            self._pending.append((list(texts), num_beams, done))
            self._condition.notify()
        return done.result()

    def _take(self) -> list[tuple[list[str], int | None, Future]]:
        with self._condition:
            while not self._pending:
                self._condition.wait()
        time.sleep(self.wait_seconds)  # let the batches of concurrent requests arrive
        with self._condition:
            first_beams = self._pending[0][1]
            taken, rows = [], 0
            for item in list(self._pending):
                same_beams = item[1] == first_beams
                if same_beams and (
                    not taken or rows + len(item[0]) <= self.budget.max_segments * 4
                ):
                    taken.append(item)
                    rows += len(item[0])
                    self._pending.remove(item)
            return taken

    def _work(self) -> None:
        while True:
            taken = self._take()
            texts = [text for item in taken for text in item[0]]
            try:
                outputs = self._decode(texts, taken[0][1])
            except Exception:
                # Something in one request's text broke the model: decode each request
                # alone, so that only that request fails.
                for item_texts, item_beams, done in taken:
                    try:
                        done.set_result(self._decode(item_texts, item_beams))
                    except Exception as error:
                        done.set_exception(error)
                continue
            start = 0
            for item_texts, _, done in taken:
                done.set_result(outputs[start : start + len(item_texts)])
                start += len(item_texts)


class LockedTranslator(SharedTranslator):
    """One request's batch at a time, never merged: the shape of servers without batching
    (for comparison in benchmarks/serve_bench.py)."""

    def __init__(self, translator: Translator, budget: TokenBudget | None = None) -> None:
        super().__init__(translator, budget)
        self._lock = threading.Lock()

    def translate_batch(self, texts: Sequence[str], *, num_beams: int | None = None) -> list[str]:
        with self._lock:
            return self._decode(list(texts), num_beams) if texts else []


@dataclass
class Job:
    """Work a client asked for: its state, its progress, and its result or error."""

    id: str
    status: str = "queued"  # queued, running, done, failed
    done: int = 0
    total: int = 0
    stage: str = ""
    result: Debrief | TranslatedArticle | DigestResult | None = None
    error: str | None = None
    # The document the job was made from, for its English twin (result.en.docx, ...),
    # when its layout can be kept.
    document: bytes | None = None
    document_format: DocumentFormat | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None

    @property
    def document_file(self) -> str | None:
        """The name of the English document, when the job was made from one whose
        layout is kept."""
        if self.document is None or self.document_format is None:
            return None
        return f"result.en{self.document_format.suffix}"

    def keep_document(self, data: bytes) -> None:
        """Keep the uploaded `data` if it is a document whose English can be put back
        (told by its content: a form's file field loses its name here)."""
        found = document_format(data, "")
        if found is not None and found.write is not None:
            self.document, self.document_format = data, found

    def progress(self, stage: str) -> Callable[[int, int], None]:
        def report(done: int, total: int) -> None:
            self.stage, self.done, self.total = stage, done, total

        return report

    def to_dict(self) -> dict[str, Any]:
        state: dict[str, Any] = {
            "id": self.id,
            "status": self.status,
            "progress": {"stage": self.stage, "done": self.done, "total": self.total},
        }
        if self.error:
            state["error"] = self.error
        if isinstance(self.result, Debrief):
            state["result"] = debrief_to_dict(self.result)
            state["files"] = list(JOB_FILES) + ([self.document_file] if self.document_file else [])
        elif isinstance(self.result, DigestResult):
            state["digest"] = dataclasses.asdict(self.result)
        return state


def _suffix_of_content(data: bytes, found: DocumentFormat | None) -> str:
    """What a file sent without a suffix is, judged by its content."""
    if found is not None:
        return found.suffix
    return ".html" if looks_like_html(data) else ".txt"


class DebriefService:
    """The models, loaded once, and the job code run on every request."""

    def __init__(
        self,
        translator: Translator,
        summarizer: Summarizer,
        *,
        batching: bool = True,
        max_chars: int = MAX_CHARS,
        allow_private_urls: bool = False,
        fetch: FetchSettings | None = None,
        workers: int = 8,
        max_pending_jobs: int = MAX_PENDING_JOBS,
        retry: bool = True,
        job_seconds: float = JOB_SECONDS,
        glossary: Glossary | None = None,
    ) -> None:
        self.job_seconds = job_seconds
        self.glossary = glossary  # --glossary: enforced in every request
        self.translator: SharedTranslator = (
            BatchingTranslator(translator) if batching else LockedTranslator(translator)
        )
        self.summarizer = summarizer
        self._summary_lock = threading.Lock()  # one brief at a time: the model is shared
        self.max_chars = max_chars
        # The address policy is checked on every connection the fetch makes, redirects
        # included (debrief/connections.py).
        self.fetch = dataclasses.replace(
            fetch or FetchSettings(),
            allow_private=allow_private_urls,
            too_large_advice=f"this server takes at most {max_chars:,} characters (--max-chars)",
        )
        self.retry = retry
        self.jobs: dict[str, Job] = {}
        self.files: dict[str, TranslatedFile] = {}
        self._files_lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="debrief-job")
        self._slots = threading.BoundedSemaphore(workers + max_pending_jobs)

    # -- reading what a client sent ---------------------------------------------------------

    def article(
        self, text: str | None = None, url: str | None = None, data: bytes | None = None
    ) -> Article:
        """The article in a request: German text (plain or HTML), a URL, or a file's bytes."""
        if url:
            if not is_url(url):
                raise InputError(f"{url}: only http:// and https:// URLs can be fetched")
            return article_from_url(url, max_bytes=self.max_chars * 4, fetch=self.fetch)
        if data is not None:
            if len(data) > self.max_chars * 4:
                raise TooLarge(f"the file is larger than {self.max_chars} characters allow")
            return article_from_bytes(data, "the uploaded file")
        if not text or not text.strip():
            raise InputError("no text given; send German text, a URL or a file")
        self.check_size(text)
        return article_from_bytes(text.encode("utf-8", errors="replace"), "the text")

    def request_glossary(self, data: bytes) -> Glossary:
        """The glossary of a request's `glossary` field (TSV or CSV text), its terms over
        the server's own; a one-line InputError for one that is no glossary."""
        terms = parse_glossary(data, "the glossary field")
        return (self.glossary or Glossary(())).updated(terms)

    def check_size(self, *texts: str) -> None:
        size = sum(len(text) for text in texts)
        if size > self.max_chars:
            raise TooLarge(f"{size} characters is more than the {self.max_chars} this server takes")

    # -- the job's own code -----------------------------------------------------------------

    def translate(
        self,
        article: Article,
        progress: Callable[[int, int], None] | None = None,
        glossary: Glossary | None = None,
    ) -> TranslatedArticle:
        """The article translated, with `glossary` (else the server's) enforced."""
        check_german(article, "the text")
        [translated] = translate_articles(
            [article],
            self.translator,
            progress=progress,
            retry=self.retry,
            glossary=glossary or self.glossary,
        )
        return translated

    def run(
        self, article: Article, job: Job | None = None, glossary: Glossary | None = None
    ) -> Debrief:
        progress = job.progress("translating") if job else None
        translated = self.translate(article, progress, glossary)
        with self._summary_lock:
            return brief_translation(
                translated, self.summarizer, job.progress("summarising") if job else None
            )

    def translate_texts(self, texts: Sequence[str]) -> list[str]:
        """Each text translated whole (its paragraphs and sentences put back), for the
        LibreTranslate-compatible API."""
        self.check_size(*texts)
        articles = [article_from_text(text.encode("utf-8"), "q") for text in texts if text.strip()]
        translated = iter(
            translate_articles(articles, self.translator, retry=self.retry, glossary=self.glossary)
        )
        return [
            "\n\n".join(p.translation for p in next(translated).paragraphs) if text.strip() else ""
            for text in texts
        ]

    def alternatives(
        self, texts: Sequence[str], translations: Sequence[str], count: int
    ) -> list[list[str]]:
        """Up to `count` other translations of each text, best first, for LibreTranslate's
        `alternatives`: the text segmented (and code-switched) as for its translation,
        each segment's next best beam hypotheses put together in the same order. None
        for a translator that gives no alternatives (its best is all there is), or for
        a text with a segment too long for one pass."""
        if count < 1:
            return [[] for _ in texts]
        answers = []
        for text, translation in zip(texts, translations, strict=True):
            if not text.strip():
                answers.append([])
                continue
            paragraphs = segment_articles([article_from_text(text.encode("utf-8"), "q")])[0]
            segments = [model_text(s, self.glossary) for paragraph in paragraphs for s in paragraph]
            longest = max(self.translator.count_tokens(segments), default=0)
            if longest > self.translator.max_input_tokens:
                answers.append([])
                continue
            hypotheses = iter(self.translator.translate_alternatives(segments, count + 1))
            per_paragraph = [[next(hypotheses) for _ in paragraph] for paragraph in paragraphs]
            found: list[str] = []
            for rank in range(1, count + 1):
                other = "\n\n".join(
                    " ".join(best[min(rank, len(best) - 1)] for best in paragraph)
                    for paragraph in per_paragraph
                )
                if other != translation and other not in found:
                    found.append(other)
            answers.append(found[:count])
        return answers

    def translate_file(self, data: bytes, filename: str) -> TranslatedFile:
        """LibreTranslate's file translation: a file of one of FILE_SUFFIXES in German,
        the same kind of file in English (a PDF's as text), kept for download under a
        new token (the last KEPT_FILES of them)."""
        from debrief.server.html_text import translate_html

        if len(data) > self.max_chars * 4:
            raise TooLarge(f"the file is larger than {self.max_chars} characters allow")
        found = document_format(data, filename)
        suffix = Path(filename).suffix.lower() or _suffix_of_content(data, found)
        if suffix not in FILE_SUFFIXES:
            raise InputError(
                f"{filename}: files of this type are not translated; send one of "
                f"{', '.join(FILE_SUFFIXES)}"
            )
        if found is not None:
            translated = self.translate(found.read(data, filename))
            if found.write is None:  # a PDF: its layout is not kept
                english, suffix = render_text(translated).encode("utf-8"), ".txt"
            else:
                english, suffix = found.write(data, filename, translated), found.suffix
        else:
            text = decode_input(data, filename).text
            self.check_size(text)
            if suffix == ".txt":
                english = self.translate_texts([text])[0].encode("utf-8")
            else:
                english = translate_html(text, self.translate_texts).encode("utf-8")
        stem = Path(filename).stem or "document"
        result = TranslatedFile(uuid.uuid4().hex, f"{stem}.en{suffix}", english)
        with self._files_lock:
            self.files[result.token] = result
            while len(self.files) > KEPT_FILES:
                self.files.pop(next(iter(self.files)))
        return result

    # -- capacity and jobs ------------------------------------------------------------------

    def acquire(self) -> None:
        """Take a place for one piece of work, or raise Busy when all are taken."""
        if not self._slots.acquire(blocking=False):
            raise Busy("the server is busy; try again in a moment")

    def release(self) -> None:
        self._slots.release()

    def forget(self, job_id: str) -> bool:
        """Drop a finished job and its result; False while it is queued or running."""
        job = self.jobs.get(job_id)
        if job is None or job.status not in ("done", "failed"):
            return False
        self.jobs.pop(job_id, None)
        return True

    def expire_jobs(self, now: float | None = None) -> None:
        """Forget the jobs that finished more than `job_seconds` ago."""
        now = time.time() if now is None else now
        for job in list(self.jobs.values()):
            if job.finished is not None and now - job.finished > self.job_seconds:
                self.forget(job.id)

    def submit(self, work: Callable[[Job], Debrief]) -> Job:
        """Start `work` as a job and return it at once; Busy when the queue is full."""
        self.expire_jobs()
        self.acquire()
        job = Job(id=uuid.uuid4().hex)
        self.jobs[job.id] = job

        def run() -> None:
            job.status = "running"
            try:
                job.result = work(job)
                job.status = "done"
            except Exception as error:  # reported to the client, as one line
                job.status = "failed"
                job.error = (
                    str(error)
                    if isinstance(error, InputError)
                    else (f"{type(error).__name__}: {error}")
                )
                logger.debug("job %s failed", job.id, exc_info=True)
            finally:
                job.finished = time.time()
                self.release()

        self._executor.submit(run)
        return job
