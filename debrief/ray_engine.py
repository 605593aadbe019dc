"""`debrief run --engine ray`: the job of debrief.job on Ray Data, for archives that
outgrow one machine. The same code runs on a laptop (a local Ray) and on a cluster
(`ray start --head`, then `--ray-address auto`).

    from debrief.job import plan_job
    from debrief.ray_engine import RaySettings, run_job_on_ray

    plan = plan_job(["news.jsonl"], "out")
    results = run_job_on_ray(plan, RaySettings(actors=4))

The pipeline, every stage calling debrief.job's own functions:
1. read: the plan's articles as rows (input files in groups, each archive file in a
   read task of its own, streamed);
2. read and segment (plain tasks): `read_tasks`, then each article cut into sentences;
3. translate (an actor pool, each actor loading the translator once): `translate_read`
   over a batch of articles, their sentences sorted by length together;
4. brief (a second actor pool, each holding the summarizer): `brief_outcome`;
5. write (here, in the driver): `OutputWriter`, as results stream back, so outputs land
   on this machine whatever node did the work.

Each row carries one article's `ArticleTask` and its state so far, pickled: rows of
different stages hold different Python objects that Arrow has no type for. Ray restarts
an actor whose process dies and retries its batch; a batch that kills its actor
`TASK_RETRIES` times in a row stops the job (an article that crashes the model every
time must not loop forever).
"""

from __future__ import annotations

import importlib.util
import logging
import math
import pickle
import socket
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from typing import Any

from debrief.errors import DebriefError, RayEngineError, UsageError
from debrief.fetch import PageCache
from debrief.job import (
    brief_outcome,
    load_job_summarizer,
    load_job_translator,
    translate_read,
    translation_cache,
)
from debrief.outputs.writer import OutputWriter
from debrief.plan import JobPlan
from debrief.tasks import (
    ArchivePart,
    ArticleTask,
    RunResult,
    archive_parts,
    archive_tasks,
    file_tasks,
    read_tasks,
    records_held,
)
from summarize.model import Summarizer
from translate.article import Article
from translate.pipeline import Translator, segment_articles

logger = logging.getLogger("debrief")

SCALE_EXTRA_HINT = "install the scale extra: pip install -e '.[scale]'"
# Reading and segmenting are light next to the models; a small CPU share keeps the read
# tasks from waiting behind actors that hold every CPU (with both pools holding all of
# them, Ray Data could not schedule a read and the job would hang).
READ_TASK_CPUS = 0.25
TASK_RETRIES = 3
# Articles per actor call. The translator fills its batches (8 sentences, TokenBudget)
# from a few articles already; smaller calls let the brief pool start on the first
# articles while the translation pool works on the next. (Other sizes not measured.)
DEFAULT_BATCH_SIZE = 4
# Of the CPUs the two pools share, the brief pool's part. The brief is most of the model
# work per article: 89% of the actors' CPU time in benchmarks/scale_bench.py (full-size
# twins, 120-word articles), where an even split left the brief actor the bottleneck
# and the translation actor idle.
BRIEF_CPU_SHARE = 0.75
MIN_ACTOR_CPUS = 0.1
ROWS_PER_READ_BLOCK = 64

TranslatorLoader = Callable[[JobPlan], Translator]
SummarizerLoader = Callable[[JobPlan], Summarizer]


@dataclass(frozen=True)
class RaySettings:
    """Where and how wide the job runs on Ray.

    `address`: None starts a Ray on this machine for the job; "auto" joins the cluster
    this machine belongs to (`ray start --head`, or `ray start --address HEAD:6379`);
    "HEAD:6379" names the head; "ray://HEAD:10001" connects through Ray Client from a
    machine outside the cluster.
    `actors`: actors per model pool (translation, summary). `gpus_per_actor`: GPUs each
    actor holds (0: CPU only; 0.5 puts two actors on one GPU). `batch_size`: articles per
    actor call; their sentences are batched together, so larger fills batches better.
    """

    address: str | None = None
    actors: int = 1
    gpus_per_actor: float = 0.0
    batch_size: int = DEFAULT_BATCH_SIZE

    def __post_init__(self) -> None:
        if not isinstance(self.actors, int) or self.actors < 1:
            raise UsageError(f"--actors must be at least 1 (got {self.actors})")
        if not math.isfinite(self.gpus_per_actor) or self.gpus_per_actor < 0:
            raise UsageError(
                f"--gpus-per-actor must be 0 or more (got {self.gpus_per_actor}); 0 runs on CPUs"
            )
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise UsageError(f"--batch-size must be at least 1 (got {self.batch_size})")


