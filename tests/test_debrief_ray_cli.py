"""`debrief run --engine ray` through the real command: a process of its own that starts
its own Ray, loads the tiny models in its actors, and writes what `--engine local` writes.

No Ray runs in the test process here (test_debrief_ray.py stops its own), so each
command starts a fresh one, as a user's would.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from conftest import REPO_ROOT
from test_debrief_ray import german_articles, outputs, write_inputs

from debrief.cli import main

DEBRIEF = REPO_ROOT / ".venv" / "bin" / "debrief"


def shell(command: str, **env: str) -> subprocess.CompletedProcess:
    """`command` run by bash (so that DIR/*.txt is expanded as a user's shell does)."""
    return subprocess.run(
        ["bash", "-c", command],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "HF_HUB_OFFLINE": "1", **env},
        timeout=300,
    )


@pytest.mark.slow
def test_run_files_and_an_archive_with_the_ray_engine(tiny_marian_dir, tiny_bart_dir, tmp_path):
    files, archive = write_inputs(tmp_path / "in", german_articles(4))
    models = (
        f"--translation-model {tiny_marian_dir} --summary-model {tiny_bart_dir} "
        "--backend torch --no-cache"
    )
    files_run = shell(
        f'"$DEBRIEF" run "$IN"/*.txt --out-dir "$OUT" --engine ray {models}',
        DEBRIEF=str(DEBRIEF),
        IN=str(tmp_path / "in"),
        OUT=str(tmp_path / "ray"),
    )
    assert files_run.returncode == 0, files_run.stderr
    assert "4 inputs done" in files_run.stderr
    archive_run = shell(
        f'"$DEBRIEF" run "$ARCHIVE" --out-dir "$OUT" --engine ray --batch-size 2 {models}',
        DEBRIEF=str(DEBRIEF),
        ARCHIVE=str(archive),
        OUT=str(tmp_path / "ray"),
    )
    # The archive's bad line is a record with an error: exit 4, the others written.
    assert archive_run.returncode == 4, archive_run.stderr
    assert f"{archive}:5: not a line of JSON in UTF-8" in archive_run.stderr
    assert "5 records written (1 with an error" in archive_run.stderr
    assert "Traceback" not in files_run.stderr + archive_run.stderr

    local = [*map(str, files), str(archive), "--out-dir", str(tmp_path / "local")]
    models_args = models.split()
    assert main(["run", *local, *models_args, "-q"]) == 4
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local")
    assert len(outputs(tmp_path / "local")) == 4 * 4 + 1
