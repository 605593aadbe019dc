"""Summarizers: lead-3, length settings, and a tiny random BART through from_pretrained.

A random model's brief is gibberish; these tests check windows, chunking, settings and
that every part of the input is read, not what the brief says.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO_ROOT, TORCH_CPU, english_words

from debrief.errors import ModelNotFoundError, UsageError
from debrief.runtime.settings import Runtime
from summarize.chunking import split_sentences
from summarize.model import (
    LeadSummarizer,
    Seq2SeqSummarizer,
    length_settings,
    load_summarizer,
)


def test_lead_3_takes_the_first_three_sentences():
    text = "First one. Second one.\n\nThird one. Fourth one."
    summary = LeadSummarizer().summarize(text)
    assert summary.text == "First one. Second one. Third one."
    assert summary.model == "lead-3"
    assert summary.chunks == 1


def test_load_summarizer_knows_lead_n_without_weights():
    assert load_summarizer("lead-3").name == "lead-3"
    assert load_summarizer("lead-1").summarize("One here. Two here. Three.").text == "One here."


@pytest.mark.parametrize(
    ("length", "max_words", "expected"),
    [
        (None, None, {}),
        ("short", None, {"min_length": 30, "max_length": 80}),
        ("medium", None, {"min_length": 56, "max_length": 142}),
        ("long", None, {"min_length": 100, "max_length": 250}),
        (None, 50, {"min_length": 22, "max_length": 67}),
        (None, 1, {"min_length": 1, "max_length": 4}),
    ],
)
def test_length_settings(length, max_words, expected):
    assert length_settings(length, max_words) == expected


def test_summarize_never_imports_translate():
    for path in (REPO_ROOT / "summarize").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(name.split(".")[0] == "translate" for name in names), path


@pytest.fixture(scope="module")
def tiny_summarizer(tiny_bart_dir):
    return Seq2SeqSummarizer.from_pretrained(str(tiny_bart_dir), runtime=TORCH_CPU)


@pytest.mark.slow
def test_generation_settings_come_from_the_model_config(tiny_summarizer):
    settings = tiny_summarizer.settings
    assert settings["num_beams"] == 4
    assert settings["length_penalty"] == 2.0
    assert settings["min_length"] == 56
    assert settings["max_length"] == 142
    assert settings["no_repeat_ngram_size"] == 3
    assert tiny_summarizer.window == 1024


@pytest.mark.slow
def test_length_preset_overrides_the_model(tiny_bart_dir):
    summarizer = Seq2SeqSummarizer.from_pretrained(
        str(tiny_bart_dir), runtime=TORCH_CPU, length="short"
    )
    assert (summarizer.settings["min_length"], summarizer.settings["max_length"]) == (30, 80)


@pytest.mark.slow
def test_short_input_lowers_the_minimum_and_succeeds(tiny_summarizer):
    seen_minimums = []
    original = tiny_summarizer.engine.model.generate

    def recording_generate(*args, generation_config, **kwargs):
        seen_minimums.append(generation_config.min_length)
        return original(*args, generation_config=generation_config, **kwargs)

    tiny_summarizer.engine.model.generate = recording_generate
    try:
        summary = tiny_summarizer.summarize("The president spoke in Minsk.")
    finally:
        del tiny_summarizer.engine.model.generate
    tokens = tiny_summarizer.count_tokens("The president spoke in Minsk.")
    assert tokens < 56
    assert seen_minimums == [tokens // 2]
    assert summary.chunks == 1 and summary.text


@pytest.mark.slow
def test_4000_word_text_is_chunked_map_reduce(tiny_summarizer, caplog):
    text = english_words(4000)
    assert tiny_summarizer.count_tokens(text) > 3 * 1024

    first_round = []
    original = tiny_summarizer._generate

    def recording_generate(texts, progress=None):
        if not first_round:
            first_round.extend(texts)
        return original(texts, progress)

    tiny_summarizer._generate = recording_generate
    try:
        with caplog.at_level("INFO", logger="debrief"):
            summary = tiny_summarizer.summarize(text)
    finally:
        del tiny_summarizer._generate
    assert summary.chunks > 1
    assert summary.rounds >= 2
    assert summary.text
    # The first round read every sentence, each chunk within the window.
    assert len(first_round) == summary.chunks
    assert " ".join(first_round) == " ".join(split_sentences(text))
    assert max(tiny_summarizer.count_tokens(chunk) for chunk in first_round) <= 1024
    assert f"summarising {summary.chunks} chunks" in caplog.text


@pytest.mark.slow
def test_t5_style_prefix_and_settings_come_from_task_specific_params(tiny_bart_dir, tmp_path):
    directory = Path(shutil.copytree(tiny_bart_dir, tmp_path / "with-prefix"))
    config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
    config["task_specific_params"] = {
        "summarization": {
            "prefix": "summarize: ",
            "num_beams": 2,
            "max_length": 60,
            "min_length": 10,
        }
    }
    (directory / "config.json").write_text(json.dumps(config), encoding="utf-8")
    summarizer = Seq2SeqSummarizer.from_pretrained(str(directory), runtime=TORCH_CPU)
    assert summarizer.prefix == "summarize: "
    assert summarizer.settings["prefix"] == "summarize: "
    assert (summarizer.settings["num_beams"], summarizer.settings["max_length"]) == (2, 60)
    plain = summarizer.tokenizer("Some text.")["input_ids"]
    assert summarizer.count_tokens("Some text.") > len(plain)


@pytest.mark.slow
def test_brief_longer_than_half_the_window_is_refused(tiny_summarizer):
    from transformers import AutoTokenizer

    # A 200-token window cannot hold map-reduce rounds of 142-token summaries.
    tokenizer = AutoTokenizer.from_pretrained(
        tiny_summarizer.tokenizer.name_or_path, model_max_length=200
    )
    engine = dataclasses.replace(tiny_summarizer.engine, tokenizer=tokenizer, name="small-window")
    with pytest.raises(UsageError, match=r"too long for small-window's window of 200"):
        Seq2SeqSummarizer(engine)


def test_missing_summary_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelNotFoundError, match="is not a directory"):
        load_summarizer(str(tmp_path / "nothing-here"))


@pytest.mark.slow
def test_ctranslate2_summarizer_keeps_settings_and_chunks_long_text(tiny_bart_dir, caplog):
    pytest.importorskip("ctranslate2")
    from debrief.runtime.ctranslate2_backend import ctranslate2_options

    summarizer = load_summarizer(
        str(tiny_bart_dir),
        runtime=Runtime(backend="ctranslate2", precision="int8", device="cpu"),
        length="short",
    )
    assert summarizer.settings["backend"] == "ctranslate2"
    assert summarizer.settings["precision"] == "int8"
    assert (summarizer.settings["min_length"], summarizer.settings["max_length"]) == (30, 80)
    summary = summarizer.summarize(english_words(1500))
    assert summary.chunks > 1
    assert summary.text.strip()
    # The length preset reaches CTranslate2, in its count (without the start token).
    options = ctranslate2_options(
        summarizer.generation_config, summarizer.tokenizer, summarizer.engine.vocabulary
    )
    assert (options["min_decoding_length"], options["max_decoding_length"]) == (29, 79)


@pytest.mark.slow
def test_int8_torch_summarizer_records_its_precision(tiny_bart_dir):
    summarizer = load_summarizer(
        str(tiny_bart_dir), runtime=Runtime(backend="torch", precision="int8", device="cpu")
    )
    assert summarizer.settings["precision"] == "int8"
    assert summarizer.summarize(english_words(80)).text.strip()
