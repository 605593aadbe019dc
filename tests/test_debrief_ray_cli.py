"""`debrief run --engine ray` through the real command: a process of its own that starts
its own Ray, loads the tiny models in its actors, and writes what `--engine local` writes.

No Ray runs in the test process here (test_debrief_ray.py stops its own), so each
command starts a fresh one, as a user's would.
"""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import threading
import time

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


def _refused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again: nothing listens there


@pytest.mark.parametrize("listener", ["nothing", "an http server"])
def test_a_ray_address_where_no_ray_answers_is_one_line_in_seconds(
    tiny_marian_dir, tmp_path, listener
):
    # Ray itself waited for ever (738 s observed), printing its C++ warnings.
    (tmp_path / "bericht.de.txt").write_text("Ein Satz über Berlin.\n", encoding="utf-8")
    server = None
    if listener == "nothing":
        port, expected = _refused_port(), "(Connection refused); start one there with `ray start"
    else:
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), http.server.BaseHTTPRequestHandler
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port, expected = server.server_address[1], "is not Ray (it does not speak gRPC)"
    try:
        started = time.monotonic()
        done = shell(
            f"{DEBRIEF} run {tmp_path}/bericht.de.txt --engine ray --ray-address "
            f"127.0.0.1:{port} --translation-model {tiny_marian_dir} --summary-model lead-3 "
            f"--out-dir {tmp_path}/out"
        )
        elapsed = time.monotonic() - started
    finally:
        if server is not None:
            server.shutdown()
    assert done.returncode == 1, done.stderr  # README: Ray not reached at --ray-address
    errors = [line for line in done.stderr.splitlines() if line.startswith("debrief: error:")]
    assert len(errors) == 1 and "Traceback" not in done.stderr, done.stderr
    assert expected in errors[0]
    assert elapsed < 60
    assert not (tmp_path / "out").exists()
