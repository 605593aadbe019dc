"""The MarianMT translator: a `Translator` over a debrief engine (torch or CTranslate2).

The engine (debrief/runtime/) loads the model and decodes; this module adds what
translation needs: the input limit, token counts, the generation settings in force and a
beam width per batch for the checks' retry.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from debrief.runtime.engine import Engine, EngineModel, ModelFamily, layered_generation_config
from debrief.runtime.loading import load_engine
from debrief.runtime.models import ModelLocation
from debrief.runtime.settings import Runtime

DEFAULT_TRANSLATION_MODEL = "Helsinki-NLP/opus-mt-de-en"

MARIAN = ModelFamily(
    description="a MarianMT model",
    tokenizer_class="MarianTokenizer",
    model_class="MarianMTModel",
    config_class="MarianConfig",
    remedy=f"pass a complete save_pretrained MarianMT model such as {DEFAULT_TRANSLATION_MODEL}",
    model_types=("marian",),
)


class MarianTranslator(EngineModel):
    """Translate German sentences into English with a MarianMT model on any engine.

    Build it with `MarianTranslator.from_pretrained(...)` (or `load_translator`). It
    implements the `Translator` protocol of `translate.pipeline`: token counting, an
    input limit, and batch translation.
    """

    def __init__(self, engine: Engine, *, num_beams: int | None = None) -> None:
        self.engine = engine
        self.generation_config = layered_generation_config(
            engine.generation_config, {"num_beams": num_beams}
        )
        positions = min(engine.tokenizer.model_max_length, engine.config.max_position_embeddings)
        self.max_positions = positions
        # The decoder has the same 512 positions as the encoder, and English output runs
        # longer in tokens than its German source: a source near the limit could have its
        # translation cut off at max_length. Half the window leaves the output room.
        self.max_input_tokens = positions // 2

    @classmethod
    def from_pretrained(
        cls,
        model: str | ModelLocation = DEFAULT_TRANSLATION_MODEL,
        *,
        runtime: Runtime | None = None,
        num_beams: int | None = None,
        revision: str | None = None,
        flag: str = "--model",
    ) -> MarianTranslator:
        """Load a MarianMT model from a Hub id or a save_pretrained directory.

        `runtime` says how it runs (default: `Runtime()`, the fastest backend that keeps
        fp32's outputs). Generation settings come from the model's generation_config;
        `num_beams` overrides its beam count. `flag` names the option in error messages.
        """
        engine = load_engine(model, MARIAN, runtime, revision=revision, flag=flag)
        return cls(engine, num_beams=num_beams)

    def stage_settings(self) -> dict[str, Any]:
        return {"max_input_tokens": self.max_input_tokens}

    @property
    def num_beams(self) -> int:
        """The beam width the model decodes with."""
        return self.generation_config.num_beams or 1

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Source token counts, end-of-sentence token included."""
        if not texts:
            return []
        encoded = self.tokenizer(list(texts), add_special_tokens=True, verbose=False)
        return [len(ids) for ids in encoded["input_ids"]]

    def translate_batch(self, texts: Sequence[str], *, num_beams: int | None = None) -> list[str]:
        """Translate a batch of segments; each must fit `max_positions` tokens.

        `num_beams` overrides the beam width for this batch (the checks' retry).
        """
        if not texts:
            return []
        input_ids = self._input_ids(texts)
        config = self.generation_config
        if num_beams is not None:
            config = layered_generation_config(config, {"num_beams": num_beams})
        return self.engine.generate(input_ids, config)

    def translate_alternatives(self, texts: Sequence[str], count: int) -> list[list[str]]:
        """The `count` best translations of each segment, best first (a beam of at least
        `count`); each segment must fit `max_positions` tokens."""
        if not texts:
            return []
        return self.engine.generate_alternatives(
            self._input_ids(texts), self.generation_config, count
        )

    def _input_ids(self, texts: Sequence[str]) -> list[list[int]]:
        input_ids = self.tokenizer(list(texts), verbose=False)["input_ids"]
        longest = max(len(ids) for ids in input_ids)
        if longest > self.max_positions:
            # Truncating would silently drop text; the pipeline splits segments first.
            raise ValueError(
                f"a segment of {longest} tokens exceeds the model's {self.max_positions} positions"
            )
        return input_ids


def load_translator(
    model: str | ModelLocation = DEFAULT_TRANSLATION_MODEL,
    *,
    runtime: Runtime | None = None,
    num_beams: int | None = None,
    flag: str = "--model",
) -> MarianTranslator:
    """A MarianMT translator running as `runtime` says (see `MarianTranslator.from_pretrained`)."""
    return MarianTranslator.from_pretrained(model, runtime=runtime, num_beams=num_beams, flag=flag)
