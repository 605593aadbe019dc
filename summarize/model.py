"""Summarizers: a seq2seq model (BART, T5, Pegasus, ...) and the lead-3 baseline.

Only this module touches torch and transformers. Long inputs are summarised map-reduce:
chunks within the model's window are summarised one by one, their summaries joined and
summarised again, until the text fits.
"""

from __future__ import annotations

import copy
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from summarize.chunking import chunk_text, split_sentences
from summarize.errors import ModelLoadError
from summarize.loading import (
    ModelLocation,
    layered_generation_config,
    load_failure,
    locate_model,
    recorded_settings,
    resolve_device,
)
from summarize.runtime import (
    check_runtime,
    ctranslate2_generate,
    ctranslate2_options,
    load_ctranslate2,
    quantize_int8,
    saved_generation_config,
)

DEFAULT_SUMMARY_MODEL = "sshleifer/distilbart-cnn-12-6"
LEAD_3 = "lead-3"

logger = logging.getLogger("debrief")

# Brief lengths in generated tokens (min_length, max_length). English runs about 1.3 BPE
# tokens a word, so short is about 25-60 words (two or three sentences), medium about
# 45-110 (distilbart-cnn's own 56-142 setting), long about 75-190.
LENGTH_PRESETS: dict[str, tuple[int, int]] = {
    "short": (30, 80),
    "medium": (56, 142),
    "long": (100, 250),
}
TOKENS_PER_WORD = 1.3
# Map-reduce stops here; each round shrinks the text by the window over the summary
# length (7x for BART), so real inputs need two or three.
MAX_ROUNDS = 8
# Chunks summarised in one generate call. A full chunk costs distilbart about 300 MB
# of activations and cross-attention cache with 4 beams; unbounded, a long input's
# chunks together took over 17 GB. Two at a time were 12% faster than one, for 400 MB.
CHUNKS_PER_BATCH = 1


def length_settings(length: str | None = None, max_words: int | None = None) -> dict[str, int]:
    """Generation length settings for a brief; empty means the model's own."""
    if max_words is not None:
        if max_words < 1:
            raise ValueError("max_words must be at least 1")
        max_length = math.ceil(max_words * TOKENS_PER_WORD) + 2
        return {"min_length": max_length // 3, "max_length": max_length}
    if length is None:
        return {}
    minimum, maximum = LENGTH_PRESETS[length]
    return {"min_length": minimum, "max_length": maximum}


@dataclass(frozen=True)
class Summary:
    """A brief and how it was made. `chunks` > 1 says the input was summarised in parts."""

    text: str
    model: str
    chunks: int = 1
    rounds: int = 1
    revision: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)


class Summarizer(Protocol):
    """What the pipeline needs from a summarizer."""

    name: str

    def summarize(self, text: str) -> Summary: ...


class LeadSummarizer:
    """The lead-n baseline: the first n sentences. Needs no weights; the standard reference."""

    def __init__(self, sentences: int = 3) -> None:
        self.sentences = sentences
        self.name = f"lead-{sentences}"

    def summarize(self, text: str) -> Summary:
        lead = split_sentences(text)[: self.sentences]
        return Summary(text=" ".join(lead), model=self.name, settings={"sentences": self.sentences})


def _input_window(config: Any, tokenizer: Any) -> int:
    # BART and Pegasus name their window max_position_embeddings, T5 n_positions; a
    # tokenizer without a limit reports a huge sentinel value.
    candidates = (
        getattr(config, "max_position_embeddings", None),
        getattr(config, "n_positions", None),
        tokenizer.model_max_length,
    )
    limits = [value for value in candidates if isinstance(value, int) and 0 < value < 1_000_000]
    return min(limits) if limits else 512


def _load_seq2seq(name_or_path: str, location: ModelLocation, *, weights: bool) -> tuple[Any, Any]:
    """The tokenizer, and the torch model (with `weights`) or else only its config."""
    from transformers import AutoConfig, AutoModelForSeq2SeqLM, AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(location.directory)
        loader = AutoModelForSeq2SeqLM if weights else AutoConfig
        return tokenizer, loader.from_pretrained(location.directory)
    except Exception as error:
        # Missing, corrupt or unsupported files surface as many exception types.
        remedy = f"pass a BART, T5 or Pegasus model, or {LEAD_3}"
        raise ModelLoadError(
            load_failure(name_or_path, "a seq2seq summarizer", location.directory, error, remedy)
        ) from error


