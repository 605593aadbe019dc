"""debrief used as a hostile or careless user would: one table per class of mistake,
each case through the real CLI (in-process with fake models, or as a process where the
case needs one: stdin, a FIFO, a terminal), stating the command, the exit code, the one
line it must print, and what must be unchanged on disk afterwards.

The classes (docs/reliability.md): outputs written unsafely; the cache as a reason to
fail; special and huge inputs; options checked late; quadratic splitting; control
characters reaching a terminal or a page; odd inputs to `summarize`; messages that point
to the wrong fix; feedback on long work.

Issue 21's classes have tables of their own: fetching's trust boundary and deadlines
(test_adversarial_fetch.py), the local server's (test_adversarial_server.py), archive
records (test_adversarial_archives.py), the conversion cache (test_adversarial_cache.py;
the cache on Ray and an absent Ray in test_debrief_ray*.py), and one line for every
failure (test_adversarial_cli.py).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FakeSummarizer, FakeTranslator, install_fake_models

from debrief.cli import main
from summarize.model import LeadSummarizer

DEBRIEF = Path(sys.executable).parent / "debrief"
ARTICLE = (
    "https://example.org/artikel\n\n"
    "Die Regierung in Minsk hat am Sonntag gewählt. Die Opposition protestiert.\n\n"
    "Der Präsident sprach von einer Verschwörung aus dem Ausland.\n"
)


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A folder with an article, fake models behind every model name, the CLI's cwd."""
    (tmp_path / "bericht.de.txt").write_text(ARTICLE, encoding="utf-8")
    install_fake_models(monkeypatch, FakeTranslator(), FakeSummarizer())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def snapshot(root: Path, skip: tuple[str, ...] = ()) -> dict[str, object]:
    """Every path under `root` with its kind, mode and bytes (for regular files)."""
    state: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        if name.startswith(skip):
            continue
        info = path.lstat()
        content = (
            path.read_bytes()
            if stat.S_ISREG(info.st_mode)
            else os.readlink(path)
            if (stat.S_ISLNK(info.st_mode))
            else None
        )
        state[name] = (stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode), content)
    return state


def one_error_line(err: str, message: str) -> None:
    lines = [line for line in err.splitlines() if line.startswith("debrief: error:")]
    assert len(lines) == 1, err
    assert message in lines[0], err
    assert "Traceback" not in err


def run_process(
    *args: str, stdin=None, shell_suffix: str = "", timeout: float = 60
) -> subprocess.CompletedProcess:
    command = " ".join(f"'{arg}'" for arg in (str(DEBRIEF), *args)) + shell_suffix
    return subprocess.run(
        ["bash", "-c", command],
        stdin=stdin,
        capture_output=True,
        timeout=timeout,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )


TRANSLATE = ["translate", "bericht.de.txt", "--model", "m", "--no-cache", "-q"]
RUN = ["run", "bericht.de.txt", "--translation-model", "m", "--summary-model", "lead-3", "-q"]


# 1. Outputs written unsafely --------------------------------------------------------------


def test_output_onto_a_symlink_writes_through_to_its_target(work, capsys):
    (work / "target.txt").write_text("old\n", encoding="utf-8")
    (work / "link.txt").symlink_to("target.txt")
    assert main([*TRANSLATE, "-o", "link.txt"]) == 0
    assert (work / "link.txt").is_symlink()
    assert "EN[Die Regierung" in (work / "target.txt").read_text(encoding="utf-8")


def test_output_onto_dev_null_leaves_it_a_device(work, capsys):
    assert main([*TRANSLATE, "-o", "/dev/null"]) == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not list(Path("/dev").glob(".null.*.tmp"))


def test_output_dash_means_standard_output(work, capsys):
    assert main([*TRANSLATE, "-o", "-"]) == 0
    assert "EN[Die Regierung" in capsys.readouterr().out
    assert not (work / "-").exists()


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_output_follows_the_umask(work, capsys, umask, mode):
    previous = os.umask(umask)
    try:
        assert main([*TRANSLATE, "-o", "neu.txt"]) == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((work / "neu.txt").stat().st_mode) == mode


