"""`debrief run` and `debrief summarize`: the library job with fakes, and the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEED_ARTICLE, FakeSummarizer, FakeTranslator, english_words, run_with_models

from debrief.cli import main
from debrief.errors import UsageError
from debrief.outputs.paths import check_distinct_outputs, output_stem


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("belarus-russland-2020-08.de.txt", "belarus-russland-2020-08"),
        ("artikel.txt", "artikel"),
        ("artikel.de", "artikel"),
        ("artikel", "artikel"),
        ("artikel.md", "artikel.md"),
        ("x.de.de.txt", "x.de"),
    ],
)
def test_output_stem(name, stem):
    assert output_stem(Path(name)) == stem


def test_inputs_that_would_overwrite_each_other_are_refused(tmp_path):
    with pytest.raises(UsageError, match="would both write"):
        check_distinct_outputs([Path("a/x.txt"), Path("b/x.de.txt")], tmp_path)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_run_job_writes_three_exact_outputs_per_input(tmp_path):
    first = write(
        tmp_path / "eins.de.txt", "https://example.org/1\n\nErster Satz. Zweiter Satz.\n\nDritter."
    )
    second = write(tmp_path / "zwei.txt", "Nur ein Satz hier.")
    out = tmp_path / "out"
    summarizer = FakeSummarizer()
    results = run_with_models([first, second], FakeTranslator(), summarizer, out)
    assert [result.ok for result in results] == [True, True]

    assert (out / "eins.en.txt").read_text(encoding="utf-8") == (
        "https://example.org/1\n\nEN[Erster Satz.] EN[Zweiter Satz.]\n\nEN[Dritter.]\n"
    )
    # The summarizer read the English, paragraph breaks kept, URL left out.
    assert summarizer.texts[0] == "EN[Erster Satz.] EN[Zweiter Satz.]\n\nEN[Dritter.]"
    assert (out / "eins.summary.txt").read_text(encoding="utf-8") == (
        "EN[Erster Satz.] EN[Zweiter Satz.] EN[Dritter.]\n"
    )
    record = json.loads((out / "eins.json").read_text(encoding="utf-8"))
    assert record["source_url"] == "https://example.org/1"
    assert [p["translation"] for p in record["paragraphs"]] == [
        "EN[Erster Satz.] EN[Zweiter Satz.]",
        "EN[Dritter.]",
    ]
    assert record["summary"]["model"] == "fake-summarizer"
    assert record["summary"]["text"] == "EN[Erster Satz.] EN[Zweiter Satz.] EN[Dritter.]"
    assert record["summary"]["chunks"] == 1
    assert (out / "zwei.en.txt").read_text(encoding="utf-8") == "EN[Nur ein Satz hier.]\n"


def test_one_bad_input_is_reported_and_the_others_still_run(tmp_path):
    good = write(tmp_path / "gut.de.txt", "Ein Satz.")
    empty = write(tmp_path / "leer.de.txt", "   \n")
    missing = tmp_path / "fehlt.de.txt"
    also_good = write(tmp_path / "auch.de.txt", "Noch ein Satz.")
    out = tmp_path / "out"
    results = run_with_models(
        [good, empty, missing, also_good], FakeTranslator(), FakeSummarizer(), out
    )
    assert [result.ok for result in results] == [True, False, False, True]
    assert "no text to translate" in results[1].error
    assert "no such file" in results[2].error
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{stem}{suffix}"
        for stem in ("gut", "auch")
        for suffix in (".en.txt", ".summary.txt", ".json", ".html")
    )


@pytest.mark.slow
def test_cli_run_with_tiny_models_writes_all_outputs(tiny_marian_dir, tiny_bart_dir, tmp_path):
    second = write(
        tmp_path / "zweiter.de.txt",
        "https://example.org/z\n\nDie Regierung schweigt. Niemand weiß mehr.",
    )
    out = tmp_path / "out"
    code = main(
        [
            "run",
            str(SEED_ARTICLE),
            str(second),
            "--translation-model",
            str(tiny_marian_dir),
            "--summary-model",
            str(tiny_bart_dir),
            "--out-dir",
            str(out),
            "-q",
        ]
    )
    assert code == 0
    for stem in ("belarus-russland-2020-08", "zweiter"):
        translation = (out / f"{stem}.en.txt").read_text(encoding="utf-8")
        brief = (out / f"{stem}.summary.txt").read_text(encoding="utf-8")
        record = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
        assert translation.startswith(record["source_url"] + "\n\n")
        assert brief.strip()
        assert record["summary"] == {
            **record["summary"],
            "model": str(tiny_bart_dir),
            "text": brief.strip(),
        }
        assert record["summary"]["chunks"] >= 1
    seed_record = json.loads((out / "belarus-russland-2020-08.json").read_text(encoding="utf-8"))
    assert len(seed_record["paragraphs"][0]["segments"]) >= 30


@pytest.mark.slow
def test_cli_run_exit_code_says_an_input_failed(tiny_marian_dir, tmp_path, capsys):
    good = write(tmp_path / "gut.de.txt", "Ein Satz.")
    binary = tmp_path / "kaputt.de.txt"
    binary.write_bytes(b"\xff\xfe\x00\x00garbage\x00")
    out = tmp_path / "out"
    code = main(
        [
            "run",
            str(binary),
            str(good),
            "--translation-model",
            str(tiny_marian_dir),
            "--summary-model",
            "lead-3",
            "--out-dir",
            str(out),
            "-q",
        ]
    )
    assert code == 4
    err = capsys.readouterr().err
    assert "kaputt.de.txt" in err and "1 of 2 inputs failed" in err
    assert (out / "gut.json").exists() and not (out / "kaputt.json").exists()


@pytest.mark.slow
def test_cli_summarize_long_text_reports_chunks(tiny_bart_dir, tmp_path, capsys):
    text_file = write(tmp_path / "long.en.txt", english_words(4000))
    out = tmp_path / "brief.json"
    assert main(["summarize", str(text_file), "--model", str(tiny_bart_dir), "-o", str(out)]) == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["chunks"] > 1
    assert record["text"]
    assert "chunks, then their summaries" in capsys.readouterr().err


def test_cli_summarize_reads_translation_json_with_lead_3(tmp_path, capsys):
    record = {
        "paragraphs": [
            {"translation": "First point. Second point."},
            {"translation": "Third. Fourth."},
        ]
    }
    source = write(tmp_path / "article.json", json.dumps(record))
    assert main(["summarize", str(source), "--model", "lead-3", "-q"]) == 0
    assert capsys.readouterr().out == "First point. Second point. Third.\n"


def test_cli_summarize_rejects_other_json(tmp_path, capsys):
    source = write(tmp_path / "other.json", '{"hello": 1}')
    assert main(["summarize", str(source), "--model", "lead-3"]) == 2
    assert "not a `debrief translate --format json` file" in capsys.readouterr().err


def test_sentences_of_several_articles_share_batches(tmp_path):
    first = write(tmp_path / "eins.de.txt", "Erster Satz hier. Zweiter Satz hier.")
    second = write(tmp_path / "zwei.de.txt", "Dritter Satz hier. Vierter Satz hier.")
    translator = FakeTranslator()
    results = run_with_models([first, second], translator, FakeSummarizer(), tmp_path / "out")
    assert [result.ok for result in results] == [True, True]
    # Four sentences of equal length from two files: one batch, not one per file.
    assert len(translator.batches) == 1
    assert sorted(translator.batches[0]) == [
        "Dritter Satz hier.",
        "Erster Satz hier.",
        "Vierter Satz hier.",
        "Zweiter Satz hier.",
    ]
    assert (tmp_path / "out" / "zwei.en.txt").read_text(encoding="utf-8") == (
        "EN[Dritter Satz hier.] EN[Vierter Satz hier.]\n"
    )


class BreaksOnOneText(FakeTranslator):
    """A translator whose model fails on one text, as a real one might on odd input."""

    def translate_batch(self, texts, *, num_beams=None):
        if any("kaputt" in text for text in texts):
            raise RuntimeError("the model failed on this text")
        return super().translate_batch(texts)


def test_a_model_failure_costs_only_the_article_that_caused_it(tmp_path):
    good = write(tmp_path / "gut.de.txt", "Ein guter Satz.")
    bad = write(tmp_path / "schlecht.de.txt", "Ein kaputt Satz.")
    also_good = write(tmp_path / "auch.de.txt", "Noch ein Satz.")
    reported = []
    results = run_with_models(
        [good, bad, also_good],
        BreaksOnOneText(),
        FakeSummarizer(),
        tmp_path / "out",
        on_result=reported.append,
    )
    assert [result.ok for result in results] == [True, False, True]
    assert "RuntimeError: the model failed on this text" in results[1].error
    assert [result.input for result in reported] == [good, bad, also_good]
    assert (tmp_path / "out" / "auch.en.txt").read_text(encoding="utf-8") == "EN[Noch ein Satz.]\n"
    assert not (tmp_path / "out" / "schlecht.en.txt").exists()


@pytest.mark.slow
def test_cli_run_with_a_missing_summary_model_stops_before_translating(
    tiny_marian_dir, tmp_path, capsys, monkeypatch
):
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("DEBRIEF_CACHE_DIR", str(cache_dir))
    code = main(
        [
            "run",
            str(SEED_ARTICLE),
            "--translation-model",
            str(tiny_marian_dir),
            "--summary-model",
            str(tmp_path / "no-such-model"),
            "--out-dir",
            str(tmp_path / "out"),
            "-q",
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("debrief: error: model '") and "is not a directory" in err
    assert not cache_dir.exists()  # nothing was translated
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_cli_run_on_ctranslate2_int8_records_the_backend(tiny_marian_dir, tmp_path):
    pytest.importorskip("ctranslate2")
    out = tmp_path / "out"
    code = main(
        [
            "run",
            str(SEED_ARTICLE),
            "--translation-model",
            str(tiny_marian_dir),
            "--summary-model",
            "lead-3",
            "--backend",
            "ctranslate2",
            "--precision",
            "int8",
            "--out-dir",
            str(out),
            "-q",
        ]
    )
    assert code == 0
    record = json.loads((out / "belarus-russland-2020-08.json").read_text(encoding="utf-8"))
    assert (record["generation"]["backend"], record["generation"]["precision"]) == (
        "ctranslate2",
        "int8",
    )
    [paragraph] = record["paragraphs"]
    assert all(segment["translation"].strip() for segment in paragraph["segments"])
