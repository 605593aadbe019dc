"""`--engine ray` (debrief/ray_engine.py): the same outputs as the local engine, worker
crashes retried, failures kept to their article, reruns that skip what is done.

One local Ray for the module (starting one costs seconds), with 2 CPUs as on the
smallest machine we support, and its workers pointed at this module's caches.
"""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path

import conftest
import pytest
import ray
import support.ray_helpers as ray_helpers
from conftest import SEED_ARTICLE, FakeSummarizer, FakeTranslator
from ray import cloudpickle

from debrief.archives import shard_files
from debrief.job import run_job
from debrief.plan import plan_job
from debrief.ray_engine import RaySettings, run_job_on_ray
from debrief.runtime.settings import Runtime
from summarize.chunking import split_sentences

# The loaders travel to the actors by value: the workers cannot import the tests.
cloudpickle.register_pickle_by_value(ray_helpers)
cloudpickle.register_pickle_by_value(conftest)


@pytest.fixture(scope="module", autouse=True)
def local_ray(tmp_path_factory):
    env = {
        "DEBRIEF_CACHE_DIR": str(tmp_path_factory.mktemp("ray-debrief-cache")),
        "HF_HOME": str(tmp_path_factory.mktemp("ray-hf-home")),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        logging_level=logging.ERROR,
        runtime_env={"env_vars": env},
    )
    yield
    ray.shutdown()


def german_articles(count: int) -> list[str]:
    """`count` different German articles cut from the seed: one to four sentences, some
    in two paragraphs."""
    body = SEED_ARTICLE.read_text(encoding="utf-8")
    sentences = [s for paragraph in body.split("\n\n")[1:] for s in split_sentences(paragraph)]
    articles = []
    for number in range(count):
        start = (number * 3) % (len(sentences) - 4)
        chosen = sentences[start : start + 1 + number % 4]
        if len(chosen) > 2:
            chosen = [" ".join(chosen[:2]), " ".join(chosen[2:])]
        articles.append("\n\n".join(chosen))
    return articles


def write_inputs(folder: Path, texts: list[str]) -> tuple[list[Path], Path]:
    """The texts as article files, and again as one JSONL archive (with a bad line)."""
    folder.mkdir()
    files = []
    for number, text in enumerate(texts):
        path = folder / f"artikel-{number:02d}.de.txt"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    archive = folder / "archiv.jsonl"
    lines = [json.dumps({"id": f"a{number}", "text": text}) for number, text in enumerate(texts)]
    lines.insert(5, "{kaputt")
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return files, archive


def outputs(out: Path) -> dict[str, object]:
    """Every output file's bytes, and an archive's records by where they came from (the
    engines finish articles in different orders)."""
    found: dict[str, object] = {}
    for path in sorted(out.rglob("*")):
        if path.is_file() and not path.name.startswith("part-"):
            found[str(path.relative_to(out))] = path.read_bytes()
    for folder in sorted({shard.parent for shard in out.rglob("part-*.jsonl")}):
        lines = [
            json.loads(line)
            for shard in shard_files(folder)
            for line in shard.read_text(encoding="utf-8").splitlines()
        ]
        found[str(folder.relative_to(out))] = sorted(lines, key=lambda line: line["source"])
    return found


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["torch", "ctranslate2"])
def test_ray_writes_what_the_local_engine_writes_for_a_dozen_articles(
    tiny_marian_dir, tiny_bart_dir, tmp_path, backend
):
    files, archive = write_inputs(tmp_path / "in", german_articles(12))

    def plan(out: str):
        return plan_job(
            [*files, archive],
            tmp_path / out,
            translation_model=str(tiny_marian_dir),
            summary_model=str(tiny_bart_dir),
            runtime=Runtime(backend=backend, device="cpu", threads=1),
            use_cache=False,
        )

    local = run_job(plan("local"))
    # Small batches: the actors see other neighbours than the local run's single pass.
    on_ray = run_job_on_ray(plan("ray"), RaySettings(batch_size=5))
    assert len(local) == len(on_ray) == 25
    assert sorted(str(result.input) for result in on_ray) == sorted(
        str(result.input) for result in local
    )
    expected = outputs(tmp_path / "local")
    assert len(expected) == 12 * 4 + 1
    assert outputs(tmp_path / "ray") == expected
    records = expected["archiv"]
    assert sum("error" in record for record in records) == 1
    assert {record["id"] for record in records} == {f"a{n}" for n in range(12)} | {None}
    # The translations are the tiny model's, not copies of the German.
    translated = records[0]["paragraphs"][0]["segments"][0]
    assert translated["translation"] and translated["translation"] != translated["source"]


def fake_plan(inputs, out: Path, **options):
    return plan_job(inputs, out, translation_model="fake", summary_model="fake", **options)


@pytest.fixture
def fake_models(monkeypatch):
    conftest.install_fake_models(monkeypatch)


def test_a_worker_that_dies_is_replaced_and_its_batch_done_again(fake_models, tmp_path):
    files, archive = write_inputs(tmp_path / "in", german_articles(12))
    marker = tmp_path / "died"
    run_job(
        fake_plan([*files, archive], tmp_path / "local", use_cache=False),
        translator=FakeTranslator(),
        summarizer=FakeSummarizer(),
    )
    results = run_job_on_ray(
        fake_plan([*files, archive], tmp_path / "ray", use_cache=False),
        RaySettings(batch_size=4),
        load_translator=ray_helpers.dies_once_loader(marker),
        load_summarizer=ray_helpers.load_fake_summarizer,
    )
    assert marker.exists()  # a translation actor did die
    assert sum(not result.ok for result in results) == 1  # the bad line, nothing else
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local")


