"""The runtime (debrief/runtime/): Runtime, backends, precisions, threads, the
CTranslate2 conversion, with tiny models where needed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from debrief.errors import BackendError, UsageError
from debrief.runtime.ctranslate2_backend import (
    ctranslate2_model,
    ctranslate2_options,
    target_vocabulary,
)
from debrief.runtime.models import locate_model
from debrief.runtime.settings import (
    Runtime,
    choose_backend,
    configure_threads,
    import_ctranslate2,
    physical_cores,
    usable_cpus,
)


def write_topology(root: Path, cpu: int, package: int, core: int) -> None:
    topology = root / f"cpu{cpu}" / "topology"
    topology.mkdir(parents=True)
    (topology / "physical_package_id").write_text(f"{package}\n")
    (topology / "core_id").write_text(f"{core}\n")


def test_physical_cores_counts_hyperthreads_once(tmp_path):
    # Two packages of two cores, each core with two hyper-threads: eight CPUs, four cores.
    for cpu in range(8):
        write_topology(tmp_path, cpu, package=cpu // 4, core=(cpu // 2) % 2)
    assert physical_cores(range(8), sysfs=tmp_path) == 4
    assert physical_cores([0, 1], sysfs=tmp_path) == 1  # both threads of one core
    assert physical_cores([0, 2, 4], sysfs=tmp_path) == 3


def test_physical_cores_falls_back_to_cpu_count_without_topology(tmp_path):
    assert physical_cores([0, 1, 2], sysfs=tmp_path) == 3


def test_configure_threads_sets_torch_and_refuses_zero(monkeypatch):
    import torch

    before = torch.get_num_threads()
    try:
        assert configure_threads(1) == 1
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
    with pytest.raises(UsageError, match="--threads must be at least 1"):
        configure_threads(0)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"backend": "onnx"}, "unknown --backend 'onnx'; use one of: auto, torch, ctranslate2"),
        ({"precision": "fp16"}, "unknown --precision 'fp16'; use one of: fp32, int8"),
        ({"device": "tpu"}, "unknown --device 'tpu'; use one of: auto, cpu, cuda"),
        ({"threads": 0}, "--threads must be between 1 and"),
        ({"threads": 100_000}, "--threads must be between 1 and"),
    ],
)
def test_runtime_refuses_impossible_values_naming_the_choices(options, message):
    with pytest.raises(UsageError, match=message):
        Runtime(**options)


def test_runtime_warns_about_more_threads_than_cpus():
    assert Runtime(threads=1).warnings() == []
    [warning] = Runtime(threads=usable_cpus() + 1).warnings()
    assert f"more than the {usable_cpus()} CPUs" in warning


def test_auto_backend_is_ctranslate2_fp32_when_installed_else_torch(monkeypatch):
    assert choose_backend(Runtime(backend="torch")) == "torch"
    assert choose_backend(Runtime(backend="ctranslate2")) == "ctranslate2"
    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # not installed
    assert choose_backend(Runtime()) == "torch"


def test_auto_backend_with_ctranslate2_installed(monkeypatch):
    pytest.importorskip("ctranslate2")
    import debrief.runtime.settings as settings

    assert choose_backend(Runtime(device="cpu")) == "ctranslate2"
    # int8: CTranslate2 only where its int8 is exact (VNNI), else torch's int8.
    monkeypatch.setattr(settings, "cpu_has_vnni", lambda: False)
    assert choose_backend(Runtime(precision="int8", device="cpu")) == "torch"
    monkeypatch.setattr(settings, "cpu_has_vnni", lambda: True)
    assert choose_backend(Runtime(precision="int8", device="cpu")) == "ctranslate2"


def test_missing_ctranslate2_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # makes the import fail
    with pytest.raises(BackendError, match=r"pip install 'debrief\[fast\]'"):
        import_ctranslate2()


class TokenTable:
    """The part of a tokenizer that ctranslate2_options uses."""

    def __init__(self) -> None:
        self.tokens = {0: "</s>", 1: "<unk>", 5: "▁x", 6: "▁y", 9: "<pad>", 3: "<s>"}

    def convert_ids_to_tokens(self, ids):
        if isinstance(ids, int):
            return self.tokens[ids]
        return [self.tokens[i] for i in ids]


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        # opus-mt: max_length counts the decoder's start token; <pad> is not in the
        # converted vocabulary, so suppressing it is left out.
        (
            {"num_beams": 4, "max_length": 512, "bad_words_ids": [[9]]},
            {
                "beam_size": 4,
                "length_penalty": 1.0,
                "no_repeat_ngram_size": 0,
                "repetition_penalty": 1.0,
                "max_decoding_length": 511,
            },
        ),
        # distilbart-cnn: min and max lengths, penalty, trigram block, forced <s>.
        (
            {
                "num_beams": 4,
                "min_length": 56,
                "max_length": 142,
                "length_penalty": 2.0,
                "no_repeat_ngram_size": 3,
                "forced_bos_token_id": 3,
            },
            {
                "beam_size": 4,
                "length_penalty": 2.0,
                "no_repeat_ngram_size": 3,
                "repetition_penalty": 1.0,
                "max_decoding_length": 141,
                "min_decoding_length": 55,
                "target_prefix_token": "<s>",
            },
        ),
        # Pinned lengths win over max_length; suppressed tokens in the vocabulary stay.
        (
            {
                "num_beams": 1,
                "max_length": 20,
                "min_new_tokens": 7,
                "max_new_tokens": 7,
                "suppress_tokens": [5, 6],
                "bad_words_ids": [[5, 6]],
            },
            {
                "beam_size": 1,
                "length_penalty": 1.0,
                "no_repeat_ngram_size": 0,
                "repetition_penalty": 1.0,
                "max_decoding_length": 7,
                "min_decoding_length": 7,
                "suppress_sequences": [["▁x", "▁y"], ["▁x"], ["▁y"]],
            },
        ),
    ],
)
def test_ctranslate2_options_from_generation_config(tmp_path, settings, expected):
    from transformers import GenerationConfig

    vocabulary = ["</s>", "<unk>", "<s>", "▁x", "▁y"]
    (tmp_path / "shared_vocabulary.json").write_text(json.dumps(vocabulary), encoding="utf-8")
    options = ctranslate2_options(
        GenerationConfig(**settings), TokenTable(), target_vocabulary(tmp_path)
    )
    assert options == expected


@pytest.mark.slow
def test_conversion_is_made_once_and_reused(tiny_marian_dir):
    pytest.importorskip("ctranslate2")
    location = locate_model(str(tiny_marian_dir))
    first = ctranslate2_model(location, "int8")
    written = (first / "model.bin").stat().st_mtime_ns
    second = ctranslate2_model(location, "int8")
    assert second == first
    assert (second / "model.bin").stat().st_mtime_ns == written
    assert ctranslate2_model(location, "fp32") != first  # each precision its own copy
    assert not [p for p in first.parent.iterdir() if p.name.startswith(".partial-")]
    config = json.loads((first / "config.json").read_text(encoding="utf-8"))
    assert config["decoder_start_token"] == "</s>"  # Marian: starts from a zero vector