def test_overwritten_output_keeps_its_mode_and_hard_links(work, capsys):
    existing = work / "alt.txt"
    existing.write_text("old\n", encoding="utf-8")
    existing.chmod(0o640)
    os.link(existing, work / "zweiter-name.txt")
    assert main([*TRANSLATE, "-o", "alt.txt"]) == 0
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640
    assert (work / "zweiter-name.txt").read_text(encoding="utf-8") == existing.read_text(
        encoding="utf-8"
    )
    assert "EN[" in existing.read_text(encoding="utf-8")


def test_run_replaces_its_three_outputs_together_or_not_at_all(work, capsys, monkeypatch):
    import debrief.outputs.files as writers

    out = work / "out"
    out.mkdir()
    for name in ("bericht.en.txt", "bericht.summary.txt", "bericht.json"):
        (out / name).write_text(f"old {name}\n", encoding="utf-8")
    before = snapshot(work)
    real_write = writers._write_temporary
    written = []

    def disk_full_on_the_third(target, text):
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        written.append(target)
        return real_write(target, text)

    monkeypatch.setattr(writers, "_write_temporary", disk_full_on_the_third)
    assert main([*RUN, "--out-dir", "out"]) == 4
    assert "No space left on device" in capsys.readouterr().err
    assert snapshot(work) == before  # all three old files, no temporary left


def test_temporaries_of_a_killed_run_are_cleaned(work, capsys):
    out = work / "out"
    out.mkdir()
    stale = out / ".bericht.json.k1ll3d.tmp"
    stale.write_text("half", encoding="utf-8")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    fresh = out / ".bericht.json.wr1t1ng.tmp"  # another run may be writing this now
    fresh.write_text("half", encoding="utf-8")
    assert main([*RUN, "--out-dir", "out"]) == 0
    assert not stale.exists() and fresh.exists()


OUTPUT_PATH_CASES = [
    ([*TRANSLATE, "-o", "bericht.de.txt"], "is the input"),
    ([*TRANSLATE, "-o", "a-file/x.txt"], "a-file is a file, not a folder"),
    ([*TRANSLATE, "-o", "a-folder"], "a-folder: is a folder"),
    ([*RUN, "--out-dir", "a-file"], "a-file is a file, not a folder"),
    (
        ["run", "bericht.de.txt", "bericht.en.txt", "--out-dir", ".", "--translation-model", "m"],
        "bericht.en.txt would be overwritten by the output of bericht.de.txt",
    ),
]


@pytest.mark.parametrize(("argv", "message"), OUTPUT_PATH_CASES)
def test_unwritable_output_paths_are_refused_up_front(work, capsys, argv, message):
    (work / "a-file").write_text("x", encoding="utf-8")
    (work / "a-folder").mkdir()
    (work / "bericht.en.txt").write_text("An English text.\n", encoding="utf-8")
    before = snapshot(work)
    assert main(argv) == 2
    one_error_line(capsys.readouterr().err, message)
    assert snapshot(work) == before


# 2. The cache is an optimisation, never a reason to fail ----------------------------------


def _valid_cache(path: Path) -> None:
    from translate.cache import TranslationCache

    cache = TranslationCache(path)
    cache.store("identity", [("Ein Satz.", "A sentence.")] * 1)
    cache.store("identity", [(f"Satz {n}.", f"Sentence {n}.") for n in range(300)])
    cache.close()


def _damage(kind: str, path: Path) -> None:
    if kind == "random bytes":
        path.write_bytes(os.urandom(4096))
    elif kind == "truncated":
        _valid_cache(path)
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])
    elif kind == "wrong schema":
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE translations (a INTEGER, b BLOB)")
    elif kind == "a view":
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE VIEW translations AS SELECT 1 AS key, 2 AS translation")


