"""Reliability: language check, the resume cache, SIGKILL and Ctrl-C, odd Unicode."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEED_ARTICLE, FakeSummarizer, FakeTranslator, run_with_models
from hypothesis import given, settings
from hypothesis import strategies as st
from support.german_segment_cases import SEGMENT_CASES

from translate import segment
from translate.article import CONTROLS_AS_SPACES, Article, parse_article
from translate.cache import TranslationCache
from translate.language import NotGermanError, check_german, guess_language
from translate.pipeline import translate_article
from translate.reading import read_article
from translate.segment import collapse_whitespace, segment_paragraph

DEBRIEF = Path(sys.executable).parent / "debrief"

ENGLISH_PARAGRAPH = (
    "The government in Moscow continues to hold back. Independent experts in Minsk and "
    "Moscow agree that the Kremlin had hoped for a weakened president after the election, "
    "and the protests have now lasted for two weeks."
)


# Language --------------------------------------------------------------------------------


def test_german_is_not_flagged():
    assert check_german(read_article(SEED_ARTICLE), "seed") is None


def test_english_input_warns_naming_the_language(caplog):
    with caplog.at_level("WARNING", logger="debrief"):
        guess = check_german(Article((ENGLISH_PARAGRAPH,)), "english.txt")
    assert guess.iso_code == "en"
    assert "english.txt: looks like English" in caplog.text
    assert "--strict" in caplog.text


def test_strict_makes_it_an_error():
    with pytest.raises(NotGermanError, match="looks like English"):
        check_german(Article((ENGLISH_PARAGRAPH,)), "english.txt", strict=True)


@pytest.mark.parametrize(
    ("iso_code", "passage"),
    [
        ("en", ENGLISH_PARAGRAPH),
        (
            "fr",
            "Le gouvernement de Moscou continue de se tenir en retrait. Des experts indépendants "
            "à Minsk et à Moscou estiment que le Kremlin espérait un président affaibli après l'élection.",
        ),
        (
            "es",
            "El gobierno de Moscú sigue conteniéndose. Expertos independientes en Minsk y Moscú "
            "coinciden en que el Kremlin esperaba un presidente debilitado tras las elecciones.",
        ),
        (
            "nl",
            "De regering in Moskou blijft zich terughoudend opstellen. Onafhankelijke deskundigen in "
            "Minsk en Moskou zijn het erover eens dat het Kremlin op een verzwakte president hoopte.",
        ),
        (
            "ru",
            "Правительство в Москве продолжает сдерживаться. Независимые эксперты в Минске и Москве "
            "согласны, что Кремль надеялся на ослабленного президента после выборов.",
        ),
    ],
)
def test_other_languages_are_named(iso_code, passage):
    assert guess_language(passage).iso_code == iso_code


def test_too_short_to_judge():
    assert guess_language("Hello there.") is None


def test_german_case_table_text_is_recognised_as_german():
    # The case table's sentences, in passages of 200+ characters: all must read as German.
    passages, current = [], ""
    for paragraph, _ in SEGMENT_CASES:
        current = f"{current} {paragraph}".strip()
        if len(current) >= 200:
            passages.append(current)
            current = ""
    guesses = [guess_language(passage) for passage in passages]
    assert len(passages) >= 20
    assert [guess.iso_code for guess in guesses] == ["de"] * len(passages)


# The cache ---------------------------------------------------------------------------------


def test_second_run_comes_from_the_cache_and_is_identical(tmp_path):
    cache = TranslationCache(tmp_path / "cache.sqlite3")
    article = read_article(SEED_ARTICLE)
    first_translator = FakeTranslator()
    first = translate_article(article, first_translator, cache=cache)
    second_translator = FakeTranslator()
    second = translate_article(article, second_translator, cache=cache)
    assert first == second
    assert first_translator.batches and not second_translator.batches
    assert len(cache) == 35


def test_other_settings_miss_the_cache(tmp_path):
    cache = TranslationCache(tmp_path / "cache.sqlite3")
    article = Article(("Ein Satz.",))
    translate_article(article, FakeTranslator(), cache=cache)
    other = FakeTranslator()
    other.name = "another-model"
    translate_article(article, other, cache=cache)
    assert other.batches == [["Ein Satz."]]


def test_failed_run_leaves_existing_outputs_unchanged(tmp_path):
    article = tmp_path / "a.de.txt"
    article.write_text("Ein Satz.", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.en.txt").write_text("old translation\n", encoding="utf-8")

    class BrokenSummarizer(FakeSummarizer):
        def summarize(self, text, progress=None):
            raise RuntimeError("model exploded")

    [result] = run_with_models([article], FakeTranslator(), BrokenSummarizer(), out)
    assert not result.ok and "model exploded" in result.error
    assert (out / "a.en.txt").read_text(encoding="utf-8") == "old translation\n"
    assert sorted(p.name for p in out.iterdir()) == ["a.en.txt"]


# Real processes: SIGKILL, resume, Ctrl-C ---------------------------------------------------


def long_article(path: Path, paragraphs: int = 40) -> Path:
    """An article of distinct sentences, long enough to take seconds on the tiny model."""
    body = [
        " ".join(
            f"Im Absatz {p} meldete die Agentur zum {s}. Mal neue Zahlen aus Minsk und Moskau."
            for s in range(1, 9)
        )
        for p in range(paragraphs)
    ]
    path.write_text("https://example.org/lang\n\n" + "\n\n".join(body), encoding="utf-8")
    return path


def cached_rows(cache_dir: Path) -> int:
    database = cache_dir / "translations.sqlite3"
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(database, timeout=5) as connection:
            return connection.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    except sqlite3.OperationalError:  # the table is not created yet
        return 0


def start_run(
    article: Path, out: Path, model: Path, cache_dir: Path, *extra: str
) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(DEBRIEF),
            "run",
            str(article),
            "--translation-model",
            str(model),
            "--summary-model",
            "lead-3",
            "--out-dir",
            str(out),
            "--batch-tokens",
            "40",
            # The random model's output is flagged nearly everywhere; retrying it would
            # triple each run without touching the cache these tests are about.
            "--no-retry",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "DEBRIEF_CACHE_DIR": str(cache_dir), "HF_HUB_OFFLINE": "1"},
    )


def wait_for_rows(
    process: subprocess.Popen, cache_dir: Path, rows: int, timeout: float = 120
) -> None:
    deadline = time.monotonic() + timeout
    while cached_rows(cache_dir) < rows:
        assert process.poll() is None, "the run finished before it could be interrupted"
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.02)


@pytest.mark.slow
def test_run_killed_with_sigkill_resumes_from_the_cache(tiny_marian_dir, tmp_path):
    article = long_article(tmp_path / "lang.de.txt")
    total = 320

    reference_out = tmp_path / "reference"
    reference = start_run(
        article, reference_out, tiny_marian_dir, tmp_path / "cache-ref", "--no-cache"
    )
    assert reference.wait(timeout=300) == 0, reference.stderr.read()

    cache_dir = tmp_path / "cache"
    out = tmp_path / "out"
    victim = start_run(article, out, tiny_marian_dir, cache_dir)
    wait_for_rows(victim, cache_dir, rows=60)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    done_before_kill = cached_rows(cache_dir)
    assert 0 < done_before_kill < total
    assert not (out / "lang.json").exists()  # nothing half-written, nothing written

    resumed = start_run(article, out, tiny_marian_dir, cache_dir)
    _, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    reused = int(stderr.split(" of 320 segments from the cache")[0].rsplit("debrief: ", 1)[1])
    assert reused >= done_before_kill
    for name in ("lang.en.txt", "lang.summary.txt", "lang.json"):
        assert (out / name).read_bytes() == (reference_out / name).read_bytes()
    assert len(json.loads((out / "lang.json").read_text())["paragraphs"]) == 40


@pytest.mark.slow
def test_ctrl_c_exits_130_without_traceback_and_keeps_outputs(tiny_marian_dir, tmp_path):
    article = long_article(tmp_path / "lang.de.txt")
    out = tmp_path / "out"
    out.mkdir()
    (out / "lang.en.txt").write_text("previous run\n", encoding="utf-8")
    cache_dir = tmp_path / "cache"
    process = start_run(article, out, tiny_marian_dir, cache_dir)
    wait_for_rows(process, cache_dir, rows=20)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted" in stderr
    assert "Traceback" not in stderr
    assert (out / "lang.en.txt").read_text(encoding="utf-8") == "previous run\n"
    assert sorted(p.name for p in out.iterdir()) == ["lang.en.txt"]


@pytest.mark.slow
def test_concurrent_runs_share_the_cache(tiny_marian_dir, tmp_path):
    article = long_article(tmp_path / "lang.de.txt", paragraphs=4)
    cache_dir = tmp_path / "cache"
    runs = [start_run(article, tmp_path / f"out{n}", tiny_marian_dir, cache_dir) for n in (1, 2)]
    for run in runs:
        _, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, stderr
    assert (tmp_path / "out1" / "lang.json").read_bytes() == (
        tmp_path / "out2" / "lang.json"
    ).read_bytes()
    assert cached_rows(cache_dir) == 32


# Odd Unicode -------------------------------------------------------------------------------

ODD_PIECES = [
    "\u00a0",
    "\u00ad",
    "🙂",
    "👩‍👩‍👧",
    "e\u0301",
    "n\u0303",
    "שלום",
    "مرحبا",
    "\u200f",
    "\u200b",
    "Donaudampfschifffahrtsgesellschaftskapitänswitwe" * 3,
    "...",
    "!!!",
    "–",
    "„",
    "“",
    "?",
    "Satz.",
    " Der ",
    " die ",
    "9.",
    " z. B. ",
    "ß",
    "Ä",
]
ODD_LINE = st.lists(
    st.one_of(st.sampled_from(ODD_PIECES), st.text(min_size=1, max_size=3)), min_size=1, max_size=20
).map("".join)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        ODD_LINE.filter(lambda line: line.strip() and "\n" not in line and "\r" not in line),
        max_size=8,
    )
)
def test_odd_unicode_paragraphs_keep_count_and_lose_nothing(lines):
    # Each generated line is one paragraph; blank lines separate them. Control characters
    # read as spaces (they would otherwise reach a terminal raw).
    text = "\n\n".join(lines)
    article = parse_article(text)
    readable = [line.translate(CONTROLS_AS_SPACES).strip() for line in lines]
    expected = [line for line in readable if line]
    if expected and expected[0].startswith(("http://", "https://")):
        return  # a leading URL line is metadata by design
    assert list(article.paragraphs) == expected
    for paragraph in article.paragraphs:
        assert " ".join(segment_paragraph(paragraph)) == collapse_whitespace(paragraph)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(ODD_PIECES), max_size=200).map("".join))
def test_blockwise_segmentation_of_long_paragraphs_loses_nothing(text):
    original = segment.BLOCK_CHARS
    segment.BLOCK_CHARS = 40
    try:
        spans = segment.sentence_spans(text)
    finally:
        segment.BLOCK_CHARS = original
    assert "".join(text[start:end] for start, end in spans) == text


def test_translation_of_odd_unicode_with_the_fake_is_lossless():
    paragraph = "Er sagte „Hallo 🙂“ – שלום! Dann\u00a0ging er. Na\u0303 ja… " + "x" * 3000
    translator = FakeTranslator(max_input_tokens=8)
    result = translate_article(Article((paragraph,)), translator)
    sources = [s.source for s in result.paragraphs[0].segments]
    assert " ".join(sources) == collapse_whitespace(paragraph)
