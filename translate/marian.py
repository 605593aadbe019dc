"""The MarianMT backend: the only module of translate/ that touches torch and transformers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from summarize.errors import ModelLoadError
from summarize.loading import (
    layered_generation_config,
    load_failure,
    locate_model,
    recorded_settings,
    resolve_device,
)

DEFAULT_TRANSLATION_MODEL = "Helsinki-NLP/opus-mt-de-en"


class MarianTranslator:
    """Translate German sentences into English with a MarianMT model.

    Build it with `MarianTranslator.from_pretrained(...)`. It implements the `Translator`
    protocol of `translate.pipeline`: token counting, an input limit, and batch translation.
    """

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        *,
        name: str,
        revision: str | None = None,
        generation_overrides: dict[str, Any] | None = None,
    ) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.name = name
        self.revision = revision
        self.generation_config = layered_generation_config(
            model.generation_config, generation_overrides or {}
        )
        positions = min(tokenizer.model_max_length, model.config.max_position_embeddings)
        self.max_positions = positions
        # The decoder has the same 512 positions as the encoder, and English output runs
        # longer in tokens than its German source: a source near the limit could have its
        # translation cut off at max_length. Half the window leaves the output room.
        self.max_input_tokens = positions // 2

    @classmethod
    def from_pretrained(
        cls,
        name_or_path: str = DEFAULT_TRANSLATION_MODEL,
        *,
        revision: str | None = None,
        device: str = "auto",
        num_beams: int | None = None,
    ) -> MarianTranslator:
        """Load a MarianMT model and tokenizer from a Hub id or a save_pretrained directory.

        Generation settings come from the model's generation_config; `num_beams`
        overrides its beam count.
        """
        location = locate_model(name_or_path, revision=revision)
        torch_device = resolve_device(device)
        from transformers import MarianMTModel, MarianTokenizer

        try:
            tokenizer = MarianTokenizer.from_pretrained(location.directory)
            model = MarianMTModel.from_pretrained(location.directory)
        except Exception as error:
            # Missing or corrupt files surface as OSError, TypeError, KeyError or a
            # safetensors error depending on which file is wrong; all mean the same.
            remedy = "check that the directory holds a complete save_pretrained MarianMT model"
            raise ModelLoadError(
                load_failure(name_or_path, "MarianMT", location.directory, error, remedy)
            ) from error
        if model.config.model_type != "marian":
            raise ModelLoadError(
                f"model '{name_or_path}' is a {model.config.model_type} model; translation needs "
                f"a MarianMT model such as {DEFAULT_TRANSLATION_MODEL}"
            )
        model = model.to(torch_device).eval()
        return cls(
            model,
            tokenizer,
            name=name_or_path,
            revision=location.revision,
            generation_overrides={"num_beams": num_beams},
        )

    @property
    def device(self) -> Any:
        return self.model.device

    @property
    def settings(self) -> dict[str, Any]:
        """The generation settings in force, as recorded in the JSON output."""
        settings = recorded_settings(self.generation_config)
        settings["max_input_tokens"] = self.max_input_tokens
        return settings

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Source token counts, end-of-sentence token included."""
        if not texts:
            return []
        encoded = self.tokenizer(list(texts), add_special_tokens=True, verbose=False)
        return [len(ids) for ids in encoded["input_ids"]]

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        """Translate a batch of segments; each must fit `max_positions` tokens."""
        import torch

        if not texts:
            return []
        inputs = self.tokenizer(
            list(texts), return_tensors="pt", padding=True, truncation=False, verbose=False
        )
        longest = inputs["input_ids"].shape[1]
        if longest > self.max_positions:
            # Truncating would silently drop text; the pipeline splits segments first.
            raise ValueError(
                f"a segment of {longest} tokens exceeds the model's {self.max_positions} positions"
            )
        inputs = inputs.to(self.model.device)
        with torch.inference_mode():
            output = self.model.generate(**inputs, generation_config=self.generation_config)
        return self.tokenizer.batch_decode(output, skip_special_tokens=True)
