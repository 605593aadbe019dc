"""Summary checks: the brief's numbers, names and sentences traced back to the translation.

The briefs below are the calibration set of MIN_SUPPORT (translate/checks.py): faithful
sentences a summarizer could write from each test article (copied, cut, reworded, fused
from two segments) and sentences that neither article supports.
"""

from __future__ import annotations

import json

import pytest
from conftest import FixedSummarizer, install_fake_models
from support.parallel_news import HELD_OUT_PAIRS
from support.tiny_models import ENGLISH_TRAINING_TEXT, GERMAN_TRAINING_TEXT

from debrief.brief import MIN_SUPPORT, check_summary, english_segments
from debrief.cli.report import describe_checks
from translate.article import TranslatedParagraph, TranslatedSegment


def translated(pairs) -> list[list[str]]:
    """The English segments of an article of one-sentence paragraphs."""
    return english_segments(
        [
            TranslatedParagraph(german, (TranslatedSegment(german, english),))
            for german, english in pairs
        ]
    )


TRAINING_ARTICLE = translated(
    zip(GERMAN_TRAINING_TEXT.splitlines(), ENGLISH_TRAINING_TEXT.splitlines(), strict=True)
)
HELD_OUT_ARTICLE = translated(HELD_OUT_PAIRS)

FAITHFUL = [
    (TRAINING_ARTICLE, "The president spoke about the situation in the country in Minsk."),
    (
        TRAINING_ARTICLE,
        "The government in Moscow continues to hold back, and the protests have lasted for two weeks.",
    ),
    (TRAINING_ARTICLE, "The economy grew by 3.5 percent."),
    (
        TRAINING_ARTICLE,
        "The opposition demands new elections and the release of political prisoners.",
    ),
    (TRAINING_ARTICLE, "The European Union announced sanctions."),
    (TRAINING_ARTICLE, "More than 6,700 people were arrested, according to the authorities."),
    (TRAINING_ARTICLE, "Independent experts say the election was rigged."),
    (TRAINING_ARTICLE, "Protests were also reported in Grodno, Gomel and Brest."),
    (HELD_OUT_ARTICLE, "Chancellor Olaf Scholz met the Polish head of government in Warsaw."),
    (HELD_OUT_ARTICLE, "Belarusian ruler Alexander Lukashenko was sworn in for a sixth term."),
    (
        HELD_OUT_ARTICLE,
        "Consumer prices rose by 2.4 percent in March, the Federal Statistical Office said.",
    ),
    (HELD_OUT_ARTICLE, "More than 1,300 people were arrested in Moscow during weekend protests."),
    (HELD_OUT_ARTICLE, "Ukrainian President Volodymyr Zelensky asked NATO for more support."),
    (
        HELD_OUT_ARTICLE,
        "The European Central Bank raised its key rate for the tenth time in a row.",
    ),
    (HELD_OUT_ARTICLE, "The Siemens group employs 320,000 people worldwide."),
    (HELD_OUT_ARTICLE, "The United Nations is warning of famine in Sudan."),
    (HELD_OUT_ARTICLE, "Airbus reported a record profit of 4.2 billion euros."),
    (
        HELD_OUT_ARTICLE,
        "The law must be amended by the end of 2025, the Federal Constitutional Court ruled.",
    ),
]
UNSUPPORTED = [
    "Lukashenko has promised to hold new elections next spring.",
    "The army has been deployed to restore order in the capital.",
    "Critics accuse the chancellor of ignoring the warnings of his advisers.",
    "Experts expect inflation to fall sharply next year.",
    "The company plans to cut thousands of jobs in Germany.",
    "Thousands of people celebrated in the streets after the verdict.",
    "The minister resigned after a scandal over secret payments.",
    "Russia has sent troops to the border.",
]


@pytest.mark.parametrize(("article", "sentence"), FAITHFUL)
def test_faithful_brief_sentences_raise_no_flag(article, sentence):
    checks, [support] = check_summary(sentence, article)
    assert checks == ()
    assert support.overlap >= MIN_SUPPORT


@pytest.mark.parametrize("article", [TRAINING_ARTICLE, HELD_OUT_ARTICLE])
@pytest.mark.parametrize("sentence", UNSUPPORTED)
def test_sentences_neither_article_supports_are_flagged(article, sentence):
    checks, [support] = check_summary(sentence, article)
    assert "unsupported" in [check.kind for check in checks]
    assert support.overlap < MIN_SUPPORT


def test_each_brief_sentence_records_its_best_supporting_segment():
    brief = "Prices rose by 1.2 percent. Demonstrations were reported in Grodno, Gomel and Brest."
    checks, supports = check_summary(brief, TRAINING_ARTICLE)
    assert checks == ()
    assert [(s.paragraph, s.segment) for s in supports] == [(6, 0), (19, 0)]
    assert supports[1].sentence == "Demonstrations were reported in Grodno, Gomel and Brest."
    assert supports[1].overlap == pytest.approx(4 / 5)  # all but "demonstrations"


def test_a_changed_number_and_an_invented_name_in_the_brief_are_flagged():
    brief = "The economy grew by 5.3 percent. Independent experts such as Smith agree."
    checks, _ = check_summary(brief, TRAINING_ARTICLE)
    assert [(c.stage, c.paragraph, c.kind, c.detail) for c in checks] == [
        ("summary", 6, "number", "brief sentence 1: 5.3 not in the translation"),
        ("summary", 10, "name", "brief sentence 2: Smith not in the translation"),
    ]


def test_describe_checks_reports_the_brief_apart():
    brief = "The army took Minsk. The economy grew by 3.5 percent."
    checks, _ = check_summary(brief, TRAINING_ARTICLE)
    assert describe_checks(checks, 20, brief_sentences=2) == (
        "20 segments checked, nothing flagged; brief: 2 sentences checked, "
        "1 item flagged (1 unsupported)"
    )


def test_debrief_summarize_checks_its_brief_against_the_input(tmp_path, monkeypatch, capsys):
    from debrief.cli import main

    source = tmp_path / "english.txt"
    source.write_text(
        " ".join(ENGLISH_TRAINING_TEXT.splitlines()[:10])
        + "\n\n"
        + " ".join(ENGLISH_TRAINING_TEXT.splitlines()[10:])
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "brief.json"
    assert main(["summarize", str(source), "--model", "lead-3", "-o", str(out), "--strict"]) == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert [(s["paragraph"], s["segment"], s["overlap"]) for s in record["support"]] == [
        (0, 0, 1.0),
        (0, 1, 1.0),
        (0, 2, 1.0),
    ]
    assert record["checks"] == []
    assert "3 sentences checked, nothing flagged" in capsys.readouterr().err
    brief = "The economy grew by 3.5 percent. Smith fled to Paris."
    install_fake_models(monkeypatch, summarizer=FixedSummarizer(brief))
    args = ["summarize", str(source), "--model", "lead-3", "-o", str(out), "--strict", "-v"]
    assert main(args) == 3
    record = json.loads(out.read_text(encoding="utf-8"))
    assert [(c["kind"], c["detail"]) for c in record["checks"]] == [
        ("name", "brief sentence 2: Paris not in the translation"),
        ("unsupported", "brief sentence 2: at most 0% of its words in any translated sentence"),
    ]
    assert record["support"][0]["paragraph"] == 0 and record["support"][0]["segment"] == 6
    err = capsys.readouterr().err
    assert "2 sentences checked, 2 items flagged (1 name, 1 unsupported)" in err
    # No segment shares a word with it: placed at the first.
    assert "summary, paragraph 0, segment 0: name: brief sentence 2: Paris" in err