class Seq2SeqSummarizer:
    """Summarise English text with a seq2seq model in torch, chunking long inputs.

    Build it with `Seq2SeqSummarizer.from_pretrained(...)`. Generation settings start from
    the model's generation config, then its config's task_specific_params["summarization"]
    (T5 keeps its "summarize: " prefix and settings there), then the caller's overrides.
    """

    backend = "torch"

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        *,
        name: str,
        revision: str | None = None,
        overrides: dict[str, Any] | None = None,
        precision: str = "fp32",
        model_config: Any = None,
        generation_config: Any = None,
    ) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.name = name
        self.revision = revision
        self.precision = precision
        model_config = model_config or model.config
        task = dict(
            (getattr(model_config, "task_specific_params", None) or {}).get("summarization", {})
        )
        self.prefix: str = task.pop("prefix", "") or ""
        self.generation_config = layered_generation_config(
            generation_config or model.generation_config, task, overrides or {}
        )
        self.window = _input_window(model_config, tokenizer)
        max_length = self.generation_config.max_length or 0
        if max_length * 2 > self.window:
            # Map-reduce converges only if a summary is much shorter than a chunk.
            raise ModelLoadError(
                f"a brief of up to {max_length} tokens is too long for {name}'s window of "
                f"{self.window}; choose a shorter --length"
            )

    @classmethod
    def from_pretrained(
        cls,
        name_or_path: str = DEFAULT_SUMMARY_MODEL,
        *,
        revision: str | None = None,
        device: str = "auto",
        num_beams: int | None = None,
        length: str | None = None,
        max_words: int | None = None,
        precision: str = "fp32",
    ) -> Seq2SeqSummarizer:
        """Load a summarization model from a Hub id or a save_pretrained directory.

        `precision="int8"` quantises the Linear layers (CPU).
        """
        check_runtime("torch", precision)
        location = locate_model(name_or_path, revision=revision)
        torch_device = resolve_device(device)
        tokenizer, model = _load_seq2seq(name_or_path, location, weights=True)
        model = model.to(torch_device).eval()
        if precision == "int8":
            model = quantize_int8(model)
        return cls(
            model,
            tokenizer,
            name=name_or_path,
            revision=location.revision,
            overrides={"num_beams": num_beams, **length_settings(length, max_words)},
            precision=precision,
        )

    @property
    def settings(self) -> dict[str, Any]:
        """The generation settings in force, as recorded in the JSON output."""
        settings = recorded_settings(self.generation_config)
        if self.prefix:
            settings["prefix"] = self.prefix
        settings["window"] = self.window
        settings["backend"] = self.backend
        settings["precision"] = self.precision
        return settings

    def count_tokens(self, text: str) -> int:
        """Tokens the model reads for `text`, prefix and special tokens included."""
        return len(self.tokenizer(self.prefix + text, verbose=False)["input_ids"])

    def _generate(self, texts: Sequence[str]) -> list[str]:
        # A minimum longer than the input would make the model pad its brief with
        # invented text; an input shorter than twice the minimum lowers it to half.
        counts = [self.count_tokens(text) for text in texts]
        minimum = self.generation_config.min_length or 0
        groups: dict[int, list[int]] = {}
        for index, count in enumerate(counts):
            groups.setdefault(min(minimum, count // 2), []).append(index)
        outputs: list[str] = [""] * len(texts)
        for group_minimum, group in groups.items():
            config = copy.deepcopy(self.generation_config)
            config.min_length = group_minimum
            for start in range(0, len(group), CHUNKS_PER_BATCH):
                indices = group[start : start + CHUNKS_PER_BATCH]
                decoded = self._decode([self.prefix + texts[index] for index in indices], config)
                for index, text in zip(indices, decoded, strict=True):
                    outputs[index] = text.strip()
        return outputs

    def _decode(self, texts: list[str], config: Any) -> list[str]:
        import torch

        inputs = self.tokenizer(
            texts, return_tensors="pt", padding=True, truncation=False, verbose=False
        ).to(self.model.device)
        with torch.inference_mode():
            generated = self.model.generate(**inputs, generation_config=config)
        return self.tokenizer.batch_decode(generated, skip_special_tokens=True)

    def summarize(self, text: str) -> Summary:
        """Summarise `text`; inputs longer than the window are summarised map-reduce."""
        chunks = chunk_text(text, self.count_tokens, self.window)
        first_chunks = len(chunks)
        if first_chunks > 1:
            logger.info(
                "summary input is longer than %s's %d-token window: summarising %d chunks, "
                "then their summaries",
                self.name,
                self.window,
                first_chunks,
            )
        rounds = 1
        while len(chunks) > 1:
            if rounds >= MAX_ROUNDS:
                raise ModelLoadError(
                    f"summary did not converge after {MAX_ROUNDS} rounds; choose a shorter --length"
                )
            summaries = self._generate(chunks)
            chunks = chunk_text(" ".join(summaries), self.count_tokens, self.window)
            rounds += 1
        brief = self._generate(chunks)[0] if chunks else ""
        return Summary(
            text=brief,
            model=self.name,
            chunks=first_chunks,
            rounds=rounds,
            revision=self.revision,
            settings=self.settings,
        )


class CTranslate2Summarizer(Seq2SeqSummarizer):
    """The same summarizer with the model converted for CTranslate2 (fp32 or int8).

    Needs the `fast` extra. The converted model is made once and kept in the cache.
    """

    backend = "ctranslate2"

    @classmethod
    def from_pretrained(
        cls,
        name_or_path: str = DEFAULT_SUMMARY_MODEL,
        *,
        revision: str | None = None,
        device: str = "auto",
        num_beams: int | None = None,
        length: str | None = None,
        max_words: int | None = None,
        precision: str = "fp32",
        threads: int | None = None,
    ) -> CTranslate2Summarizer:
        """Load (converting once) a summarization model for CTranslate2."""
        check_runtime("ctranslate2", precision)
        location = locate_model(name_or_path, revision=revision)
        tokenizer, model_config = _load_seq2seq(name_or_path, location, weights=False)
        model, vocabulary = load_ctranslate2(location, precision, device, threads)
        summarizer = cls(
            model,
            tokenizer,
            name=name_or_path,
            revision=location.revision,
            overrides={"num_beams": num_beams, **length_settings(length, max_words)},
            precision=precision,
            model_config=model_config,
            generation_config=saved_generation_config(location.directory),
        )
        summarizer.target_vocabulary = vocabulary
        return summarizer

    def _decode(self, texts: list[str], config: Any) -> list[str]:
        input_ids = self.tokenizer(texts, verbose=False)["input_ids"]
        options = ctranslate2_options(config, self.tokenizer, self.target_vocabulary)
        return ctranslate2_generate(self.model, self.tokenizer, input_ids, options)


def load_summarizer(
    name_or_path: str = DEFAULT_SUMMARY_MODEL,
    *,
    device: str = "auto",
    length: str | None = None,
    max_words: int | None = None,
    num_beams: int | None = None,
    backend: str = "torch",
    precision: str = "fp32",
    threads: int | None = None,
) -> Summarizer:
    """`lead-3` (or lead-N) gives the extractive baseline; anything else loads a model.

    `backend` is "torch" or "ctranslate2", `precision` "fp32" or "int8".
    """
    if name_or_path.startswith("lead-") and name_or_path[5:].isdigit():
        return LeadSummarizer(int(name_or_path[5:]))
    check_runtime(backend, precision)
    options = dict(
        device=device, length=length, max_words=max_words, num_beams=num_beams, precision=precision
    )
    if backend == "ctranslate2":
        return CTranslate2Summarizer.from_pretrained(name_or_path, threads=threads, **options)
    return Seq2SeqSummarizer.from_pretrained(name_or_path, **options)
