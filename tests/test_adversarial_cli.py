"""Issue 21, class 6: every failure is one line, whatever fails.

Standard output that cannot be written (a full disk, an ASCII-only encoding, a reader
that went away), SIGTERM, an error nobody expected, a bidi override in a file name,
messages whose numbers do not add up, and `debrief run -`. Each case through the real
CLI, stating the exit code, the line and what is on disk afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FakeSummarizer, FakeTranslator, install_fake_models
from test_adversarial import ARTICLE, one_error_line, snapshot

from debrief.cli import main
from debrief.cli.report import describe_checks
from translate.article import Check, Retry

UMLAUT_ARTICLE = "Über die Brücke gingen Müller und Jürgen am Montag.\n"


@pytest.fixture
def work(tmp_path, monkeypatch):
    (tmp_path / "bericht.de.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "umlaut.de.txt").write_text(UMLAUT_ARTICLE, encoding="utf-8")
    install_fake_models(monkeypatch, FakeTranslator(), FakeSummarizer())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _debrief(args: list[str], cwd: Path, **options) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", **options.pop("env", {})}
    return subprocess.run(
        [sys.executable, "-m", "debrief", *args],
        cwd=cwd,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        **options,
    )


# Standard output ---------------------------------------------------------------------


def test_standard_output_on_a_full_disk_is_one_line(tmp_path):
    (tmp_path / "umlaut.de.txt").write_text(UMLAUT_ARTICLE, encoding="utf-8")
    with open("/dev/full", "w") as full:
        done = _debrief(["summarize", "umlaut.de.txt", "--model", "lead-3"], tmp_path, stdout=full)
    assert done.returncode == 2, done.stderr
    one_error_line(
        done.stderr,
        "could not write standard output: No space left on device; free some space",
    )


def test_an_output_file_on_a_full_disk_is_one_line(tmp_path):
    (tmp_path / "umlaut.de.txt").write_text(UMLAUT_ARTICLE, encoding="utf-8")
    before = snapshot(tmp_path)
    done = _debrief(
        ["summarize", "umlaut.de.txt", "--model", "lead-3", "-o", "/dev/full"],
        tmp_path,
        stdout=subprocess.DEVNULL,
    )
    assert done.returncode == 2, done.stderr
    one_error_line(done.stderr, "could not write /dev/full: No space left on device")
    assert snapshot(tmp_path) == before


def test_an_ascii_only_standard_output_is_told_before_anything_is_written(tmp_path):
    (tmp_path / "umlaut.de.txt").write_text(UMLAUT_ARTICLE, encoding="utf-8")
    done = _debrief(
        ["summarize", "umlaut.de.txt", "--model", "lead-3"],
        tmp_path,
        stdout=subprocess.PIPE,
        env={"PYTHONIOENCODING": "ascii"},
    )
    assert done.returncode == 2, done.stderr
    one_error_line(
        done.stderr,
        "standard output is set to ascii, which cannot hold this text; set "
        "PYTHONIOENCODING=utf-8, or write to a file with -o",
    )
    assert done.stdout == ""  # not half of the brief


class _ClosedPipe:
    encoding = "utf-8"
    errors = "strict"

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_reader_that_went_away_ends_the_command_quietly(work, capsys, monkeypatch):
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(["summarize", "umlaut.de.txt", "--model", "lead-3", "-q"]) == 141
    assert capsys.readouterr().err == ""


# Signals and the unexpected -----------------------------------------------------------


def test_sigterm_is_handled_like_ctrl_c(work, capsys, monkeypatch):
    def terminated_while_translating(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler interrupts this
        raise AssertionError("SIGTERM was not handled")

    monkeypatch.setattr(FakeTranslator, "translate_batch", terminated_while_translating)
    before = snapshot(work)
    handler = signal.getsignal(signal.SIGTERM)
    code = main(["translate", "bericht.de.txt", "--model", "m", "-o", "out.txt", "--no-cache"])
    err = capsys.readouterr().err
    assert code == 143, err
    assert err.splitlines()[-1] == (
        "debrief: terminated (SIGTERM); no output file is left half-written"
    )
    assert "Traceback" not in err
    assert snapshot(work) == before
    assert signal.getsignal(signal.SIGTERM) is handler  # put back


def test_an_unexpected_error_is_one_line_exit_1_and_debug_shows_it(work, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("tensor mismatch\nat layer 3")

    monkeypatch.setattr(FakeTranslator, "translate_batch", broken)
    before = snapshot(work)
    argv = ["translate", "bericht.de.txt", "--model", "m", "-o", "out.txt", "--no-cache"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    one_error_line(
        err,
        "debrief: error: unexpected RuntimeError: tensor mismatch\\x0aat layer 3; this is a "
        "bug in debrief: run the command again with --debug for the traceback and report it",
    )
    assert snapshot(work) == before
    with pytest.raises(RuntimeError, match="tensor mismatch"):
        main([*argv, "--debug"])


def test_a_huge_unexpected_message_is_cut_to_one_short_line(work, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("x" * 100_000)

    monkeypatch.setattr(FakeTranslator, "translate_batch", broken)
    assert main(["translate", "bericht.de.txt", "--model", "m", "--no-cache", "-q"]) == 1
    line = capsys.readouterr().err.strip()
    assert line.startswith("debrief: error: unexpected ValueError: xxx")
    assert "..." in line and len(line) < 500


# What messages show ------------------------------------------------------------------


def test_a_bidi_override_in_a_file_name_is_escaped(work, capsys):
    name = "bericht\u202etxt.exe"
    assert main(["translate", name, "--model", "m", "-q"]) == 2
    err = capsys.readouterr().err
    one_error_line(err, "bericht\\u202etxt.exe: no such file")
    assert "\u202e" not in err


def test_sizes_that_would_read_alike_are_told_in_bytes(work, capsys):
    (work / "big.de.txt").write_text("Wort " * 210_000, encoding="utf-8")  # 1.0 MB
    assert main(["translate", "big.de.txt", "--model", "m", "--max-input-mb", "1", "-q"]) == 2
    one_error_line(
        capsys.readouterr().err,
        "big.de.txt: 1,050,000 bytes is more than the 1,048,576 bytes an input may hold",
    )


def test_standard_input_writes_stdin_outputs_not_dash(work, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode("utf-8"))))
    code = main(["run", "-", "--translation-model", "m", "--summary-model", "lead-3", "-q"])
    assert code == 0, capsys.readouterr().err
    assert sorted(path.name for path in (work / "out").iterdir()) == [
        "stdin.en.txt",
        "stdin.html",
        "stdin.json",
        "stdin.summary.txt",
    ]


def _check(paragraph: int, segment: int, kind: str) -> Check:
    return Check("translation", paragraph, segment, kind, "detail")


def test_check_counts_add_up():
    # Two segments flagged by four checks; one of two retried segments fixed, and a
    # third segment flagged that was never retried.
    checks = [
        _check(0, 0, "name"),
        _check(0, 0, "name"),
        _check(0, 0, "number"),
        _check(2, 1, "length"),
    ]
    retries = [Retry(0, 0, ("beams",), None), Retry(1, 0, ("beams",), "beams")]
    assert describe_checks(checks, 9, retries=retries) == (
        "9 segments checked, 2 retried (1 fixed), 2 flagged (4 checks: 1 length, 2 name, 1 number)"
    )
    one = [_check(0, 0, "name")]
    assert describe_checks(one, 1) == "1 segment checked, 1 flagged (1 name)"


def test_one_input_is_not_inputs(work, capsys):
    assert (
        main(["run", "bericht.de.txt", "--translation-model", "m", "--summary-model", "lead-3"])
        == 0
    )
    err = capsys.readouterr().err
    assert "1 input done; outputs in out" in err
