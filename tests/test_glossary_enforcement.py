"""Glossaries enforced while translating: the model reads each term code-switched to its
English, a segment whose English still lacks it is retried and then flagged "glossary",
and every hit reaches the JSON record and the review page; through the pipeline, the
CLI (translate, run) and the server. The rate on a model that really translates is
tests/test_glossary_rate.py's."""

from __future__ import annotations

import json

import pytest
from conftest import FakeSummarizer, FakeTranslator, install_fake_models
from test_adversarial import one_error_line, snapshot

from debrief.cli import main
from debrief.outputs.formats import article_to_dict
from debrief.outputs.review import render_review
from translate.article import Article
from translate.glossary import Term, merge_glossaries
from translate.pipeline import translate_article
from translate.transliteration import names_glossary

GLOSSARY = merge_glossaries(
    [
        [
            Term("Bundesnetzagentur", "Federal Network Agency", "g.tsv:1"),
            Term("Ampel-Koalition", "traffic-light coalition", "g.tsv:2"),
            Term("Behörde", "authority", "g.tsv:3"),
        ]
    ]
)
ARTICLE = Article(
    (
        "Die Bundesnetzagentur prüft den Antrag. Das Wetter bleibt schön.",
        "Die Ampel-Koalition streitet, und die Ampelkoalition wankt.",
        "Die Aufsichtsbehörde schweigt.",
    )
)


class ForgetfulTranslator(FakeTranslator):
    """Drops `forgotten` from what it reads unless its beam is at least `remembers_at`
    wide (None: it always drops it), as a model may translate a copied English term
    into something else."""

    def __init__(self, forgotten: str, remembers_at: int | None = None) -> None:
        super().__init__()
        self.forgotten, self.remembers_at = forgotten, remembers_at

    def translate_batch(self, texts, *, num_beams=None):
        self.batches.append(list(texts))
        wide = self.remembers_at is not None and (num_beams or 1) >= self.remembers_at
        return [f"EN[{text if wide else text.replace(self.forgotten, 'it')}]" for text in texts]


def test_the_model_reads_the_terms_in_english_and_the_record_lists_every_hit():
    translator = FakeTranslator()
    translated = translate_article(ARTICLE, translator, glossary=GLOSSARY)
    read = [text for batch in translator.batches for text in batch]
    assert "Die Federal Network Agency prüft den Antrag." in read
    assert "Die traffic-light coalition streitet, und die traffic-light coalition wankt." in read
    assert "Die Aufsichtsbehörde schweigt." in read
    first = translated.paragraphs[0]
    assert first.segments[0].source == "Die Bundesnetzagentur prüft den Antrag."
    record = article_to_dict(translated)
    [hit] = record["paragraphs"][0]["segments"][0]["glossary"]
    assert hit == {
        "term": "Bundesnetzagentur",
        "english": "Federal Network Agency",
        "found": "Bundesnetzagentur",
        "start": 4,
        "end": 21,
        "kept": True,
        "glossary": "g.tsv:1",
    }
    assert "glossary" not in record["paragraphs"][0]["segments"][1]  # no term there
    hits = record["paragraphs"][1]["segments"][0]["glossary"]
    assert [(hit["found"], hit["kept"]) for hit in hits] == [
        ("Ampel-Koalition", True),
        ("Ampelkoalition", True),
    ]
    # A compound with a term as its head is left to the model (English inside a German
    # word would garble it); the fake copies the German, so the term is missing, and
    # flagged after the retries.
    [hit] = record["paragraphs"][2]["segments"][0]["glossary"]
    assert (hit["found"], hit["kept"]) == ("Aufsichtsbehörde", False)
    [check] = translated.checks
    assert (check.kind, check.paragraph) == ("glossary", 2)
    assert check.detail == "Aufsichtsbehörde should be 'authority' (g.tsv:3)"


def test_a_term_the_model_loses_is_retried_and_the_wider_beam_kept():
    translator = ForgetfulTranslator("Federal Network Agency", remembers_at=2)
    translated = translate_article(ARTICLE, translator, glossary=GLOSSARY)
    segment = translated.paragraphs[0].segments[0]
    assert segment.translation == "EN[Die Federal Network Agency prüft den Antrag.]"
    assert segment.retried == ("more beams",) and segment.kept == "more beams"
    assert segment.terms[0].kept
    assert [check.paragraph for check in translated.checks] == [2]  # the compound


