"""`debrief eval`: sacrebleu's scores, the checks' flag rate and a model's time, through
the library and the CLI; its bad inputs."""

from __future__ import annotations

import json

import pytest
from test_debrief_check import ENGLISH, FAULTY, GERMAN, write, write_bytes

from debrief.cli import main
from debrief.evaluation import evaluate, score_translation, translate_lines

# A second human translation of GERMAN (written here), worded differently.
SECOND_REFERENCE = [
    "The Berlin government on Monday passed a 3.5 billion euro package.",
    "The storm over the North Sea brought traffic in Hamburg to a standstill.",
    "Police said 1,200 people had been taken to safety.",
    "Talks in South Africa are due to resume in September.",
]


def scores_of(report) -> dict[str, float]:
    return {score.metric: score.score for score in report.scores}


def test_a_translation_equal_to_its_reference_scores_100_and_a_wrong_one_far_less():
    perfect = {score.metric: score.score for score in score_translation(ENGLISH, [ENGLISH])}
    assert perfect == pytest.approx({"BLEU": 100.0, "chrF": 100.0, "chrF++": 100.0})
    faulty = {score.metric: score.score for score in score_translation(FAULTY, [ENGLISH])}
    unrelated = score_translation(["Nothing at all like it."] * 4, [ENGLISH])
    for score in unrelated:
        assert score.score < faulty[score.metric] < 100.0


def test_a_second_reference_counts_and_the_signature_says_so():
    one = {s.metric: s for s in score_translation(SECOND_REFERENCE, [ENGLISH])}
    two = {s.metric: s for s in score_translation(SECOND_REFERENCE, [ENGLISH, SECOND_REFERENCE])}
    assert two["BLEU"].score == pytest.approx(100.0)
    assert one["BLEU"].score < 50.0
    assert "nrefs:1" in one["chrF"].signature and "nrefs:2" in two["chrF"].signature
    assert "tok:13a" in one["BLEU"].signature and "version:2." in one["BLEU"].signature


def test_ter_only_on_request_and_lower_is_better():
    assert [s.metric for s in score_translation(FAULTY, [ENGLISH])] == ["BLEU", "chrF", "chrF++"]
    ter = {s.metric: s.score for s in score_translation(FAULTY, [ENGLISH], ter=True)}["TER"]
    perfect = {s.metric: s.score for s in score_translation(ENGLISH, [ENGLISH], ter=True)}["TER"]
    assert perfect == 0.0 < ter


def test_evaluate_runs_the_checks_on_the_translation_and_each_reference():
    report = evaluate(GERMAN, [ENGLISH, SECOND_REFERENCE], FAULTY)
    assert report.lines == 4
    assert report.flagged == 3
    assert report.checks.by_kind() == {"name": 1, "number": 1, "repetition": 1}
    assert [reference.flagged for reference in report.reference_checks] == [0, 0]


def test_translate_lines_keeps_blank_lines_and_times_the_model(fake_translator):
    lines = [GERMAN[0], "", f"{GERMAN[1]} {GERMAN[2]}"]
    english, timing = translate_lines(lines, fake_translator)
    assert english == ["EN[" + GERMAN[0] + "]", "", f"EN[{GERMAN[1]}] EN[{GERMAN[2]}]"]
    assert (timing.model, timing.lines) == ("fake", 2)
    assert timing.german_words == sum(len(line.split()) for line in lines)
    assert timing.seconds > 0


def test_cli_hyp_text_and_json_agree_with_debrief_check(tmp_path, capsys):
    source, ref = write(tmp_path / "s.de", GERMAN), write(tmp_path / "r.en", ENGLISH)
    hyp, ref2 = write(tmp_path / "h.en", FAULTY), write(tmp_path / "r2.en", SECOND_REFERENCE)
    args = ["eval", "--source", str(source), "--ref", str(ref), "--hyp", str(hyp)]
    assert main(args) == 0
    text = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in text[:3]] == ["BLEU", "chrF", "chrF++"]
    assert "nrefs:1|case:mixed|eff:no|tok:13a" in text[0]
    assert "checks flag 3 of 4 lines (75.0%): 1 name, 1 number, 1 repetition" in text
    assert f"  on the reference {ref}: 0 of 4 lines (0.0%)" in text

    out = tmp_path / "eval.json"
    assert main([*args, "--ref", str(ref2), "--ter", "-o", str(out)]) == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert set(record["scores"]) == {"BLEU", "chrF", "chrF++", "TER"}
    assert "nrefs:2" in record["scores"]["BLEU"]["signature"]
    assert record["checks"] == {
        "flagged": 3,
        "rate": 0.75,
        "by_kind": {"name": 1, "number": 1, "repetition": 1},
    }
    assert [reference["reference"] for reference in record["reference_checks"]] == [
        str(ref),
        str(ref2),
    ]
    assert (record["lines"], record["hypothesis"], record["model"]) == (4, str(hyp), None)
    assert "translation" not in record
    capsys.readouterr()
    assert main(["check", str(source), str(hyp), "--lines", "--format", "json", "-q"]) == 0
    assert json.loads(capsys.readouterr().out)["flagged"] == record["checks"]["flagged"]


