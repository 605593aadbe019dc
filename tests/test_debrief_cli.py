"""The `debrief translate` command, in-process and as the installed console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, SEED_ARTICLE, install_fake_models

from debrief.cli import main
from translate.segment import collapse_whitespace

DEBRIEF = Path(sys.executable).parent / "debrief"


def run_debrief(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DEBRIEF), *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=REPO_ROOT,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        timeout=300,
    )


@pytest.mark.slow
def test_seed_to_json_through_the_console_script(tiny_marian_dir, tmp_path):
    out = tmp_path / "seed.json"
    result = run_debrief(
        "translate",
        str(SEED_ARTICLE),
        "--model",
        str(tiny_marian_dir),
        "--format",
        "json",
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["source_url"].startswith("https://www.zeit.de/")
    assert record["model"] == str(tiny_marian_dir)
    [paragraph] = record["paragraphs"]
    assert len(paragraph["segments"]) >= 30
    assert " ".join(s["source"] for s in paragraph["segments"]) == collapse_whitespace(
        paragraph["source"]
    )
    assert all(s["translation"].strip() for s in paragraph["segments"])


@pytest.mark.slow
def test_text_to_stdout_keeps_url_and_paragraphs(tiny_marian_dir, tmp_path, capsys):
    article = tmp_path / "artikel.de.txt"
    article.write_text(
        "https://example.org/a\n\nErster Absatz.\n\nZweiter Absatz. Noch ein Satz.\n",
        encoding="utf-8",
    )
    assert main(["translate", str(article), "--model", str(tiny_marian_dir), "--quiet"]) == 0
    captured = capsys.readouterr()
    blocks = captured.out.rstrip("\n").split("\n\n")
    assert blocks[0] == "https://example.org/a"
    assert len(blocks) == 3 and all(blocks[1:])
    assert captured.err == ""


@pytest.mark.slow
def test_format_follows_output_suffix_and_markdown_links_source(tiny_marian_dir, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("https://example.org/a\n\nEin Satz.\n", encoding="utf-8")
    out = tmp_path / "a.md"
    assert (
        main(["translate", str(article), "--model", str(tiny_marian_dir), "-o", str(out), "-q"])
        == 0
    )
    assert out.read_text(encoding="utf-8").startswith(
        "Source: [https://example.org/a](https://example.org/a)\n\n"
    )


@pytest.mark.slow
def test_standard_input(tiny_marian_dir):
    result = run_debrief(
        "translate", "-", "--model", str(tiny_marian_dir), "-q", stdin="Ein Satz.\n\nNoch einer.\n"
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.rstrip("\n").split("\n\n")) == 2


def test_unknown_model_offline_is_one_line_exit_2(tmp_path):
    out = tmp_path / "out.txt"
    result = run_debrief(
        "translate", str(SEED_ARTICLE), "--model", "Helsinki-NLP/opus-mt-de-en", "-o", str(out)
    )
    assert result.returncode == 2
    error_lines = [
        line for line in result.stderr.splitlines() if line.startswith("debrief: error:")
    ]
    assert len(error_lines) == 1
    assert "Helsinki-NLP/opus-mt-de-en" in error_lines[0] and "--model DIR" in error_lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_missing_input_is_exit_2(capsys, tmp_path):
    assert main(["translate", str(tmp_path / "nope.txt")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("debrief: error: ") and "no such file" in err
    assert err.count("\n") == 1


def test_bad_batch_budget_is_refused_before_any_model_loads(capsys):
    # "no-such-model" would be a model error; the usage error must come first.
    assert (
        main(["translate", str(SEED_ARTICLE), "--model", "no-such-model", "--batch-tokens", "0"])
        == 2
    )
    assert "--batch-tokens must be at least 1" in capsys.readouterr().err


def test_bad_arguments_are_exit_2(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["translate", "x.txt", "--format", "pdf"])
    assert raised.value.code == 2


def test_help_does_not_import_torch():
    code = "import sys; from debrief.cli import build_parser; build_parser(); print('torch' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("package", ["debrief", "translate"])
def test_python_dash_m_runs_the_cli(package):
    result = subprocess.run(
        [sys.executable, "-m", package, "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stdout.startswith("debrief ")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("directory", "is a directory"),
        (b"\x7fELF\x02\x01\x01" + bytes(300), "looks like binary data"),
        (b"", "is empty"),
        (b"   \n\n \t ", "holds only whitespace"),
        (b"https://example.org/nur-url\n", "holds only a URL"),
    ],
)
def test_unusable_input_is_one_line_exit_2_and_nothing_written(tmp_path, capsys, content, message):
    source = tmp_path / "input.de.txt"
    if content == "directory":
        source.mkdir()
    elif content is not None:
        source.write_bytes(content)
    out = tmp_path / "out.txt"
    assert main(["translate", str(source), "-o", str(out), "--model", "unused"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("debrief: error: ") and message in err
    assert not out.exists()


ENGLISH_TEXT = (
    "The government in Moscow continues to hold back. Independent experts in Minsk and Moscow "
    "agree that the Kremlin had hoped for a weakened president after the election."
)


@pytest.mark.slow
def test_english_input_warns_and_strict_refuses(tiny_marian_dir, tmp_path, capsys):
    source = tmp_path / "english.txt"
    source.write_text(ENGLISH_TEXT, encoding="utf-8")
    out = tmp_path / "out.txt"
    assert main(["translate", str(source), "--model", str(tiny_marian_dir), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "warning: " in err and "looks like English" in err
    assert out.exists()
    out.unlink()
    assert (
        main(
            ["translate", str(source), "--model", str(tiny_marian_dir), "-o", str(out), "--strict"]
        )
        == 2
    )
    assert "looks like English" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("encoding", "extra"),
    [("cp1252", []), ("utf-16", []), ("utf-8-sig", []), ("latin-1", ["--encoding", "latin-1"])],
)
def test_legacy_encodings_keep_umlauts(tiny_marian_dir, tmp_path, encoding, extra):
    paragraph = "Die Größe der Straße überrascht. Ärger in Köln – „heißt es“."
    if encoding == "latin-1":  # latin-1 has no „“ or –
        paragraph = paragraph.replace("„", '"').replace("“", '"').replace("–", "-")
    text = f"https://example.org/a\r\n\r\n{paragraph}\r\n"
    source = tmp_path / "alt.de.txt"
    source.write_bytes(text.encode(encoding))
    out = tmp_path / "alt.json"
    assert (
        main(
            [
                "translate",
                str(source),
                "--model",
                str(tiny_marian_dir),
                "-o",
                str(out),
                "-q",
                *extra,
            ]
        )
        == 0
    )
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["source_url"] == "https://example.org/a"
    assert record["paragraphs"][0]["source"] == paragraph


def test_ctrl_c_swallowed_by_a_finalizer_still_stops_the_run(tmp_path, monkeypatch, capsys):
    from conftest import FakeTranslator

    import debrief.cli.terminal as terminal

    class InterruptedInFinalizer(FakeTranslator):
        def translate_batch(self, texts, *, num_beams=None):
            # What SIGINT leaves behind when its KeyboardInterrupt is raised inside a
            # __del__: the flag set, the exception dropped.
            terminal.interrupted.set()
            return super().translate_batch(texts)

    install_fake_models(monkeypatch, InterruptedInFinalizer())
    article = tmp_path / "a.de.txt"
    article.write_text("Ein Satz hier. Noch ein Satz.\n\nDritter Satz.\n", encoding="utf-8")
    out = tmp_path / "a.en.txt"
    code = main(["translate", str(article), "-o", str(out), "-q", "--no-cache"])
    assert code == 130
    assert "interrupted" in capsys.readouterr().err
    assert not out.exists()