def check_scale_extra() -> None:
    """Refuse the Ray engine, in one line, where Ray Data is not installed."""
    if importlib.util.find_spec("ray") is None or importlib.util.find_spec("pyarrow") is None:
        raise UsageError(f"--engine ray needs Ray Data; {SCALE_EXTRA_HINT}")


# --- The stages: each a few lines over debrief.job --------------------------------------


def _rows(items: Sequence[Any]) -> dict[str, list[bytes]]:
    return {"item": [pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL) for item in items]}


def _items(batch: dict[str, Any]) -> list[Any]:
    return [pickle.loads(row) for row in batch["item"]]


def read_and_segment(batch: dict[str, Any], plan: JobPlan) -> dict[str, list[bytes]]:
    """Plain task: each task's article read, and cut into its sentences."""
    tasks: list[ArticleTask] = _items(batch)
    read = read_tasks(tasks, plan, PageCache() if plan.use_cache else None)
    return _rows(
        [
            (
                task,
                outcome,
                segment_articles([outcome])[0] if isinstance(outcome, Article) else None,
            )
            for task, outcome in zip(tasks, read, strict=True)
        ]
    )


class TranslationActor:
    """Holds the translator (loaded once per actor) and the translation cache; translates
    a batch of articles, their sentences sorted by length together."""

    def __init__(self, plan: JobPlan, load: TranslatorLoader | None = None) -> None:
        self.plan = plan
        self.translator = (load or load_job_translator)(plan)
        self._open = ExitStack()
        self.cache = self._open.enter_context(translation_cache(plan.use_cache))

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[bytes]]:
        items = _items(batch)
        tasks = [task for task, _, _ in items]
        translated = translate_read(
            tasks,
            [outcome for _, outcome, _ in items],
            self.translator,
            self.plan,
            cache=self.cache,
            article_segments=[segments for _, _, segments in items],
        )
        return _rows(list(zip(tasks, translated, strict=True)))


class BriefActor:
    """Holds the summarizer (loaded once per actor); briefs and checks translated
    articles."""

    def __init__(self, plan: JobPlan, load: SummarizerLoader | None = None) -> None:
        self.summarizer = (load or load_job_summarizer)(plan)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[bytes]]:
        return _rows(
            [
                (task, brief_outcome(task, translated, self.summarizer))
                for task, translated in _items(batch)
            ]
        )


def _job_source(files: list[ArticleTask], parts: list[ArchivePart], max_line_bytes: int) -> Any:
    """A Ray Data source of the job's articles: input files in groups of
    `ROWS_PER_READ_BLOCK`, each archive file read (streamed) by a task of its own."""
    import pyarrow
    from ray.data.block import BlockMetadata
    from ray.data.datasource import Datasource, ReadTask

    def blocks(tasks: Iterator[ArticleTask]) -> Iterator[Any]:
        group: list[ArticleTask] = []
        for task in tasks:
            group.append(task)
            if len(group) == ROWS_PER_READ_BLOCK:
                yield pyarrow.table(_rows(group))
                group = []
        if group:
            yield pyarrow.table(_rows(group))

    class JobSource(Datasource):
        def estimate_inmemory_data_size(self) -> int | None:
            return None

        def get_read_tasks(self, parallelism: int, per_task_row_limit=None, data_context=None):
            reads = []
            for start in range(0, len(files), ROWS_PER_READ_BLOCK):
                group = files[start : start + ROWS_PER_READ_BLOCK]
                reads.append(
                    ReadTask(
                        lambda group=group: blocks(iter(group)),
                        BlockMetadata(len(group), None, None, None),
                    )
                )
            for part in parts:
                reads.append(
                    ReadTask(
                        lambda part=part: blocks(archive_tasks(part, max_line_bytes)),
                        BlockMetadata(None, None, None, (str(part.file),)),
                    )
                )
            return reads

    return JobSource()