def test_a_model_failure_costs_only_its_article(fake_models, tmp_path):
    archive = tmp_path / "news.jsonl"
    texts = ["Ein guter Satz.", "Ein kaputt Satz.", "Noch ein Satz."]
    archive.write_text(
        "".join(json.dumps({"id": str(n), "text": t}) + "\n" for n, t in enumerate(texts)),
        encoding="utf-8",
    )
    results = run_job_on_ray(
        fake_plan([archive], tmp_path / "out", use_cache=False),
        load_translator=ray_helpers.load_breaking_translator,
        load_summarizer=ray_helpers.load_fake_summarizer,
    )
    assert sorted((result.id, result.ok) for result in results) == [
        ("0", True),
        ("1", False),
        ("2", True),
    ]
    [failed] = [result for result in results if not result.ok]
    assert "RuntimeError: the model failed on this text" in failed.error
    records = {line["id"]: line for line in outputs(tmp_path / "out")["news"]}
    assert records["1"]["error"] == failed.error
    assert records["2"]["paragraphs"][0]["translation"] == "EN[Noch ein Satz.]"


def test_skip_existing_on_ray_does_only_the_new_articles(fake_models, tmp_path):
    archive = tmp_path / "news.jsonl"
    lines = [json.dumps({"id": str(n), "text": f"Satz Nummer {n}."}) for n in range(6)]
    archive.write_text("\n".join(lines[:4]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    loaders = {
        "load_translator": ray_helpers.load_fake_translator,
        "load_summarizer": ray_helpers.load_fake_summarizer,
    }
    first = run_job_on_ray(fake_plan([archive], out, use_cache=False), **loaders)
    assert len(first) == 4
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
    second = run_job_on_ray(
        fake_plan([archive], out, use_cache=False, skip_existing=True), **loaders
    )
    assert sorted(result.id for result in second) == ["4", "5"]
    assert [len(shard.read_text().splitlines()) for shard in shard_files(out / "news")] == [4, 2]
    assert sorted(line["id"] for line in outputs(out)["news"]) == [str(n) for n in range(6)]


def test_the_actors_use_the_translation_cache_so_a_rerun_translates_nothing(fake_models, tmp_path):
    # An actor is made in one thread and called in another: a cache that only works in
    # the thread that opened it was never used on Ray, and a killed run started over.
    archive = tmp_path / "news.jsonl"
    lines = [
        json.dumps({"id": str(n), "text": f"Ein Satz für den Cache, Nummer {n}."}) for n in range(5)
    ]
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log = tmp_path / "translated.txt"
    loaders = {
        "load_translator": ray_helpers.logging_loader(log),
        "load_summarizer": ray_helpers.load_fake_summarizer,
    }
    first = run_job_on_ray(fake_plan([archive], tmp_path / "first"), **loaders)
    assert all(result.ok for result in first)
    assert len(log.read_text(encoding="utf-8").splitlines()) == 5
    second = run_job_on_ray(fake_plan([archive], tmp_path / "second"), **loaders)
    assert all(result.ok for result in second)
    assert len(log.read_text(encoding="utf-8").splitlines()) == 5  # all from the cache
    assert outputs(tmp_path / "second") == outputs(tmp_path / "first")


@pytest.mark.parametrize(
    ("cluster_cpus", "actors", "expected"),
    [
        # 2 cores: 1 thread translating, 2 briefing (0.95x local where 1 and 1 was 0.77x)
        (2, 1, ((0.25, 1), (1.0, 2))),
        # 28 nodes of 16 cores: a pair a node, 0.5 CPU of each left for read tasks
        (448, 28, ((3.75, 4), (11.75, 12))),
    ],
)
def test_actor_cpus_leave_room_for_reading(cluster_cpus, actors, expected):
    from debrief.ray_engine import actor_cpus, requested_cpus

    shares = actor_cpus(cluster_cpus, actors)
    got = tuple((requested_cpus(share), math.ceil(share)) for share in shares)
    assert got == expected
    assert sum(cpus for cpus, _ in got) * actors <= cluster_cpus - 0.5


def test_a_batch_that_always_kills_its_actor_stops_the_run_in_one_line(fake_models, tmp_path):
    from debrief.errors import RayEngineError
    from debrief.ray_engine import TASK_RETRIES

    archive = tmp_path / "news.jsonl"
    archive.write_text(json.dumps({"id": "1", "text": "Ein Satz."}) + "\n", encoding="utf-8")
    with pytest.raises(RayEngineError) as failure:
        run_job_on_ray(
            fake_plan([archive], tmp_path / "out", use_cache=False),
            load_translator=ray_helpers.load_always_dying_translator,
            load_summarizer=ray_helpers.load_fake_summarizer,
        )
    message = str(failure.value)
    assert TASK_RETRIES == 3 and "\n" not in message
    assert message.startswith("the Ray job failed (") and "rerun with --skip-existing" in message
    assert failure.value.exit_code == 1
