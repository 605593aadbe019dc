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
    layered_generation_config,
    load_failure,
    locate_model,
    recorded_settings,
    resolve_device,
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


class Seq2SeqSummarizer:
    """Summarise English text with a seq2seq model, chunking inputs longer than its window.

    Build it with `Seq2SeqSummarizer.from_pretrained(...)`. Generation settings start from
    the model's generation config, then its config's task_specific_params["summarization"]
    (T5 keeps its "summarize: " prefix and settings there), then the caller's overrides.
    """

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        *,
        name: str,
        revision: str | None = None,
        overrides: dict[str, Any] | None = None,
    ) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.name = name
        self.revision = revision
        task = dict(
            (getattr(model.config, "task_specific_params", None) or {}).get("summarization", {})
        )
        self.prefix: str = task.pop("prefix", "") or ""
        self.generation_config = layered_generation_config(
            model.generation_config, task, overrides or {}
        )
        self.window = _input_window(model.config, tokenizer)
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
    ) -> Seq2SeqSummarizer:
        """Load a summarization model from a Hub id or a save_pretrained directory."""
        location = locate_model(name_or_path, revision=revision)
        torch_device = resolve_device(device)
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        try:
            tokenizer = AutoTokenizer.from_pretrained(location.directory)
            model = AutoModelForSeq2SeqLM.from_pretrained(location.directory)
        except Exception as error:
            # Missing, corrupt or unsupported files surface as many exception types.
            remedy = f"pass a BART, T5 or Pegasus model, or {LEAD_3}"
            raise ModelLoadError(
                load_failure(
                    name_or_path, "a seq2seq summarizer", location.directory, error, remedy
                )
            ) from error
        overrides = {"num_beams": num_beams, **length_settings(length, max_words)}
        return cls(
            model.to(torch_device).eval(),
            tokenizer,
            name=name_or_path,
            revision=location.revision,
            overrides=overrides,
        )

    @property
    def settings(self) -> dict[str, Any]:
        """The generation settings in force, as recorded in the JSON output."""
        settings = recorded_settings(self.generation_config)
        if self.prefix:
            settings["prefix"] = self.prefix
        settings["window"] = self.window
        return settings

    def count_tokens(self, text: str) -> int:
        """Tokens the model reads for `text`, prefix and special tokens included."""
        return len(self.tokenizer(self.prefix + text, verbose=False)["input_ids"])

    def _generate(self, texts: Sequence[str]) -> list[str]:
        import torch

        # A minimum longer than the input would make the model pad its brief with
        # invented text; an input shorter than twice the minimum lowers it to half.
        counts = [self.count_tokens(text) for text in texts]
        minimum = self.generation_config.min_length or 0
        groups: dict[int, list[int]] = {}
        for index, count in enumerate(counts):
            groups.setdefault(min(minimum, count // 2), []).append(index)
        outputs: list[str] = [""] * len(texts)
        for group_minimum, indices in groups.items():
            config = copy.deepcopy(self.generation_config)
            config.min_length = group_minimum
            inputs = self.tokenizer(
                [self.prefix + texts[index] for index in indices],
                return_tensors="pt",
                padding=True,
                truncation=False,
                verbose=False,
            ).to(self.model.device)
            with torch.inference_mode():
                generated = self.model.generate(**inputs, generation_config=config)
            decoded = self.tokenizer.batch_decode(generated, skip_special_tokens=True)
            for index, text in zip(indices, decoded, strict=True):
                outputs[index] = text.strip()
        return outputs

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


def load_summarizer(
    name_or_path: str = DEFAULT_SUMMARY_MODEL,
    *,
    device: str = "auto",
    length: str | None = None,
    max_words: int | None = None,
    num_beams: int | None = None,
) -> Summarizer:
    """`lead-3` (or lead-N) gives the extractive baseline; anything else loads a model."""
    if name_or_path.startswith("lead-") and name_or_path[5:].isdigit():
        return LeadSummarizer(int(name_or_path[5:]))
    return Seq2SeqSummarizer.from_pretrained(
        name_or_path, device=device, length=length, max_words=max_words, num_beams=num_beams
    )