# --- The driver ---------------------------------------------------------------------------


def actor_cpus(cluster_cpus: float, actors: int) -> tuple[float, float]:
    """CPUs each translation actor and each brief actor asks for: what a read task and
    a segmenting task leave, shared out by `BRIEF_CPU_SHARE`."""
    pools = cluster_cpus - 2 * READ_TASK_CPUS
    return (
        pools * (1 - BRIEF_CPU_SHARE) / actors,
        pools * BRIEF_CPU_SHARE / actors,
    )


def requested_cpus(share: float) -> float:
    """The CPUs an actor asks Ray for: its share, down to a multiple of a read task's.
    Shares that fill each node exactly would leave no node a read task fits on (on 16-core
    nodes, 3.996 + 11.987 CPUs a pair), and Ray would wait for one for ever."""
    return max(MIN_ACTOR_CPUS, math.floor(share / READ_TASK_CPUS) * READ_TASK_CPUS)


def _threads(plan: JobPlan, cpus: float) -> JobPlan:
    """The plan with its actors' threads: --threads if given, else their CPU share
    rounded up. Up, because a pool idles while the other works (the translation pool
    once the last articles are translated): on 2 cores, 1 thread per actor ran at 0.77x
    the local engine's rate, 2 threads each at 0.95x (benchmarks/scale_bench.py)."""
    if plan.runtime.threads is not None:
        return plan
    return replace(plan, runtime=replace(plan.runtime, threads=max(1, math.ceil(cpus))))


# How long the probe of --ray-address waits for an answer: a Ray head on the same network
# answers in milliseconds; Ray itself would wait for ever (738 s observed, and counting).
RAY_PROBE_SECONDS = 5.0

# What a client sends first on an HTTP/2 connection, as gRPC (Ray's protocol) uses it; a
# gRPC server answers with a SETTINGS frame (frame type 4, the fourth byte of its header).
_HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])


def check_ray_address(address: str | None, timeout: float = RAY_PROBE_SECONDS) -> None:
    """Refuse a HOST:PORT (or ray://HOST:PORT) where no Ray answers, in one line and
    seconds: nothing listening, no route, or a server that does not speak gRPC. "auto",
    "local" and None are left to Ray."""
    if address is None or address in ("auto", "local"):
        return
    host, _, port = address.removeprefix("ray://").rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit():
        return  # Ray's own message names what is wrong with it
    try:
        with socket.create_connection((host, int(port)), timeout=timeout) as connection:
            connection.settimeout(timeout)
            connection.sendall(_HTTP2_PREFACE)
            header = connection.recv(9)
    except OSError as error:
        reason = "no answer in time" if isinstance(error, TimeoutError) else error.strerror
        raise RayEngineError(
            f"no Ray answers at {address} ({reason or error}); start one there with `ray "
            "start --head`, check the address and port, or leave --ray-address out"
        ) from None
    if len(header) < 4 or header[3] != 4:
        raise RayEngineError(
            f"the server at {address} is not Ray (it does not speak gRPC); check the "
            "address and port (`ray status` on the head node shows them)"
        )


def _connect(address: str | None) -> bool:
    """Join Ray at `address` (None: start one here) unless this process already has;
    whether this call started it (and so must shut it down)."""
    import ray

    if ray.is_initialized():
        return False
    # Ray's own notes (token set-up, progress settings, "execution finished") would bury
    # debrief's lines; its errors still show, and its logs stay in /tmp/ray.
    logging.getLogger("ray").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="Ray Client connection timed out")  # said below
    check_ray_address(address)
    try:
        ray.init(
            address=address,
            include_dashboard=False,
            logging_level=logging.ERROR,
        )
    except (ConnectionError, RuntimeError, ValueError) as error:
        where = f"at {address}" if address else "on this machine"
        raise RayEngineError(
            f"could not start or reach Ray {where} ({str(error).splitlines()[0]}); start a "
            "cluster with `ray start --head` and pass --ray-address auto, or leave "
            "--ray-address out"
        ) from None
    return True