def test_a_term_no_retry_brings_back_is_flagged_with_the_term_and_its_glossary_line():
    translator = ForgetfulTranslator("Federal Network Agency")
    translated = translate_article(ARTICLE, translator, glossary=GLOSSARY)
    check, _ = translated.checks
    assert (check.kind, check.paragraph, check.segment) == ("glossary", 0, 0)
    assert check.detail == "Bundesnetzagentur should be 'Federal Network Agency' (g.tsv:1)"
    segment = translated.paragraphs[0].segments[0]
    assert segment.retried == ("more beams",)  # one clause: no clause retry to make
    assert segment.kept is None and not segment.terms[0].kept
    page = render_review(translated)
    assert 'class="term missing" title="glossary: Federal Network Agency (missing' in page


def test_without_retry_the_first_translation_is_flagged_and_nothing_retried():
    translator = ForgetfulTranslator("Federal Network Agency", remembers_at=2)
    translated = translate_article(ARTICLE, translator, glossary=GLOSSARY, retry=False)
    assert [check.paragraph for check in translated.checks] == [0, 2]
    assert len(translator.batches) == 1


def test_the_review_page_marks_each_term_in_the_german_and_its_english():
    translated = translate_article(ARTICLE, FakeTranslator(), glossary=GLOSSARY)
    page = render_review(translated)
    assert (
        'Die <mark class="term" title="glossary: Federal Network Agency">Bundesnetzagentur'
        "</mark> prüft" in page
    )
    assert (
        'EN[Die <mark class="term" title="glossary: Bundesnetzagentur">Federal Network '
        "Agency</mark> prüft" in page
    )


def test_the_built_in_names_glossary_spells_names_the_english_way():
    translator = FakeTranslator()
    article = Article(("Präsident Selenskyj sprach in Kiew mit Klitschko.",))
    translated = translate_article(article, translator, glossary=names_glossary())
    assert translator.batches[0] == ["Präsident Zelensky sprach in Kyiv mit Klitschko."]
    found = {hit.found: hit.term.english for hit in translated.paragraphs[0].segments[0].terms}
    assert found == {"Selenskyj": "Zelensky", "Kiew": "Kyiv"}  # Klitschko is spelled alike


# -- the CLI ----------------------------------------------------------------------------------


@pytest.fixture
def article_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "artikel.txt").write_text("\n\n".join(ARTICLE.paragraphs) + "\n", encoding="utf-8")
    (tmp_path / "g.tsv").write_text(
        "Bundesnetzagentur\tFederal Network Agency\nAmpel-Koalition\ttraffic-light coalition\n",
        encoding="utf-8",
    )
    return tmp_path


def test_translate_with_a_glossary_writes_the_hits_into_the_record(article_files, monkeypatch):
    install_fake_models(monkeypatch, translator=ForgetfulTranslator("Federal Network Agency"))
    argv = ["translate", "artikel.txt", "--glossary", "g.tsv", "-o", "artikel.json", "-q"]
    assert main([*argv, "--strict"]) == 3  # the flagged term
    record = json.loads((article_files / "artikel.json").read_text(encoding="utf-8"))
    assert [check["kind"] for check in record["checks"]] == ["glossary"]
    assert record["checks"][0]["detail"].startswith("Bundesnetzagentur should be")
    [hit] = record["paragraphs"][0]["segments"][0]["glossary"]
    assert hit["kept"] is False and hit["glossary"] == "g.tsv:1"


def test_run_with_a_glossary_enforces_it_in_the_record_and_the_page(article_files, monkeypatch):
    install_fake_models(monkeypatch, translator=FakeTranslator(), summarizer=FakeSummarizer())
    argv = ["run", "artikel.txt", "--glossary", "g.tsv", "--english-names", "--out-dir", "out"]
    assert main([*argv, "-q"]) == 0
    record = json.loads((article_files / "out/artikel.json").read_text(encoding="utf-8"))
    assert record["paragraphs"][0]["translation"].startswith(
        "EN[Die Federal Network Agency prüft den Antrag.]"
    )
    page = (article_files / "out/artikel.html").read_text(encoding="utf-8")
    assert '<mark class="term" title="glossary: Federal Network Agency">' in page