@pytest.mark.parametrize("kind", ["random bytes", "truncated", "wrong schema", "a view"])
def test_a_damaged_cache_is_moved_aside_and_the_run_finishes(work, capsys, monkeypatch, kind):
    cache_dir = work / "cache"
    cache_dir.mkdir()
    monkeypatch.setenv("DEBRIEF_CACHE_DIR", str(cache_dir))
    _damage(kind, cache_dir / "translations.sqlite3")
    damaged = (cache_dir / "translations.sqlite3").read_bytes()
    argv = ["run", "bericht.de.txt", "--translation-model", "m", "--summary-model", "lead-3"]
    assert main([*argv, "--out-dir", "out"]) == 0
    err = capsys.readouterr().err
    assert "was damaged" in err and "moved it to" in err
    [aside] = cache_dir.glob("translations.sqlite3.damaged-*")
    assert aside.read_bytes() == damaged  # kept for whoever wants to look
    assert (work / "out" / "bericht.json").exists()
    assert main([*argv, "--out-dir", "out2"]) == 0  # the fresh cache works
    assert "3 of 3 segments from the cache" in capsys.readouterr().err


def test_a_cache_folder_that_is_a_file_costs_a_warning_not_the_run(work, capsys, monkeypatch):
    (work / "not-a-folder").write_text("x", encoding="utf-8")
    monkeypatch.setenv("DEBRIEF_CACHE_DIR", str(work / "not-a-folder"))
    assert main([*RUN, "--out-dir", "out"]) == 0
    assert "no translation cache" in capsys.readouterr().err
    assert (work / "out" / "bericht.en.txt").exists()


def test_a_cache_that_fails_mid_run_is_given_up_once(work, capsys, monkeypatch):
    from translate.cache import TranslationCache

    real_open = TranslationCache._open

    def opened_read_only(self):
        connection = real_open(self)
        connection.execute("PRAGMA query_only = ON")  # every write now fails, as on a full disk
        return connection

    monkeypatch.setenv("DEBRIEF_CACHE_DIR", str(work / "cache"))
    monkeypatch.setattr(TranslationCache, "_open", opened_read_only)
    argv = ["run", "bericht.de.txt", "--translation-model", "m", "--summary-model", "lead-3"]
    assert main([*argv, "--out-dir", "out"]) == 0
    err = capsys.readouterr().err
    assert err.count("cannot be used (attempt to write a readonly database)") == 1
    assert (work / "out" / "bericht.json").exists()


def _open_and_store(path: str, barrier, index: int) -> None:
    from translate.cache import TranslationCache

    barrier.wait()
    cache = TranslationCache(path)
    cache.store("identity", [(f"Satz {index}.", f"Sentence {index}.")])
    cache.close()


