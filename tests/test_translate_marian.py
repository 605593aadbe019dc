"""The MarianMT backend on a tiny random model loaded through from_pretrained.

A random model translates nothing: these tests check loading, limits, batching and that
every piece of text reaches the model and comes back, not what the English says.
"""

from __future__ import annotations

import pytest
from conftest import SEED_ARTICLE, TORCH_CPU

from debrief.errors import ModelLoadError, ModelNotFoundError
from debrief.runtime.settings import Runtime
from translate.article import Article
from translate.checks import check_segment
from translate.marian import MarianTranslator
from translate.names import german_names
from translate.numbers import german_numbers
from translate.pipeline import split_segments, translate_article
from translate.reading import read_article
from translate.segment import collapse_whitespace

pytestmark = pytest.mark.slow


def test_loads_tokenizer_limits_and_generation_config(tiny_translator):
    assert tiny_translator.tokenizer.model_max_length == 512
    assert tiny_translator.max_positions == 512
    assert tiny_translator.max_input_tokens == 256
    # Generation settings come from the model's own generation_config.
    assert tiny_translator.settings["num_beams"] == 4
    assert tiny_translator.settings["max_length"] == 20


def test_num_beams_override(tiny_marian_dir):
    translator = MarianTranslator.from_pretrained(
        str(tiny_marian_dir), runtime=TORCH_CPU, num_beams=2
    )
    assert translator.generation_config.num_beams == 2
    assert translator.settings["num_beams"] == 2


def test_a_beam_width_for_one_batch_reaches_the_model(tiny_marian_dir, tiny_translator):
    from support.tiny_models import GERMAN_TRAINING_TEXT

    texts = GERMAN_TRAINING_TEXT.splitlines()[:8]
    narrow = MarianTranslator.from_pretrained(str(tiny_marian_dir), runtime=TORCH_CPU, num_beams=1)
    greedy = narrow.translate_batch(texts)
    assert greedy != tiny_translator.translate_batch(texts)  # so the comparison means something
    assert tiny_translator.translate_batch(texts, num_beams=1) == greedy
    assert tiny_translator.generation_config.num_beams == 4  # only that batch


def test_checks_flag_the_random_model_and_retry_through_the_model(tiny_translator):
    from support.tiny_models import GERMAN_TRAINING_TEXT

    article = Article(tuple(GERMAN_TRAINING_TEXT.splitlines()))
    first = translate_article(article, tiny_translator, retry=False)
    retried = translate_article(article, tiny_translator)
    # Random output keeps no number and no name: every sentence with one is flagged.
    flagged = {check.paragraph for check in first.checks}
    with_facts = {
        index
        for index, german in enumerate(article.paragraphs)
        if german_names(german) or german_numbers(german)
    }
    assert len(with_facts) == 11  # Prof. Dr. Müller counts: a surname after a title
    assert with_facts <= flagged
    assert {check.paragraph for check in retried.checks} <= flagged
    segments = [paragraph.segments[0] for paragraph in retried.paragraphs]
    assert [index for index, s in enumerate(segments) if s.retried] == sorted(flagged)
    assert all(s.retried[0] == "more beams" for s in segments if s.retried)
    # A retry is kept only when the checks flag less in it.
    for before, after in zip(first.paragraphs, retried.paragraphs, strict=True):
        old, new = before.segments[0], after.segments[0]
        fewer = len(check_segment(new.source, new.translation, 0, 0)) < len(
            check_segment(old.source, old.translation, 0, 0)
        )
        assert (new.kept is not None) == fewer
        assert new.translation == old.translation or new.kept is not None


def test_seed_article_translates_every_segment(tiny_translator):
    result = translate_article(read_article(SEED_ARTICLE), tiny_translator)
    assert len(result.paragraphs) == 1
    paragraph = result.paragraphs[0]
    assert len(paragraph.segments) >= 30
    assert " ".join(s.source for s in paragraph.segments) == collapse_whitespace(paragraph.source)
    assert all(s.translation.strip() for s in paragraph.segments)


def test_seed_paragraph_is_longer_than_the_model_reads_at_once(tiny_translator):
    # The reason segmentation exists: as one input, the second half would be lost.
    paragraph = read_article(SEED_ARTICLE).paragraphs[0]
    assert tiny_translator.count_tokens([paragraph])[0] > tiny_translator.max_positions


def test_segment_over_512_tokens_is_split_and_fully_translated(tiny_translator):
    clause = "die Regierung in Minsk hoffte auf Hilfe aus Moskau"
    sentence = "Damals " + ", ".join([clause] * 40) + "."
    assert tiny_translator.count_tokens([sentence])[0] > 512

    pieces = split_segments([sentence], tiny_translator)[0]
    assert len(pieces) > 2
    assert " ".join(pieces) == sentence
    assert max(tiny_translator.count_tokens(pieces)) <= tiny_translator.max_input_tokens

    seen: list[str] = []
    original = tiny_translator.translate_batch

    def recording_translate_batch(texts, **options):
        seen.extend(texts)
        return original(texts, **options)

    tiny_translator.translate_batch = recording_translate_batch
    try:
        # Without the checks' retry, which would send the random model's flagged output
        # through again.
        result = translate_article(Article((sentence,)), tiny_translator, retry=False)
    finally:
        del tiny_translator.translate_batch
    # Every distinct piece reached the model once (the sentence repeats its clause).
    assert sorted(seen) == sorted(set(pieces))
    segment = result.paragraphs[0].segments[0]
    assert segment.pieces == len(pieces)
    assert segment.translation.strip()