def test_cli_translation_model_translates_times_and_saves(tmp_path, tiny_marian_dir, capsys):
    source, ref = write(tmp_path / "s.de", GERMAN), write(tmp_path / "r.en", ENGLISH)
    saved = tmp_path / "tiny.en"
    args = ["eval", "--source", str(source), "--ref", str(ref), "--format", "json"]
    args += ["--translation-model", str(tiny_marian_dir), "--save-translation", str(saved)]
    assert main([*args, "--backend", "torch", "-q"]) == 0
    record = json.loads(capsys.readouterr().out)
    translation = record["translation"]
    assert translation["model"] == str(tiny_marian_dir)
    assert translation["lines"] == 4 and translation["seconds"] > 0
    assert translation["german_words"] == sum(len(line.split()) for line in GERMAN)
    assert translation["settings"]["backend"] == "torch"
    hypotheses = saved.read_text(encoding="utf-8").splitlines()
    assert len(hypotheses) == 4
    # The scores are those of the saved translation, scored as a --hyp file.
    assert main(["eval", "--source", str(source), "--ref", str(ref), "--hyp", str(saved)]) == 0
    rescored = capsys.readouterr().out.splitlines()[0].split()
    assert float(rescored[1]) == pytest.approx(record["scores"]["BLEU"]["score"], abs=0.01)


@pytest.mark.parametrize(
    ("make", "extra", "message"),
    [
        (
            lambda d: (write(d / "s.de", GERMAN), write(d / "r.en", ENGLISH[:3])),
            ["--hyp", "{d}/h.en"],
            "the files do not have the same number of lines (",
        ),
        (
            lambda d: (write(d / "s.de", GERMAN), write_bytes(d / "r.en", b"")),
            ["--hyp", "{d}/h.en"],
            "r.en: is empty",
        ),
        (
            lambda d: (write(d / "s.de", GERMAN), write_bytes(d / "r.en", b"\x00\x01" * 50)),
            ["--hyp", "{d}/h.en"],
            "looks like binary data",
        ),
        (
            lambda d: (d / "missing.de", write(d / "r.en", ENGLISH)),
            ["--hyp", "{d}/h.en"],
            "missing.de: no such file",
        ),
        (
            lambda d: (write(d / "s.de", GERMAN), write(d / "r.en", ENGLISH)),
            ["--hyp", "{d}/h.en", "--save-translation", "{d}/x.en"],
            "--save-translation writes the translation of --translation-model",
        ),
        (
            lambda d: (write(d / "s.de", GERMAN), write(d / "r.en", ENGLISH)),
            ["--hyp", "-", "--ref", "-"],
            "only one of --source, --ref and --hyp can be standard input",
        ),
        (
            lambda d: (write(d / "s.de", GERMAN), write(d / "r.en", ENGLISH)),
            ["--translation-model", "{d}/no-such-model"],
            "no-such-model",
        ),
        (
            lambda d: (write(d / "s.de", GERMAN), write(d / "r.en", ENGLISH)),
            ["--translation-model", "{d}", "--num-beams", "0"],
            "--num-beams",
        ),
    ],
)
def test_bad_inputs_are_one_line_exit_2_and_nothing_written(tmp_path, capsys, make, extra, message):
    source, ref = make(tmp_path)
    write(tmp_path / "h.en", FAULTY)
    before = sorted(path.name for path in tmp_path.iterdir())
    out = tmp_path / "eval.json"
    extra = [arg.replace("{d}", str(tmp_path)) for arg in extra]
    code = main(["eval", "--source", str(source), "--ref", str(ref), "-o", str(out), *extra])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and err.startswith("debrief: error: ")
    assert sorted(path.name for path in tmp_path.iterdir()) == before


def test_hyp_or_model_is_required_and_not_both(tmp_path, capsys):
    source, ref = write(tmp_path / "s.de", GERMAN), write(tmp_path / "r.en", ENGLISH)
    base = ["eval", "--source", str(source), "--ref", str(ref)]
    for extra in ([], ["--hyp", str(ref), "--translation-model", "x"]):
        with pytest.raises(SystemExit) as exited:
            main([*base, *extra])
        assert exited.value.code == 2
        assert "--hyp" in capsys.readouterr().err


def test_output_that_is_an_input_is_refused(tmp_path, capsys):
    source, ref = write(tmp_path / "s.de", GERMAN), write(tmp_path / "r.en", ENGLISH)
    hyp = write(tmp_path / "h.en", FAULTY)
    args = ["eval", "--source", str(source), "--ref", str(ref), "--hyp", str(hyp), "-o", str(ref)]
    assert main(args) == 2
    assert "is an input" in capsys.readouterr().err
    assert ref.read_text(encoding="utf-8").splitlines() == ENGLISH