def build_dataset(
    plan: JobPlan,
    settings: RaySettings,
    *,
    load_translator: TranslatorLoader | None = None,
    load_summarizer: SummarizerLoader | None = None,
) -> Any:
    """The job as a lazy Ray Dataset of finished articles: rows of pickled
    (ArticleTask, Debrief | RunResult)."""
    import ray
    from ray.data import ActorPoolStrategy, DataContext

    logging.getLogger("ray.data").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message=".*ray_remote_args.* is deprecated")
    context = DataContext.get_current()
    context.enable_progress_bars = False  # the CLI draws its own, per article
    context.print_on_execution_start = False
    translation_cpus, brief_cpus = actor_cpus(
        ray.cluster_resources().get("CPU", 0), settings.actors
    )
    if translation_cpus < MIN_ACTOR_CPUS:
        needed = settings.actors * MIN_ACTOR_CPUS / (1 - BRIEF_CPU_SHARE) + 2 * READ_TASK_CPUS
        raise UsageError(
            f"--actors {settings.actors} needs about {needed:g} CPUs or more in the Ray "
            "cluster; use fewer --actors"
        )

    def pool(cpus: float) -> dict[str, Any]:
        return {
            "compute": ActorPoolStrategy(size=settings.actors),
            "batch_size": settings.batch_size,
            "num_cpus": requested_cpus(cpus),
            "num_gpus": settings.gpus_per_actor or None,
            "max_task_retries": TASK_RETRIES,
        }

    return (
        ray.data.read_datasource(
            _job_source(file_tasks(plan), archive_parts(plan), plan.max_input_bytes),
            num_cpus=READ_TASK_CPUS,
        )
        .map_batches(
            read_and_segment,
            fn_kwargs={"plan": plan},
            batch_size=settings.batch_size,
            num_cpus=READ_TASK_CPUS,
        )
        .map_batches(
            TranslationActor,
            fn_constructor_kwargs={
                "plan": _threads(plan, translation_cpus),
                "load": load_translator,
            },
            **pool(translation_cpus),
        )
        .map_batches(
            BriefActor,
            fn_constructor_kwargs={"plan": _threads(plan, brief_cpus), "load": load_summarizer},
            **pool(brief_cpus),
        )
    )


def run_job_on_ray(
    plan: JobPlan,
    settings: RaySettings | None = None,
    *,
    on_result: Callable[[RunResult], None] | None = None,
    load_translator: TranslatorLoader | None = None,
    load_summarizer: SummarizerLoader | None = None,
) -> list[RunResult]:
    """Run the job `plan` describes on Ray; one result per article, in the order they
    finish. The outputs are the ones `debrief.job.run_job` writes for the same plan.

    `load_translator` and `load_summarizer` replace how each actor loads its model
    (tests pass loaders of fakes); they are pickled to the actors.
    """
    settings = settings or RaySettings()
    check_scale_extra()
    with records_held(plan):  # before Ray starts: a second writer is told at once
        return _run_held(plan, settings, on_result, load_translator, load_summarizer)


def _run_held(
    plan: JobPlan,
    settings: RaySettings,
    on_result: Callable[[RunResult], None] | None,
    load_translator: TranslatorLoader | None,
    load_summarizer: SummarizerLoader | None,
) -> list[RunResult]:
    import ray

    started = _connect(settings.address)
    try:
        dataset = build_dataset(
            plan, settings, load_translator=load_translator, load_summarizer=load_summarizer
        )
        results = []
        with OutputWriter() as writer:
            for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
                for task, outcome in _items(batch):
                    result = writer.write(task, outcome)
                    results.append(result)
                    if on_result:
                        on_result(result)
        return results
    except ray.exceptions.RayError as error:
        cause = getattr(error, "cause", None) or error
        if isinstance(cause, DebriefError):
            raise type(cause)(str(cause)) from None
        last_line = str(cause).strip().splitlines()[-1] if str(cause).strip() else repr(cause)
        raise RayEngineError(
            f"the Ray job failed ({last_line}); the articles finished so far are written: "
            "if an article crashes the model, find it in Ray's logs "
            "(/tmp/ray/session_latest/logs), take it out and rerun with --skip-existing"
        ) from None
    finally:
        if started:
            ray.shutdown()
