"""The layout's rules (README: Architecture), checked on the import graph of the source.

Every import counts, function-level ones too; only `if TYPE_CHECKING:` blocks are left
out (they never run). The `__main__` modules are entry points that nothing imports.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from module_graph import find_cycle, import_graph

GRAPH = import_graph()
# What the two stages may use of the application: its base, never its shell.
DEBRIEF_BASE = {"debrief", "debrief.errors", "debrief.models", "debrief.engines"}


def package(module: str) -> str:
    return module.split(".")[0]


def imports_of(prefix: str) -> dict[str, set[str]]:
    return {
        module: targets
        for module, targets in GRAPH.items()
        if package(module) == prefix and not module.endswith("__main__")
    }


def test_the_graph_reads_every_package():
    assert {"debrief.job", "debrief.cli", "translate.pipeline", "summarize.model"} <= set(GRAPH)
    assert "debrief.engines" in GRAPH["translate.marian"]  # so a rule below can fail


def test_imports_form_a_dag():
    assert find_cycle(GRAPH) is None


def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("stage", ["translate", "summarize"])
def test_stages_use_only_the_base_of_debrief(stage):
    for module, targets in imports_of(stage).items():
        shell = {t for t in targets if package(t) == "debrief"} - DEBRIEF_BASE
        assert not shell, f"{module} imports {shell}"


def test_summarize_never_imports_translate():
    for module, targets in imports_of("summarize").items():
        assert not {t for t in targets if package(t) == "translate"}, module


def test_the_base_imports_neither_stage_nor_the_shell():
    for module in DEBRIEF_BASE:
        assert GRAPH[module] <= DEBRIEF_BASE, module


def test_only_the_cli_and_entry_points_import_the_cli():
    importers = {module for module, targets in GRAPH.items() if "debrief.cli" in targets}
    assert importers == {"debrief.__main__", "translate.__main__"}


def test_function_level_imports_count(tmp_path: Path):
    from module_graph import imported_modules

    source = tmp_path / "m.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from translate import article\n"
        "def f():\n    from debrief.job import run_job\n",
        encoding="utf-8",
    )
    modules = {"debrief.job": Path(), "translate.article": Path(), "translate": Path()}
    assert imported_modules(source, modules, "m") == {"debrief.job"}


def test_cli_run_and_the_library_run_the_same_job(monkeypatch, tmp_path):
    """`debrief run` is a plan and one call of debrief.job.run_job, nothing besides."""
    from conftest import SEED_ARTICLE, FakeSummarizer, FakeTranslator, install_fake_models

    import debrief.cli.commands
    import debrief.job
    from debrief.cli import main

    install_fake_models(monkeypatch, FakeTranslator(), FakeSummarizer())
    real_run_job = debrief.job.run_job
    assert debrief.cli.commands.run_job is real_run_job
    calls = []

    def spy(plan, **events):
        calls.append(plan)
        return real_run_job(plan, **events)

    monkeypatch.setattr(debrief.cli.commands, "run_job", spy)
    out = tmp_path / "cli"
    assert main(["run", str(SEED_ARTICLE), "--out-dir", str(out), "-q", "--no-cache"]) == 0
    [plan] = calls
    assert plan.inputs == (SEED_ARTICLE,) and plan.out_dir == out
    # The library, with the same plan, writes the same files byte for byte.
    library = tmp_path / "library"
    plan = debrief.job.plan_job([SEED_ARTICLE], library, use_cache=False)
    real_run_job(plan)
    for name in ("belarus-russland-2020-08.en.txt", "belarus-russland-2020-08.json"):
        assert (library / name).read_bytes() == (out / name).read_bytes()


def test_the_ray_engine_runs_the_job_code_and_loads_no_model_its_own_way():
    """--engine ray is debrief.job's steps on Ray Data: it imports the job, and neither
    stage's loaders nor the engines (the actors load models with the job's functions)."""
    targets = GRAPH["debrief.ray_engine"]
    assert "debrief.job" in targets
    assert not targets & {"translate.marian", "debrief.engines", "debrief.models"}
    importers = {module for module, modules in GRAPH.items() if "debrief.ray_engine" in modules}
    assert importers == {"debrief.cli"}