BAD_GLOSSARIES = {
    "empty": (b"", "is empty"),
    "one column": (b"Bundestag\n", "has one column"),
    "two targets": (b"Bundestag\tBundestag\nbundestag\tparliament\n", "two English terms"),
    "binary": (b"\x00\x01PK\x03\x04", "binary file"),
    "stop words": (b"der die das\tthe\n", "only stop words"),
    "huge": (b"Wort\tword\n" * 250_000, "a glossary may be at most"),
}


COMMANDS = {
    "translate": ["translate", "artikel.txt", "-o", "artikel.en.txt"],
    "run": ["run", "artikel.txt", "--out-dir", "out"],
    "serve": ["serve", "--port", "8765"],
    "check": ["check", "artikel.txt", "artikel.txt"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", BAD_GLOSSARIES)
def test_a_bad_glossary_is_one_line_exit_2_before_any_model_loads(
    article_files, monkeypatch, capsys, command, kind
):
    def no_model(*args, **kwargs):
        raise AssertionError("a model loaded for a bad glossary")

    monkeypatch.setattr("translate.marian.load_translator", no_model)
    monkeypatch.setattr("summarize.model.load_summarizer", no_model)
    data, message = BAD_GLOSSARIES[kind]
    (article_files / "bad.tsv").write_bytes(data)
    before = snapshot(article_files)
    assert main([*COMMANDS[command], "--glossary", "bad.tsv"]) == 2
    one_error_line(capsys.readouterr().err, message)
    assert snapshot(article_files) == before


def test_a_missing_glossary_file_is_named(article_files, capsys):
    assert main(["translate", "artikel.txt", "--glossary", "nowhere.tsv"]) == 2
    one_error_line(capsys.readouterr().err, "debrief: error: glossary nowhere.tsv does not exist")


# -- the server -------------------------------------------------------------------------------


def test_the_api_takes_a_glossary_field_over_the_servers_own():
    from test_debrief_server import client

    api = client(glossary=GLOSSARY)
    text = "\n\n".join(ARTICLE.paragraphs)
    record = api.post("/api/translate", json={"text": text}).json()
    assert record["paragraphs"][0]["segments"][0]["glossary"][0]["english"] == (
        "Federal Network Agency"
    )
    own = api.post(
        "/api/translate", json={"text": text, "glossary": "Bundesnetzagentur\tBNetzA\n"}
    ).json()
    assert own["paragraphs"][0]["translation"].startswith("EN[Die BNetzA prüft den Antrag.]")
    [hit] = own["paragraphs"][0]["segments"][0]["glossary"]
    assert (hit["english"], hit["glossary"]) == ("BNetzA", "the glossary field:1")
    run = api.post("/api/run", data={"text": text, "glossary": "Antrag,application"}).json()
    assert (
        "EN[Die Federal Network Agency prüft den application.]"
        in run["paragraphs"][0]["translation"]
    )
    # The LibreTranslate endpoint enforces the server's glossary too.
    answer = api.post(
        "/translate", json={"q": ARTICLE.paragraphs[0], "source": "de", "alternatives": 2}
    ).json()
    assert answer["translatedText"].startswith("EN[Die Federal Network Agency prüft")
    # And its alternatives: the model's other beams over the same code-switched text.
    assert [other.split()[:4] for other in answer["alternatives"]] == [
        ["EN2[Die", "Federal", "Network", "Agency"],
        ["EN3[Die", "Federal", "Network", "Agency"],
    ]


@pytest.mark.parametrize("kind", BAD_GLOSSARIES)
def test_a_bad_glossary_field_is_a_400_with_one_line(kind):
    from fastapi.testclient import TestClient

    from debrief.server.app import create_app
    from debrief.server.service import DebriefService

    data, message = BAD_GLOSSARIES[kind]
    translator = FakeTranslator()
    service = DebriefService(translator, FakeSummarizer())
    api = TestClient(create_app(service))
    for path in ("/api/translate", "/api/jobs"):
        answer = api.post(
            path, data={"text": "Der Bundestag tagt."}, files={"glossary": ("g.tsv", data)}
        )
        assert answer.status_code == 400, answer.text
        error = answer.json()["error"]
        assert message in error and "\n" not in error
    assert translator.batches == [] and service.jobs == {}
    wrong = api.post("/api/translate", json={"text": "Der Bundestag tagt.", "glossary": 5})
    assert wrong.status_code == 400 and "'glossary' must be TSV or CSV" in wrong.json()["error"]