def test_translate_batch_refuses_input_it_would_have_to_truncate(tiny_translator):
    too_long = "Wort " * 600
    with pytest.raises(ValueError, match="exceeds the model's 512 positions"):
        tiny_translator.translate_batch([too_long])


def test_translate_batch_returns_one_output_per_input(tiny_translator):
    outputs = tiny_translator.translate_batch(
        ["Ein Satz.", "Ein etwas längerer zweiter Satz.", "Drei."]
    )
    assert len(outputs) == 3
    assert all(isinstance(output, str) and output for output in outputs)


def test_batching_does_not_change_translations(tiny_translator):
    # Padding must not leak into results: a sentence alone and in a batch agree.
    sentences = ["Ein Satz.", "Ein deutlich längerer Satz mit vielen Wörtern darin."]
    together = tiny_translator.translate_batch(sentences)
    alone = [tiny_translator.translate_batch([sentence])[0] for sentence in sentences]
    assert together == alone


def test_missing_local_directory_is_a_clear_error(tmp_path):
    with pytest.raises(ModelNotFoundError, match="is not a directory"):
        MarianTranslator.from_pretrained(str(tmp_path / "no-such-model"))


def test_uncached_hub_model_offline_fails_fast_with_advice():
    with pytest.raises(ModelNotFoundError) as raised:
        MarianTranslator.from_pretrained("Helsinki-NLP/opus-mt-de-en")
    message = str(raised.value)
    assert "Helsinki-NLP/opus-mt-de-en" in message
    assert "--model DIR" in message
    assert "HF_HUB_OFFLINE" in message


def test_directory_without_a_model_is_a_load_error(tmp_path):
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ModelLoadError, match="could not be loaded"):
        MarianTranslator.from_pretrained(str(tmp_path))


def test_int8_translator_quantizes_every_linear_layer(tiny_marian_dir):
    import torch

    translator = MarianTranslator.from_pretrained(
        str(tiny_marian_dir), runtime=Runtime(backend="torch", precision="int8", device="cpu")
    )
    layers = list(translator.engine.model.modules())
    assert not [m for m in layers if type(m) is torch.nn.Linear]
    assert [m for m in layers if isinstance(m, torch.ao.nn.quantized.dynamic.Linear)]
    assert translator.settings["precision"] == "int8"
    assert len(translator.translate_batch(["Ein Satz.", "Noch einer."])) == 2


def test_ctranslate2_translator_shares_tokenizer_limits_and_settings(
    tiny_marian_dir, tiny_translator
):
    pytest.importorskip("ctranslate2")
    from debrief.runtime.ctranslate2_backend import CTranslate2Engine
    from translate.marian import load_translator

    translator = load_translator(
        str(tiny_marian_dir), runtime=Runtime(backend="ctranslate2", device="cpu")
    )
    assert isinstance(translator.engine, CTranslate2Engine)
    texts = ["Ein Satz.", "Ein etwas längerer zweiter Satz.", "Drei."]
    assert translator.count_tokens(texts) == tiny_translator.count_tokens(texts)
    assert translator.max_input_tokens == tiny_translator.max_input_tokens == 256
    settings = dict(translator.settings)
    assert (settings.pop("backend"), settings.pop("precision")) == ("ctranslate2", "fp32")
    reference = dict(tiny_translator.settings)
    del reference["backend"], reference["precision"]
    assert settings == reference
    outputs = translator.translate_batch(texts)
    assert len(outputs) == 3
    assert all(isinstance(output, str) and output for output in outputs)
    greedy = load_translator(
        str(tiny_marian_dir), runtime=Runtime(backend="ctranslate2", device="cpu"), num_beams=1
    ).translate_batch(texts)
    assert translator.translate_batch(texts, num_beams=1) == greedy
    with pytest.raises(ValueError, match="exceeds the model's 512 positions"):
        translator.translate_batch(["Wort " * 600])


def test_seed_article_through_ctranslate2_int8_loses_nothing(tiny_marian_dir):
    pytest.importorskip("ctranslate2")
    from translate.marian import load_translator

    translator = load_translator(
        str(tiny_marian_dir), runtime=Runtime(backend="ctranslate2", precision="int8", device="cpu")
    )
    result = translate_article(read_article(SEED_ARTICLE), translator)
    paragraph = result.paragraphs[0]
    assert " ".join(s.source for s in paragraph.segments) == collapse_whitespace(paragraph.source)
    assert all(s.translation.strip() for s in paragraph.segments)
    assert result.settings["backend"] == "ctranslate2"
    assert result.settings["precision"] == "int8"


@pytest.mark.parametrize("backend", ["torch", "ctranslate2"])
def test_alternatives_are_a_beams_best_hypotheses_on_either_backend(tiny_marian_dir, backend):
    if backend == "ctranslate2":
        pytest.importorskip("ctranslate2")
    from translate.marian import load_translator

    translator = load_translator(
        str(tiny_marian_dir), runtime=Runtime(backend=backend, device="cpu"), num_beams=3
    )
    texts = ["Ein Satz.", "Ein etwas längerer zweiter Satz."]
    alternatives = translator.translate_alternatives(texts, 3)
    assert [len(found) for found in alternatives] == [3, 3]
    assert all(isinstance(text, str) for found in alternatives for text in found)
    # The best of the beam is the translation itself (the same beam width).
    assert [found[0] for found in alternatives] == translator.translate_batch(texts)