def test_four_processes_opening_a_new_cache_at_once(tmp_path):
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(4)
    path = str(tmp_path / "new.sqlite3")
    workers = [
        context.Process(target=_open_and_store, args=(path, barrier, index)) for index in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM translations").fetchone()[0] == 4


@pytest.mark.slow
def test_a_local_model_spelled_another_way_finds_its_translations(
    tiny_marian_dir, tmp_path, capsys
):
    article = tmp_path / "bericht.de.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    spellings = [str(tiny_marian_dir), f"{tiny_marian_dir}/../{tiny_marian_dir.name}/."]
    for spelling in spellings:
        argv = ["translate", str(article), "--model", spelling, "--no-retry", "--backend", "torch"]
        assert main([*argv, "-o", str(tmp_path / "out.txt")]) == 0
    assert "3 of 3 segments from the cache" in capsys.readouterr().err


def test_the_cache_key_does_not_depend_on_how_a_local_path_is_spelled():
    from translate.cache import model_identity

    settings = {"num_beams": 4}
    assert model_identity("out/m", "sha256:abc", settings) == model_identity(
        "./out/m", "sha256:abc", settings
    )
    assert model_identity("out/m", "sha256:abc", settings) != model_identity(
        "out/m", "sha256:def", settings
    )


@pytest.mark.slow
def test_a_damaged_ctranslate2_conversion_is_made_again(tiny_marian_dir, tmp_path, caplog):
    pytest.importorskip("ctranslate2")
    from debrief.runtime.settings import Runtime
    from translate.marian import load_translator

    runtime = Runtime(backend="ctranslate2", device="cpu")
    first = load_translator(str(tiny_marian_dir), runtime=runtime)
    expected = first.translate_batch(["Ein Satz."])
    [converted] = (Path(os.environ["DEBRIEF_CACHE_DIR"]) / "ctranslate2").glob("*-fp32")
    model_bin = converted / "model.bin"
    model_bin.write_bytes(model_bin.read_bytes()[:1000])
    # Spelled another way, the same model finds the same (damaged) conversion.
    again = load_translator(str(tiny_marian_dir) + "/.", runtime=runtime)
    assert "was damaged" in caplog.text
    assert again.translate_batch(["Ein Satz."]) == expected


# 3. Special and huge inputs -----------------------------------------------------------------


SPECIAL_INPUT_CASES = [
    ("/dev/zero", "/dev/zero: is not a regular file"),
    ("/dev/urandom", "/dev/urandom: is not a regular file"),
    ("fifo", "fifo: is not a regular file"),
    (
        "big.de.txt",
        # 1.05 MB and 1.0 MB would both be written "1.0 MB": the message gives bytes
        "1,100,000 bytes is more than the 1,048,576 bytes an input may hold; raise the "
        "limit with --max-input-mb",
    ),
]


@pytest.mark.parametrize(("name", "message"), SPECIAL_INPUT_CASES)
@pytest.mark.parametrize("command", ["translate", "run", "summarize"])
def test_only_regular_files_of_a_sane_size_are_read(work, capsys, command, name, message):
    os.mkfifo(work / "fifo")  # no writer: opening it to read would wait forever
    (work / "big.de.txt").write_text("Ein Satz. " * 110_000, encoding="utf-8")
    before = snapshot(work)
    models = ["--model", "m"] if command != "run" else ["--translation-model", "m"]
    argv = [command, name, *models, "--max-input-mb", "1", "-q"]
    assert main(argv) == 2
    one_error_line(capsys.readouterr().err, message)
    assert snapshot(work) == before


def test_endless_standard_input_stops_at_the_size_limit(tmp_path):
    with open("/dev/zero", "rb") as zeros:
        result = run_process(
            "translate", "-", "--model", "m", "--max-input-mb", "2", stdin=zeros, timeout=60
        )
    assert result.returncode == 2
    one_error_line(result.stderr.decode(), "standard input holds more than the 2.0 MB")


def test_closed_standard_input_is_one_line(tmp_path):
    result = run_process("translate", "-", "--model", "m", shell_suffix=" <&-")
    assert result.returncode == 2
    one_error_line(result.stderr.decode(), "standard input is closed")


def test_a_fifo_in_run_does_not_stall_the_others(work, capsys):
    os.mkfifo(work / "fifo")
    start = time.monotonic()
    assert main(["run", "fifo", "bericht.de.txt", "--translation-model", "m", "-q"]) == 2
    assert time.monotonic() - start < 30  # refused, not waited on
    one_error_line(capsys.readouterr().err, "fifo: is not a regular file")


# 4. Options checked late or never: tests/test_debrief_plan.py holds the whole table; the
#    cases this issue names, again, through the run command.

OPTION_CASES = [
    (["--num-beams", "0"], "--num-beams must be between 1 and 16"),
    (["--num-beams", "100000"], "--num-beams must be between 1 and 16"),
    (["--max-words", "0"], "--max-words must be at least 1"),
    (["--summary-model", "lead-three"], "did you mean lead-3?"),
    (["--summary-model", "lead-0"], "would write an empty brief"),
    (["--threads", "100000"], "--threads must be between 1 and"),
    (["--encoding", "undefined"], "unknown --encoding 'undefined'"),
    (["--max-input-mb", "0"], "--max-input-mb must be more than 0"),
]


@pytest.mark.parametrize(("options", "message"), OPTION_CASES)
def test_careless_options_are_refused_before_models_load(
    tmp_path, capsys, monkeypatch, options, message
):
    (tmp_path / "bericht.de.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    argv = ["run", "bericht.de.txt", "--translation-model", str(tmp_path), *options, "-q"]
    before = snapshot(tmp_path)
    assert main(argv) == 2
    one_error_line(capsys.readouterr().err, message)
    assert snapshot(tmp_path) == before


# 5. Quadratic summary splitting ------------------------------------------------------------


def test_a_huge_english_paragraph_is_split_blockwise():
    from summarize.chunking import split_sentences

    sentence = "The minister said on Sunday that the talks in Minsk would continue. "
    text = sentence * 20_000  # 1.3 MB in one paragraph: hours for pysbd at once
    sentences = split_sentences(text)
    assert len(sentences) == 20_000
    assert " ".join(sentences) == text.strip()


def test_summarize_of_a_huge_english_paragraph_through_the_cli(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sentence = "The minister said on Sunday that the talks in Minsk would continue. "
    (tmp_path / "huge.en.txt").write_text(sentence * 20_000, encoding="utf-8")
    argv = ["summarize", "huge.en.txt", "--model", "lead-3", "-o", "brief.txt", "-q"]
    assert main(argv) == 0
    assert (tmp_path / "brief.txt").read_text(encoding="utf-8") == (sentence * 3).strip() + "\n"


# 6. Text that reaches a terminal or a page raw ------------------------------------------------


def test_escape_sequences_in_the_url_line_never_reach_the_terminal(work, capsys):
    text = "Die Regierung in Minsk hat am Sonntag gewählt. " * 20  # under 1% control bytes
    (work / "evil.de.txt").write_text(
        f"https://example.org/\x1b[2J\x1b]0;pwned\x07\n\n{text}\n\x1b[31mRot.\n", encoding="utf-8"
    )
    assert main(["translate", "evil.de.txt", "--model", "m", "--no-cache"]) == 0
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out and "\x07" not in captured.out
    assert "\x1b" not in captured.err


def test_file_names_with_control_characters_are_escaped_in_messages(work, capsys):
    assert main(["translate", "nope\x1b[31m.txt", "--model", "m"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err
    one_error_line(err, "nope\\x1b[31m.txt: no such file")


@pytest.mark.parametrize(
    ("url_line", "forbidden"),
    [
        ('https://example.org/"><script>alert(1)</script>', r"<script"),
        # A link needs an unescaped "](": escaped brackets stay text.
        ("https://example.org/x) [click](javascript:alert(1)", r"(?<!\\)\]\(javascript:"),
        ("javascript:alert(1)", r"(?<!\\)\]\(javascript:"),
    ],
)
def test_markdown_output_holds_no_raw_html_or_foreign_links(work, capsys, url_line, forbidden):
    (work / "seite.de.txt").write_text(f"{url_line}\n\nEin <b>fetter</b> Satz.\n", encoding="utf-8")
    assert main(["translate", "seite.de.txt", "--model", "m", "--no-cache", "-o", "s.md"]) == 0
    markdown = (work / "s.md").read_text(encoding="utf-8")
    assert not re.search(forbidden, markdown), markdown
    assert "<b>" not in markdown and "&lt;b&gt;" in markdown


# 7. Odd inputs to summarize ------------------------------------------------------------------


def _record(paragraphs) -> str:
    return json.dumps({"paragraphs": paragraphs})


SUMMARY_INPUT_CASES = [
    (
        _record([{"segments": [{"translation": 42}]}]),
        "not a `debrief translate --format json` file",
    ),
    (_record([{"segments": [{"translation": ["a"]}]}]), "not a `debrief translate --format json`"),
    (_record([{"translation": None}]), "not a `debrief translate --format json` file"),
    (_record("not a list"), "not a `debrief translate --format json` file"),
    ('{"paragraphs": ' + "[" * 200_000 + "]" * 200_000 + "}", "not a `debrief translate"),
    (_record([{"translation": "Lone \ud800 surrogate."}]), "lone surrogates"),
    (_record([]), "holds no English text to brief"),
]


@pytest.mark.parametrize(("content", "message"), SUMMARY_INPUT_CASES)
def test_odd_translation_records_are_one_line(work, capsys, content, message):
    (work / "record.json").write_text(content, encoding="utf-8", errors="surrogatepass")
    before = snapshot(work)
    assert main(["summarize", "record.json", "--model", "lead-3", "-o", "brief.txt"]) == 2
    one_error_line(capsys.readouterr().err, message)
    assert snapshot(work) == before


def test_lead_3_of_text_without_sentence_ends_is_short(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    work = tmp_path
    (work / "run-on.en.txt").write_text("word " * 5000, encoding="utf-8")
    assert main(["summarize", "run-on.en.txt", "--model", "lead-3", "-o", "brief.txt"]) == 0
    brief = (work / "brief.txt").read_text(encoding="utf-8")
    assert len(brief.split()) <= 3 * 60 + 3 and brief.rstrip().endswith("…")


# 8. Messages that point to the wrong fix ------------------------------------------------------


def test_run_names_its_own_flags_and_every_missing_model(tmp_path, capsys, monkeypatch):
    (tmp_path / "bericht.de.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    argv = ["run", "bericht.de.txt", "--translation-model", "./fehlt", "--summary-model", "x/y"]
    assert main([*argv, "-q"]) == 2
    err = capsys.readouterr().err
    one_error_line(err, "--translation-model DIR")
    assert "'./fehlt' is not a directory on this machine (no such path)" in err
    assert "x/y" in err and "--summary-model DIR" in err
    assert "--model DIR" not in err.replace("-model DIR", "")


def test_verbose_numbers_segments_as_the_json_does(work, capsys, monkeypatch):
    from conftest import FixedSummarizer

    install_fake_models(monkeypatch, summarizer=FixedSummarizer("The talks in Paris went on."))
    argv = ["run", "bericht.de.txt", "--translation-model", "m", "--summary-model", "s"]
    assert main([*argv, "--out-dir", "out", "-v", "--no-cache"]) == 0
    err = capsys.readouterr().err
    record = json.loads((work / "out" / "bericht.json").read_text(encoding="utf-8"))
    [check] = [c for c in record["checks"] if c["kind"] == "name"]
    assert f"summary, paragraph {check['paragraph']}, segment {check['segment']}: name" in err


# 9. Feedback on long work -----------------------------------------------------------------------


class Terminal:
    """A stderr that says it is a terminal, so that the progress bars draw."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


class ChunkedLead(LeadSummarizer):
    """lead-3 that reports three chunks, as a long input's map-reduce would."""

    def summarize(self, text, progress=None):
        for done in range(1, 4):
            progress(done, 3)
        return super().summarize(text)


def test_long_work_shows_bars_for_files_segments_and_summary_chunks(work, monkeypatch):
    install_fake_models(monkeypatch, summarizer=ChunkedLead())
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    argv = ["run", "bericht.de.txt", "--translation-model", "m", "--summary-model", "s"]
    assert main([*argv, "--out-dir", "out", "--no-cache"]) == 0
    for bar in ("articles", "translating", "summarising: 100%"):
        assert bar in terminal.text, terminal.text
    assert "3/3 [" in terminal.text  # the summary's chunks counted


def test_retries_report_progress():
    from translate.article import Article
    from translate.pipeline import translate_article

    class LosesNumbers(FakeTranslator):
        def translate_batch(self, texts, *, num_beams=None):
            return [f"EN[{text.replace('3', '')}]" for text in texts]

    seen = []
    article = Article(("Es waren 3 Menschen da. Es war kalt.", "Dann kamen 3 mehr."))
    translate_article(article, LosesNumbers(), progress=lambda done, total: seen.append(total))
    # The first pass covers every piece; the retries report on the flagged ones after it.
    assert seen[0] == 3 and len(seen) > 1 and seen[-1] < 3


def test_summary_chunks_report_progress(work, capsys):
    from debrief.job import run_job
    from debrief.plan import JobPlan

    seen = []
    plan = JobPlan(inputs=(work / "bericht.de.txt",), out_dir=work / "out", use_cache=False)
    run_job(plan, summarizer=ChunkedLead(), summary_progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
