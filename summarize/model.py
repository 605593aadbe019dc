"""Summarizers: a seq2seq model (BART, T5, Pegasus, ...) over a debrief engine, and the
lead-3 baseline.

The engine (debrief/runtime/) loads the model and decodes on torch or CTranslate2.
Long inputs are summarised map-reduce: chunks within the model's window are summarised
one by one, their summaries joined and summarised again, until the text fits.
"""

from __future__ import annotations

import copy
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from debrief.errors import ModelLoadError, UsageError
from debrief.runtime.engine import Engine, EngineModel, ModelFamily, layered_generation_config
from debrief.runtime.loading import load_engine
from debrief.runtime.models import ModelLocation
from debrief.runtime.settings import Runtime
from summarize.chunking import chunk_text, split_sentences

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
            raise UsageError(f"--max-words must be at least 1 (got {max_words})")
        max_length = math.ceil(max_words * TOKENS_PER_WORD) + 2
        return {"min_length": max_length // 3, "max_length": max_length}
    if length is None:
        return {}
    if length not in LENGTH_PRESETS:
        raise UsageError(f"unknown --length '{length}'; use one of: {', '.join(LENGTH_PRESETS)}")
    minimum, maximum = LENGTH_PRESETS[length]
    return {"min_length": minimum, "max_length": maximum}


def max_words_within(window: int) -> int:
    """The largest --max-words whose brief still fits map-reduce in a `window`-token model:
    a brief may take at most half the window, or the rounds would not shrink the text."""
    return max(0, math.floor((window // 2 - 2) / TOKENS_PER_WORD))


def lead_sentences(name: str) -> int | None:
    """N for a "lead-N" summarizer name, None for a model name; lead-0 is refused."""
    prefix, _, count = name.partition("-")
    if prefix != "lead" or not count.isdigit():
        return None
    if int(count) < 1:
        raise UsageError(f"'{name}' would write an empty brief; use lead-1 or more ({LEAD_3})")
    return int(count)


def input_window(config: Any, tokenizer_limit: int | None = None) -> int:
    """The most tokens the model reads at once, from its config (an object or the plain
    config.json data) and its tokenizer's limit."""
    read = config.get if isinstance(config, dict) else lambda key: getattr(config, key, None)
    # BART and Pegasus name their window max_position_embeddings, T5 n_positions; a
    # tokenizer without a limit reports a huge sentinel value.
    candidates = (read("max_position_embeddings"), read("n_positions"), tokenizer_limit)
    limits = [value for value in candidates if isinstance(value, int) and 0 < value < 1_000_000]
    return min(limits) if limits else 512


@dataclass(frozen=True)
class Summary:
    """A brief and how it was made. `chunks` > 1 says the input was summarised in parts."""

    text: str
    model: str
    chunks: int = 1
    rounds: int = 1
    revision: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)


Progress = Callable[[int, int], None]
"""Called as progress(done, total) with counts of summarised chunks."""


class Summarizer(Protocol):
    """What the pipeline needs from a summarizer. `progress`, when given, hears of each
    chunk summarised."""

    name: str

    def summarize(self, text: str, progress: Progress | None = None) -> Summary: ...


# A lead sentence runs 20-40 words in news; text without sentence punctuation would
# otherwise make the whole input one "sentence" and the brief as long as the article.
LEAD_WORDS_PER_SENTENCE = 60


class LeadSummarizer:
    """The lead-n baseline: the first n sentences, at most LEAD_WORDS_PER_SENTENCE words
    each (a longer one is cut, marked "…"). Needs no weights; the standard reference."""

    def __init__(self, sentences: int = 3) -> None:
        self.sentences = sentences
        self.name = f"lead-{sentences}"

    def summarize(self, text: str, progress: Progress | None = None) -> Summary:
        lead = []
        for sentence in split_sentences(text)[: self.sentences]:
            words = sentence.split(" ")
            cut = len(words) > LEAD_WORDS_PER_SENTENCE
            lead.append(" ".join(words[:LEAD_WORDS_PER_SENTENCE]) + (" …" if cut else ""))
        return Summary(text=" ".join(lead), model=self.name, settings={"sentences": self.sentences})


SEQ2SEQ = ModelFamily(
    description="a seq2seq summarizer",
    tokenizer_class="AutoTokenizer",
    model_class="AutoModelForSeq2SeqLM",
    config_class="AutoConfig",
    remedy=f"pass a BART, T5 or Pegasus model, or {LEAD_3}",
)


class Seq2SeqSummarizer(EngineModel):
    """Summarise English text with a seq2seq model on any engine, chunking long inputs.

    Build it with `Seq2SeqSummarizer.from_pretrained(...)` (or `load_summarizer`).
    Generation settings start from the model's generation config, then its config's
    task_specific_params["summarization"] (T5 keeps its "summarize: " prefix and settings
    there), then the caller's overrides.
    """

    def __init__(self, engine: Engine, *, overrides: dict[str, Any] | None = None) -> None:
        self.engine = engine
        task = dict(
            (getattr(engine.config, "task_specific_params", None) or {}).get("summarization", {})
        )
        self.prefix: str = task.pop("prefix", "") or ""
        self.generation_config = layered_generation_config(
            engine.generation_config, task, overrides or {}
        )
        self.window = input_window(engine.config, engine.tokenizer.model_max_length)
        max_length = self.generation_config.max_length or 0
        if max_length * 2 > self.window:
            # Map-reduce converges only if a summary is much shorter than a chunk.
            raise UsageError(
                f"a brief of up to {max_length} tokens is too long for {self.name}'s window of "
                f"{self.window}; choose a shorter --length or --max-words"
            )

    @classmethod
    def from_pretrained(
        cls,
        model: str | ModelLocation = DEFAULT_SUMMARY_MODEL,
        *,
        runtime: Runtime | None = None,
        num_beams: int | None = None,
        length: str | None = None,
        max_words: int | None = None,
        revision: str | None = None,
        flag: str = "--model",
    ) -> Seq2SeqSummarizer:
        """Load a summarization model from a Hub id or a save_pretrained directory.

        `runtime` says how it runs (default: `Runtime()`); `length` (a LENGTH_PRESETS
        name) or `max_words` set the brief's length. `flag` names the option in errors.
        """
        overrides = {"num_beams": num_beams, **length_settings(length, max_words)}
        engine = load_engine(model, SEQ2SEQ, runtime, revision=revision, flag=flag)
        return cls(engine, overrides=overrides)

    def stage_settings(self) -> dict[str, Any]:
        prefix = {"prefix": self.prefix} if self.prefix else {}
        return {**prefix, "window": self.window}

    def count_tokens(self, text: str) -> int:
        """Tokens the model reads for `text`, prefix and special tokens included."""
        return len(self.tokenizer(self.prefix + text, verbose=False)["input_ids"])

    def _generate(self, texts: Sequence[str], progress: Progress | None = None) -> list[str]:
        # A minimum longer than the input would make the model pad its brief with
        # invented text; an input shorter than twice the minimum lowers it to half.
        counts = [self.count_tokens(text) for text in texts]
        minimum = self.generation_config.min_length or 0
        groups: dict[int, list[int]] = {}
        for index, count in enumerate(counts):
            groups.setdefault(min(minimum, count // 2), []).append(index)
        outputs: list[str] = [""] * len(texts)
        done = 0
        for group_minimum, group in groups.items():
            config = copy.deepcopy(self.generation_config)
            config.min_length = group_minimum
            for start in range(0, len(group), CHUNKS_PER_BATCH):
                indices = group[start : start + CHUNKS_PER_BATCH]
                decoded = self._decode([self.prefix + texts[index] for index in indices], config)
                for index, text in zip(indices, decoded, strict=True):
                    outputs[index] = text.strip()
                done += len(indices)
                if progress:
                    progress(done, len(texts))
        return outputs

    def _decode(self, texts: list[str], config: Any) -> list[str]:
        input_ids = self.tokenizer(texts, verbose=False)["input_ids"]
        return self.engine.generate(input_ids, config)

    def summarize(self, text: str, progress: Progress | None = None) -> Summary:
        """Summarise `text`; inputs longer than the window are summarised map-reduce.

        `progress(done, total)` follows the chunks of each round."""
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
            summaries = self._generate(chunks, progress)
            chunks = chunk_text(" ".join(summaries), self.count_tokens, self.window)
            rounds += 1
        brief = self._generate(chunks, progress)[0] if chunks else ""
        return Summary(
            text=brief,
            model=self.name,
            chunks=first_chunks,
            rounds=rounds,
            revision=self.revision,
            settings=self.settings,
        )


def load_summarizer(
    model: str | ModelLocation = DEFAULT_SUMMARY_MODEL,
    *,
    runtime: Runtime | None = None,
    length: str | None = None,
    max_words: int | None = None,
    num_beams: int | None = None,
    flag: str = "--model",
) -> Summarizer:
    """`lead-3` (or lead-N) gives the extractive baseline; anything else loads a model
    running as `runtime` says (see `Seq2SeqSummarizer.from_pretrained`)."""
    name = model.name if isinstance(model, ModelLocation) else model
    sentences = lead_sentences(name)
    if sentences is not None:
        return LeadSummarizer(sentences)
    return Seq2SeqSummarizer.from_pretrained(
        model, runtime=runtime, length=length, max_words=max_words, num_beams=num_beams, flag=flag
    )
