"""int8 against fp32 on a model trained here until it is confident (tests/reversal_model.py).

A random model cannot show that int8 keeps translations: its outputs are near-ties that
any rounding flips. The reversal model reverses held-out letter sequences correctly, so
a changed output under int8, or under CTranslate2, is a real loss of fidelity.
"""

from __future__ import annotations

import logging

import pytest
from conftest import TORCH_CPU
from support.reversal_model import compare_backends, random_sequences, reverse, train_reversal_model

from debrief.runtime.settings import Runtime, cpu_has_vnni

pytestmark = pytest.mark.slow

# Fewer steps than benchmarks/int8_agreement.py (which reports the figure), enough for a
# model that reverses every held-out sequence: about 50 s on two cores.
TRAINING_STEPS = 800
REQUIRED_AGREEMENT = 0.95


@pytest.fixture(scope="module")
def reversal_model_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("reversal")
    train_reversal_model(directory, steps=TRAINING_STEPS)
    return directory


@pytest.fixture(scope="module")
def agreement(reversal_model_dir, tmp_path_factory):
    # Module-scoped, so it runs before the per-test cache redirection: redirect here.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DEBRIEF_CACHE_DIR", str(tmp_path_factory.mktemp("converted")))
        return compare_backends(reversal_model_dir, samples=200)


def test_the_model_is_confident_in_fp32(agreement):
    assert agreement["torch-fp32"]["accuracy"] >= REQUIRED_AGREEMENT


def test_torch_int8_agrees_with_fp32(agreement):
    assert agreement["torch-int8"]["agreement_with_torch_fp32"] >= REQUIRED_AGREEMENT


def test_ctranslate2_fp32_agrees_with_torch_fp32(agreement):
    pytest.importorskip("ctranslate2")
    # The converter keeps the model: same weights, same start, same search.
    assert agreement["ctranslate2-fp32"]["agreement_with_torch_fp32"] >= REQUIRED_AGREEMENT


def test_ctranslate2_int8_agrees_or_is_warned_about(agreement, reversal_model_dir, caplog):
    pytest.importorskip("ctranslate2")
    from debrief.runtime.ctranslate2_backend import warn_about_ctranslate2_int8
    from translate.marian import load_translator

    share = agreement["ctranslate2-int8"]["agreement_with_torch_fp32"]
    if cpu_has_vnni() is not False:
        assert share >= REQUIRED_AGREEMENT
        return
    # Without VNNI the int8 products can saturate; the user must be told.
    warn_about_ctranslate2_int8.cache_clear()
    with caplog.at_level(logging.WARNING, logger="debrief"):
        load_translator(
            str(reversal_model_dir),
            runtime=Runtime(backend="ctranslate2", precision="int8", device="cpu"),
        )
    assert "AVX2 without VNNI" in caplog.text


def test_outputs_come_back_in_input_order(reversal_model_dir):
    from translate.marian import load_translator

    sources = random_sequences(12, seed=99)
    translator = load_translator(str(reversal_model_dir), runtime=TORCH_CPU)
    # Mixed lengths in one padded batch: each row must get its own reversal.
    assert translator.translate_batch(sources) == [reverse(source) for source in sources]
