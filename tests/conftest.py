"""Shared fixtures: no network, a throwaway Hugging Face home, tiny models, a fake translator."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from debrief.runtime.settings import Runtime

# Set before anything imports huggingface_hub, which reads these once: an accidental
# download must fail at once instead of retrying the network.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_ARTICLE = REPO_ROOT / "seeds" / "belarus-russland-2020-08.de.txt"
# The torch backend on the CPU: tests that inspect or patch the torch model name it, since
# the default backend is CTranslate2 wherever the fast extra is installed.
TORCH_CPU = Runtime(backend="torch", device="cpu")


@pytest.fixture(autouse=True)
def offline_hugging_face(monkeypatch, tmp_path_factory):
    """Every test runs offline, with an empty Hugging Face cache and translation cache of its own."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path_factory.mktemp("hf_home")))
    monkeypatch.setenv("DEBRIEF_CACHE_DIR", str(tmp_path_factory.mktemp("debrief_cache")))


@pytest.fixture(scope="session")
def tiny_marian_dir(tmp_path_factory) -> Path:
    """A tiny random MarianMT model with trained sentencepiece tokenizers, on disk."""
    from support.tiny_models import build_tiny_marian

    return build_tiny_marian(tmp_path_factory.mktemp("tiny-marian"))


@pytest.fixture(scope="session")
def tiny_bart_dir(tmp_path_factory) -> Path:
    """A tiny random BART summarizer with a trained byte-level BPE tokenizer, on disk."""
    from support.tiny_models import build_tiny_bart

    return build_tiny_bart(tmp_path_factory.mktemp("tiny-bart"))


@pytest.fixture(scope="session")
def tiny_translator(tiny_marian_dir):
    """The tiny model loaded through the same from_pretrained path users take."""
    from translate.marian import MarianTranslator

    return MarianTranslator.from_pretrained(str(tiny_marian_dir), runtime=TORCH_CPU)


class FakeTranslator:
    """A deterministic translator: each text comes back as "EN[text]".

    Tokens are whitespace-separated words plus one end-of-sentence token, so tests can
    reason about lengths. Every batch it sees is recorded.
    """

    name = "fake"
    revision = None

    def __init__(self, max_input_tokens: int = 512) -> None:
        self.max_input_tokens = max_input_tokens
        self.batches: list[list[str]] = []

    @property
    def settings(self) -> dict:
        return {"fake": True}

    @staticmethod
    def _tokens(text: str) -> int:
        return len(text.split()) + 1

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [self._tokens(text) for text in texts]

    def translate_batch(self, texts: Sequence[str], *, num_beams: int | None = None) -> list[str]:
        too_long = [text for text in texts if self._tokens(text) > self.max_input_tokens]
        assert not too_long, f"fake translator got input over its limit: {too_long[0][:60]}"
        self.batches.append(list(texts))
        return [f"EN[{text}]" for text in texts]

    def translate_alternatives(self, texts: Sequence[str], count: int) -> list[list[str]]:
        """The best translation, then "EN2[text]", "EN3[text]", ...: a beam's others."""
        best = self.translate_batch(texts)
        return [
            [first] + [f"EN{rank}[{text}]" for rank in range(2, count + 1)]
            for first, text in zip(best, texts, strict=True)
        ]


@pytest.fixture
def fake_translator() -> FakeTranslator:
    return FakeTranslator()


class FakeSummarizer:
    """A deterministic summarizer: the first five words of the text, and one chunk."""

    name = "fake-summarizer"

    def __init__(self) -> None:
        self.texts: list[str] = []

    def summarize(self, text: str, progress=None):
        from summarize.model import Summary

        self.texts.append(text)
        return Summary(text=" ".join(text.split()[:5]), model=self.name, chunks=1)


class FixedSummarizer:
    """A summarizer that writes the same brief whatever it reads: for planting faults."""

    name = "fixed-brief"

    def __init__(self, brief: str) -> None:
        self.brief = brief

    def summarize(self, text: str, progress=None):
        from summarize.model import Summary

        return Summary(text=self.brief, model=self.name)


def english_words(count: int) -> str:
    """English news-like text of exactly `count` words, in sentences and paragraphs."""
    from support.tiny_models import ENGLISH_TRAINING_TEXT

    words = ENGLISH_TRAINING_TEXT.split()
    chosen = [words[index % len(words)] for index in range(count)]
    paragraphs = [" ".join(chosen[start : start + 120]) for start in range(0, count, 120)]
    return "\n\n".join(paragraphs)


def run_with_models(paths, translator, summarizer, out_dir, **events):
    """`debrief.job.run_job` over `paths` with the given models in place of the plan's."""
    from debrief.job import run_job
    from debrief.plan import JobPlan

    plan = JobPlan(inputs=tuple(Path(path) for path in paths), out_dir=Path(out_dir))
    return run_job(plan, translator=translator, summarizer=summarizer, **events)


def install_fake_models(monkeypatch, translator=None, summarizer=None) -> None:
    """Make the CLI and the job find every model name, and load these fakes instead of
    real models (None: load as usual)."""
    from debrief.runtime.models import ModelLocation

    def locate(name, revision=None, *, flag="--model"):
        return ModelLocation(name=name, directory=Path("/nonexistent/fake-model"), revision="fake")

    monkeypatch.setattr("debrief.runtime.models.locate_model", locate)
    if translator is not None:
        monkeypatch.setattr("translate.marian.load_translator", lambda *a, **k: translator)
    if summarizer is not None:
        monkeypatch.setattr("summarize.model.load_summarizer", lambda *a, **k: summarizer)


@pytest.fixture
def news_site(tmp_path, monkeypatch):
    """A news site on 127.0.0.1 (tests/support/news_site.py) with fake models installed
    and tmp_path as the working folder; yields the site's base URL."""
    from support.news_site import serving_site

    install_fake_models(monkeypatch, FakeTranslator(), FakeSummarizer())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DEBRIEF_CACHE_DIR", str(tmp_path / "cache"))
    with serving_site() as base:
        yield base
