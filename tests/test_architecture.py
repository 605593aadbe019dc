"""The layout's rules (docs/architecture.md), checked on the import graph of the source.

Three floors: the base (debrief.errors, debrief.runtime), the two stages on it (translate,
summarize), the shell on top (the rest of debrief). Every import counts, function-level
ones too; only `if TYPE_CHECKING:` blocks are left out (they never run). The `__main__`
modules are entry points that nothing imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from support.module_graph import REPO_ROOT, find_cycle, import_graph, project_modules

GRAPH = import_graph()
STAGES = ("translate", "summarize")
# A module of debrief, translate or summarize past this holds more than one concept.
MAX_MODULE_LINES = 500


def package(module: str) -> str:
    return module.split(".")[0]


def is_base(module: str) -> bool:
    """debrief.errors and debrief.runtime.*, and the root package (only the version)."""
    return module in {"debrief", "debrief.errors", "debrief.runtime"} or module.startswith(
        "debrief.runtime."
    )


def is_shell(module: str) -> bool:
    return package(module) == "debrief" and not is_base(module)


def imports_of(prefix: str) -> dict[str, set[str]]:
    return {
        module: targets
        for module, targets in GRAPH.items()
        if package(module) == prefix and not module.endswith("__main__")
    }


def test_the_graph_reads_every_floor():
    assert {"debrief.job", "debrief.cli", "translate.pipeline", "summarize.model"} <= set(GRAPH)
    assert {"debrief.runtime.loading", "debrief.runtime.cutting", "debrief.brief"} <= set(GRAPH)
    # So that the rules below can fail: the stages do use the base.
    assert "debrief.runtime.loading" in GRAPH["translate.marian"]
    assert "debrief.runtime.cutting" in GRAPH["summarize.chunking"]


def test_imports_form_a_dag():
    assert find_cycle(GRAPH) is None


def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_errors_is_a_leaf():
    assert GRAPH["debrief.errors"] == set()


def test_the_base_imports_only_the_base():
    base = {module for module in GRAPH if is_base(module)}
    assert {"debrief.runtime.models", "debrief.runtime.settings"} <= base
    for module in base:
        assert all(is_base(target) for target in GRAPH[module]), (module, GRAPH[module])


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_imports_only_itself_and_the_base(stage):
    for module, targets in imports_of(stage).items():
        outside = {t for t in targets if package(t) != stage and not is_base(t)}
        assert not outside, f"{module} imports {outside}"


def test_the_stages_never_import_each_other_or_the_shell():
    for stage in STAGES:
        other = next(s for s in STAGES if s != stage)
        for module, targets in imports_of(stage).items():
            assert not {t for t in targets if package(t) == other}, module
            assert not {t for t in targets if is_shell(t)}, module


def test_only_the_cli_and_entry_points_import_the_cli():
    importers = {
        module
        for module, targets in GRAPH.items()
        if "debrief.cli" in targets and not module.startswith("debrief.cli")
    }
    assert importers == {"debrief.__main__", "translate.__main__"}


def test_no_module_is_past_one_concept():
    lengths = {
        name: len(path.read_text(encoding="utf-8").splitlines())
        for name, path in project_modules().items()
    }
    assert len(lengths) > 40  # every module was read
    assert {name: n for name, n in lengths.items() if n > MAX_MODULE_LINES} == {}


def test_debrief_shows_the_base_beside_the_shell():
    """`ls debrief/`: the base is errors.py and runtime/; everything else is the shell."""
    entries = {path.name for path in (REPO_ROOT / "debrief").iterdir()} - {"__pycache__"}
    assert {"errors.py", "runtime", "cli", "outputs", "server", "job.py"} <= entries
    assert not (REPO_ROOT / "debrief" / "engines.py").exists()
    assert not (REPO_ROOT / "debrief" / "models.py").exists()


def _calls_of(path: Path, names: set[str]) -> set[str]:
    """The names in `names` that the module at `path` calls (as f(...) or x.f(...))."""
    called = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            function = node.func
            name = (
                function.attr
                if isinstance(function, ast.Attribute)
                else getattr(function, "id", None)
            )
            if name in names:
                called.add(name)
    return called


def test_the_shell_loads_models_in_one_place():
    """run, translate, summarize, serve and the Ray actors all load through debrief.options."""
    loaders = {"load_translator", "load_summarizer", "load_engine", "from_pretrained"}
    callers = {
        name
        for name, path in project_modules().items()
        if is_shell(name) and _calls_of(path, loaders)
    }
    assert callers == {"debrief.options"}


def test_function_level_imports_count(tmp_path: Path):
    from support.module_graph import imported_modules

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
    stage's loaders nor the runtime (the actors load models with the job's functions)."""
    targets = GRAPH["debrief.ray_engine"]
    assert "debrief.job" in targets
    assert "translate.marian" not in targets
    assert not {target for target in targets if is_base(target) and target != "debrief.errors"}
    importers = {module for module, modules in GRAPH.items() if "debrief.ray_engine" in modules}
    assert importers == {"debrief.cli.commands", "debrief.cli.parser"}


def test_every_package_is_a_package_and_goes_into_the_wheel():
    """A folder of modules without __init__.py, or a subpackage that pyproject.toml's
    package list leaves out, would be missing from `pip install .` (debrief/server was,
    until the list became a pattern)."""
    import fnmatch
    import tomllib

    settings = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = settings["tool"]["setuptools"]["packages"]["find"]["include"]
    folders = {
        path.parent for name, path in project_modules().items() if not name.startswith("tests")
    }
    assert len(folders) >= 7  # debrief, its runtime, cli, outputs, server; both stages
    for folder in folders:
        assert (folder / "__init__.py").is_file(), folder
        package = ".".join(folder.relative_to(REPO_ROOT).parts)
        assert any(fnmatch.fnmatchcase(package, pattern) for pattern in patterns), package
