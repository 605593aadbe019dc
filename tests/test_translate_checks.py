"""Faithfulness checks on segments: planted faults are caught, clean text is not flagged."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from conftest import FakeTranslator, FixedSummarizer, install_fake_models
from hypothesis import given, settings
from hypothesis import strategies as st
from support.parallel_news import HELD_OUT_PAIRS
from support.tiny_models import ENGLISH_TRAINING_TEXT, GERMAN_TRAINING_TEXT

from debrief.brief import check_summary
from debrief.cli import main
from translate.checks import MIN_CHARACTERS_FOR_RATIO, check_segment, repetition_loop
from translate.name_forms import name_in_english
from translate.names import german_names

CLEAN_PAIRS = list(
    zip(GERMAN_TRAINING_TEXT.splitlines(), ENGLISH_TRAINING_TEXT.splitlines(), strict=True)
)


@pytest.mark.parametrize(("german", "english"), CLEAN_PAIRS + HELD_OUT_PAIRS)
def test_clean_translations_raise_no_flag(german, english):
    assert check_segment(german, english, 0, 0) == []


def kinds(german: str, english: str) -> list[str]:
    return [check.kind for check in check_segment(german, english, 2, 5)]


def test_a_changed_number_is_flagged_both_ways():
    checks = check_segment(
        "Die Wirtschaft wuchs um 3,5 Prozent.", "The economy grew by 5.3 percent.", 2, 5
    )
    assert [(c.stage, c.paragraph, c.segment, c.kind) for c in checks] == [
        ("translation", 2, 5, "number"),
        ("translation", 2, 5, "number"),
    ]
    assert "missing in the English: 3.5" in checks[0].detail
    assert "not in the German: 5.3" in checks[1].detail


def test_a_dropped_clause_is_flagged_by_length():
    german = "Die Opposition fordert Neuwahlen und die Freilassung aller politischen Gefangenen."
    assert kinds(german, "The opposition demands.") == ["length"]


def test_a_loop_is_flagged_by_repetition_and_length():
    german = "Die Proteste dauern seit Wochen an, ein Ende ist nicht in Sicht."
    english = "The protests have lasted for weeks, " + "no end in sight, " * 4
    assert kinds(german, english) == ["length", "repetition"]


def test_a_changed_or_dropped_name_is_flagged():
    german = "Lukaschenko sprach in Minsk mit Wladimir Putin."
    checks = check_segment(german, "Lukashenko spoke to Vladimir Medvedev in Moscow.", 0, 0)
    assert [(c.kind, c.detail) for c in checks] == [
        ("name", "missing in the English: Minsk, Putin")
    ]


def test_decomposed_umlauts_are_read_as_letters():
    """Gehäuse typed as a + U+0308 (copies from some sites and PDFs): one word, no name
    'Geha'; a name lost is still found."""
    german = unicodedata.normalize("NFD", "Das Gehäuse wird in Nürnberg gebaut.")
    assert kinds(german, "The housing is built in Nuremberg.") == []
    checks = check_segment(german, "The housing is built in Bavaria.", 0, 0)
    assert [c.detail for c in checks] == ["missing in the English: Nürnberg"]


def test_a_word_starting_with_eins_is_not_the_number_one():
    german = "Mercedes legte Einspruch gegen das Ergebnis des Formel-1-Rennens ein."
    assert kinds(german, "Mercedes appealed the result of the Formula One race.") == []
    assert kinds(german, "Mercedes appealed the result of the Formula race.") == ["number"]


@pytest.mark.parametrize(
    ("text", "loop"),
    [
        ("in the city in the city in the city", "in the city"),
        ("The the the the end.", "The"),
        ("He said: no, no, no, no.", "no,"),
        ("very, very good", None),
        ("in the city in the city, and elsewhere", None),
        ("", None),
    ],
)
def test_repetition_loop(text, loop):
    assert repetition_loop(text) == loop


class ParallelTranslator(FakeTranslator):
    """Translates each German test sentence to its English, with planted faults.

    `faults` are search errors: a wider beam (a retry) gives the clean English. Faults
    that are also `stubborn` survive any beam; `clauses` translates clauses, for the
    clause-by-clause retry.
    """

    def __init__(self, faults=None, stubborn=(), clauses=None) -> None:
        super().__init__()
        self.clean = {**dict(CLEAN_PAIRS + HELD_OUT_PAIRS), **(clauses or {})}
        self.faulty = {**self.clean, **(faults or {})}
        self.stubborn = set(stubborn)
        self.beam_widths: list[int | None] = []

    def translate_batch(self, texts, *, num_beams=None):
        self.batches.append(list(texts))
        self.beam_widths.append(num_beams)
        wider = num_beams is not None
        return [
            self.clean[text] if wider and text not in self.stubborn else self.faulty[text]
            for text in texts
        ]


def write_parallel_article(path):
    path.write_text("\n\n".join(german for german, _ in CLEAN_PAIRS) + "\n", encoding="utf-8")
    return path


FAULTS = {
    CLEAN_PAIRS[1][0]: "The government in Kyiv continues to hold back.",
    CLEAN_PAIRS[6][0]: "The economy grew by 5.3 percent and prices rose by 1.2 percent.",
    CLEAN_PAIRS[3][0]: "The protests have lasted for two weeks - no end, no end, no end in sight "
    "no end in sight no end in sight no end in sight.",
}


@pytest.fixture
def translator_factory(monkeypatch):
    """Make the CLI load a ParallelTranslator with the given faults."""

    def install(faults=None, **behaviour):
        translator = ParallelTranslator(faults, **behaviour)
        install_fake_models(monkeypatch, translator)
        return translator

    return install


def test_clean_translation_through_the_cli_has_no_checks(translator_factory, tmp_path, capsys):
    translator_factory()
    out = tmp_path / "clean.json"
    article = write_parallel_article(tmp_path / "sauber.de.txt")
    code = main(["translate", str(article), "-o", str(out), "--strict", "--no-cache"])
    assert code == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["checks"] == []
    assert "20 segments checked, nothing flagged" in capsys.readouterr().err


def test_held_out_article_runs_clean_through_debrief_run(translator_factory, tmp_path, capsys):
    translator_factory()
    article = tmp_path / "nachrichten.de.txt"
    article.write_text("\n\n".join(german for german, _ in HELD_OUT_PAIRS), encoding="utf-8")
    out = tmp_path / "out"
    args = ["run", str(article), "--summary-model", "lead-3", "--out-dir", str(out)]
    assert main([*args, "--strict", "--no-cache"]) == 0
    record = json.loads((out / "nachrichten.json").read_text(encoding="utf-8"))
    assert record["checks"] == []
    assert not any("retry" in p["segments"][0] for p in record["paragraphs"])
    assert [s["overlap"] for s in record["summary"]["support"]] == [1.0, 1.0, 1.0]
    assert (
        "30 segments checked, nothing flagged; brief: 3 sentences checked, nothing flagged"
        in capsys.readouterr().err
    )


def test_planted_faults_are_recorded_and_strict_exits_3(translator_factory, tmp_path, capsys):
    translator_factory(FAULTS)
    out = tmp_path / "faulty.json"
    article = write_parallel_article(tmp_path / "fehler.de.txt")
    args = ["translate", str(article), "-o", str(out), "--strict", "-v", "--no-cache"]
    assert main([*args, "--no-retry"]) == 3
    record = json.loads(out.read_text(encoding="utf-8"))  # written all the same
    flagged = {(c["paragraph"], c["kind"]) for c in record["checks"]}
    assert flagged == {(1, "name"), (6, "number"), (3, "length"), (3, "repetition")}
    assert all(c["stage"] == "translation" and c["segment"] == 0 for c in record["checks"])
    err = capsys.readouterr().err
    assert (
        "20 segments checked, 3 flagged (5 checks: 1 length, 1 name, 2 number, 1 repetition)" in err
    )
    assert "translation, paragraph 1, segment 0: name: missing in the English: Moskau" in err
    assert "translation, paragraph 6, segment 0: number: missing in the English: 3.5" in err
    assert "--strict exits 3" in err


def test_debrief_run_reports_checks_per_file(translator_factory, tmp_path, capsys):
    translator_factory(FAULTS)
    article = write_parallel_article(tmp_path / "fehler.de.txt")
    out = tmp_path / "out"
    common = [str(article), "--summary-model", "lead-3", "--out-dir", str(out), "--no-cache"]
    common.append("--no-retry")
    assert main(["run", *common]) == 0  # flagged, but not --strict
    assert "3 flagged" in capsys.readouterr().err
    assert main(["run", *common, "--strict"]) == 3
    record = json.loads((out / "fehler.json").read_text(encoding="utf-8"))
    assert len(record["checks"]) == 5


def test_debrief_run_checks_the_brief_against_the_translation(
    translator_factory, monkeypatch, tmp_path, capsys
):
    translator_factory()
    brief = (
        "The government in Moscow continues to hold back. The economy grew by 5.3 percent. "
        "Troops led by General Smith entered the capital."
    )
    install_fake_models(monkeypatch, summarizer=FixedSummarizer(brief))
    article = write_parallel_article(tmp_path / "sauber.de.txt")
    out = tmp_path / "out"
    args = ["run", str(article), "--summary-model", "lead-3", "--out-dir", str(out)]
    assert main([*args, "--no-cache", "--strict", "-v"]) == 3
    record = json.loads((out / "sauber.json").read_text(encoding="utf-8"))
    assert [(c["stage"], c["paragraph"], c["kind"]) for c in record["checks"]] == [
        ("summary", 6, "number"),
        ("summary", 18, "name"),
        ("summary", 18, "unsupported"),
    ]
    support = record["summary"]["support"]
    assert [(s["paragraph"], s["segment"]) for s in support] == [(1, 0), (6, 0), (18, 0)]
    assert support[0]["overlap"] == 1.0
    err = capsys.readouterr().err
    assert (
        "20 segments checked, nothing flagged; brief: 3 sentences checked, "
        "3 items flagged (1 name, 1 number, 1 unsupported)"
    ) in err
    assert "summary, paragraph 18, segment 0: name: brief sentence 3: General, Smith" in err


def test_flagged_segments_are_retried_and_the_passing_version_kept(
    translator_factory, tmp_path, capsys
):
    number_sentence = CLEAN_PAIRS[6][0]
    minsk_sentence = CLEAN_PAIRS[0][0]
    translator = translator_factory(
        {
            **FAULTS,  # Moskau lost and a loop: a wider beam mends both
            minsk_sentence: "The president spoke about the situation in the country on Saturday.",
        },
        # The changed number survives a wider beam but not translation clause by clause;
        # the lost Minsk survives both (the sentence has no clause to cut at).
        stubborn={number_sentence, minsk_sentence},
        clauses={
            "Die Wirtschaft wuchs um 3,5 Prozent,": "The economy grew by 3.5 percent,",
            "die Preise stiegen um 1,2 Prozent.": "prices rose by 1.2 percent.",
        },
    )
    out = tmp_path / "retried.json"
    article = write_parallel_article(tmp_path / "fehler.de.txt")
    assert main(["translate", str(article), "-o", str(out), "--strict", "--no-cache"]) == 3
    record = json.loads(out.read_text(encoding="utf-8"))
    segments = [paragraph["segments"][0] for paragraph in record["paragraphs"]]
    retries = {index: s["retry"] for index, s in enumerate(segments) if "retry" in s}
    assert retries == {
        0: {"tried": ["more beams"], "kept": "first"},
        1: {"tried": ["more beams"], "kept": "more beams"},
        3: {"tried": ["more beams"], "kept": "more beams"},
        6: {"tried": ["more beams", "clauses"], "kept": "clauses"},
    }
    assert segments[1]["translation"] == CLEAN_PAIRS[1][1]
    assert segments[6]["translation"] == (
        "The economy grew by 3.5 percent, prices rose by 1.2 percent."
    )
    assert segments[6]["pieces"] == 2
    assert [(c["paragraph"], c["kind"]) for c in record["checks"]] == [(0, "name")]
    # One first pass, then one wider-beam batch (the fake's beam width is 1, so 2).
    assert translator.beam_widths[-2:] == [2, None]
    assert "20 segments checked, 4 retried (3 fixed), 1 flagged (1 name)" in (
        capsys.readouterr().err
    )
    main(["translate", str(article), "-o", str(out), "--no-cache", "-v"])
    err = capsys.readouterr().err
    assert "retried paragraph 0, segment 0: more beams; kept the first translation" in err
    assert "retried paragraph 6, segment 0: more beams, clauses; kept clauses" in err


def test_no_retry_keeps_the_first_translation(translator_factory, tmp_path):
    translator = translator_factory(FAULTS)
    out = tmp_path / "first.json"
    article = write_parallel_article(tmp_path / "fehler.de.txt")
    main(["translate", str(article), "-o", str(out), "--no-cache", "--no-retry"])
    record = json.loads(out.read_text(encoding="utf-8"))
    assert not any("retry" in p["segments"][0] for p in record["paragraphs"])
    assert translator.beam_widths == [None] * len(translator.beam_widths)


def planted_faults(german: str, english: str) -> list[tuple[str, str]]:
    """Faulty versions of a clean translation, each with the check that must catch it."""
    words = english.split()
    faults = [
        ("repetition", " ".join([*words, *words[-3:], *words[-3:], *words[-3:]])),
        ("length", " ".join(words[: max(1, len(words) * 2 // 5)]) + "."),
    ]
    digits = re.search(r"\d", english)
    if digits:
        changed = str((int(digits.group()) + 1) % 10)
        faults.append(("number", english[: digits.start()] + changed + english[digits.end() :]))
    for name in german_names(german):
        renamed = [word if not name_in_english(name, word) else "Smith" for word in words]
        if renamed != words:
            faults.append(("name", " ".join(renamed)))
    return faults


PLANTED = [
    pytest.param(german, faulty, kind, id=f"{index}-{kind}")
    for index, (german, english) in enumerate(CLEAN_PAIRS + HELD_OUT_PAIRS)
    for kind, faulty in planted_faults(german, english)
]


@pytest.mark.parametrize(("german", "faulty", "kind"), PLANTED)
def test_every_planted_fault_in_clean_text_is_caught(german, faulty, kind):
    if kind == "length" and len(german) < MIN_CHARACTERS_FOR_RATIO:
        pytest.skip("too short to judge by length")
    assert kind in [check.kind for check in check_segment(german, faulty, 0, 0)]


def test_the_planted_faults_cover_every_kind():
    assert {kind for *_, kind in (p.values for p in PLANTED)} == {
        "repetition",
        "length",
        "number",
        "name",
    }
    assert len(PLANTED) > 150


@settings(max_examples=300, deadline=None)
@given(german=st.text(max_size=300), english=st.text(max_size=300))
def test_checks_accept_any_text(german, english):
    # The pipeline checks every segment: odd input must never stop a translation.
    for check in check_segment(german, english, 1, 2):
        assert (check.stage, check.paragraph, check.segment) == ("translation", 1, 2)
        assert check.kind in {"number", "name", "length", "repetition"}
    checks, support = check_summary(english, [[german], [english]])
    assert all(0.0 <= sentence.overlap <= 1.0 for sentence in support)
    assert all(check.stage == "summary" for check in checks)


def test_the_pipeline_records_what_check_translation_finds():
    from translate.article import Article
    from translate.checks import check_translation
    from translate.pipeline import translate_article

    article = Article(tuple(german for german, _ in CLEAN_PAIRS))
    result = translate_article(article, ParallelTranslator(FAULTS), retry=False)
    assert len(result.checks) == 5
    assert result.checks == check_translation(result.paragraphs)
