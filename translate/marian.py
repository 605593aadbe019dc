"""The MarianMT backend: the only module of translate/ that touches torch and transformers.

Two engines share the tokenizer, the generation settings and the input limit: torch
(`MarianTranslator`, fp32 or dynamic int8) and CTranslate2 (`CTranslate2Translator`, an
optional extra). `load_translator` picks one.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

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

DEFAULT_TRANSLATION_MODEL = "Helsinki-NLP/opus-mt-de-en"


def _load_marian(name_or_path: str, location: ModelLocation, *, weights: bool) -> tuple[Any, Any]:
    """The tokenizer, and the torch model (with `weights`) or else only its config."""
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    try:
        tokenizer = MarianTokenizer.from_pretrained(location.directory)
        if weights:
            loaded = MarianMTModel.from_pretrained(location.directory)
            model_type = loaded.config.model_type
        else:
            loaded = MarianConfig.from_pretrained(location.directory)
            model_type = loaded.model_type
    except Exception as error:
        # Missing or corrupt files surface as OSError, TypeError, KeyError or a
        # safetensors error depending on which file is wrong; all mean the same.
        remedy = "check that the directory holds a complete save_pretrained MarianMT model"
        raise ModelLoadError(
            load_failure(name_or_path, "MarianMT", location.directory, error, remedy)
        ) from error
    if model_type != "marian":
        raise ModelLoadError(
            f"model '{name_or_path}' is a {model_type} model; translation needs "
            f"a MarianMT model such as {DEFAULT_TRANSLATION_MODEL}"
        )
    return tokenizer, loaded


class _MarianTokenizing:
    """What both engines share: tokenizer, generation settings, input limit, token counts."""

    backend = "torch"

    def __init__(
        self,
        tokenizer: Any,
        model_config: Any,
        generation_config: Any,
        *,
        name: str,
        revision: str | None,
        generation_overrides: dict[str, Any] | None,
        precision: str,
    ) -> None:
        self.tokenizer = tokenizer
        self.name = name
        self.revision = revision
        self.precision = precision
        self.generation_config = layered_generation_config(
            generation_config, generation_overrides or {}
        )
        positions = min(tokenizer.model_max_length, model_config.max_position_embeddings)
        self.max_positions = positions
        # The decoder has the same 512 positions as the encoder, and English output runs
        # longer in tokens than its German source: a source near the limit could have its
        # translation cut off at max_length. Half the window leaves the output room.
        self.max_input_tokens = positions // 2

    @property
    def settings(self) -> dict[str, Any]:
        """The generation settings in force, as recorded in the JSON output."""
        settings = recorded_settings(self.generation_config)
        settings["max_input_tokens"] = self.max_input_tokens
        settings["backend"] = self.backend
        settings["precision"] = self.precision
        return settings

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Source token counts, end-of-sentence token included."""
        if not texts:
            return []
        encoded = self.tokenizer(list(texts), add_special_tokens=True, verbose=False)
        return [len(ids) for ids in encoded["input_ids"]]

    @property
    def num_beams(self) -> int:
        """The beam width the model decodes with."""
        return self.generation_config.num_beams or 1

    def _generation_config(self, num_beams: int | None) -> Any:
        """The generation settings, with another beam width for a retry."""
        if num_beams is None:
            return self.generation_config
        return layered_generation_config(self.generation_config, {"num_beams": num_beams})

    def _check_fits(self, longest: int) -> None:
        if longest > self.max_positions:
            # Truncating would silently drop text; the pipeline splits segments first.
            raise ValueError(
                f"a segment of {longest} tokens exceeds the model's {self.max_positions} positions"
            )


class MarianTranslator(_MarianTokenizing):
    """Translate German sentences into English with a MarianMT model in torch.

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
        precision: str = "fp32",
    ) -> None:
        super().__init__(
            tokenizer,
            model.config,
            model.generation_config,
            name=name,
            revision=revision,
            generation_overrides=generation_overrides,
            precision=precision,
        )
        self.model = model

    @classmethod
    def from_pretrained(
        cls,
        name_or_path: str = DEFAULT_TRANSLATION_MODEL,
        *,
        revision: str | None = None,
        device: str = "auto",
        num_beams: int | None = None,
        precision: str = "fp32",
    ) -> MarianTranslator:
        """Load a MarianMT model and tokenizer from a Hub id or a save_pretrained directory.

        Generation settings come from the model's generation_config; `num_beams`
        overrides its beam count. `precision="int8"` quantises the Linear layers (CPU).
        """
        check_runtime("torch", precision)
        location = locate_model(name_or_path, revision=revision)
        torch_device = resolve_device(device)
        tokenizer, model = _load_marian(name_or_path, location, weights=True)
        model = model.to(torch_device).eval()
        if precision == "int8":
            model = quantize_int8(model)
        return cls(
            model,
            tokenizer,
            name=name_or_path,
            revision=location.revision,
            generation_overrides={"num_beams": num_beams},
            precision=precision,
        )

    @property
    def device(self) -> Any:
        return self.model.device

    def translate_batch(self, texts: Sequence[str], *, num_beams: int | None = None) -> list[str]:
        """Translate a batch of segments; each must fit `max_positions` tokens.

        `num_beams` overrides the beam width for this batch (the checks' retry).
        """
        import torch

        if not texts:
            return []
        inputs = self.tokenizer(
            list(texts), return_tensors="pt", padding=True, truncation=False, verbose=False
        )
        self._check_fits(inputs["input_ids"].shape[1])
        inputs = inputs.to(self.model.device)
        with torch.inference_mode():
            output = self.model.generate(
                **inputs, generation_config=self._generation_config(num_beams)
            )
        return self.tokenizer.batch_decode(output, skip_special_tokens=True)


class CTranslate2Translator(_MarianTokenizing):
    """Translate with a MarianMT model converted for CTranslate2 (fp32 or int8).

    The same tokenizer and generation settings as `MarianTranslator`; the model runs in
    CTranslate2, which decodes with fused kernels and int8 matrix products. Needs the
    `fast` extra. The converted model is made once and kept in the cache directory.
    """

    backend = "ctranslate2"

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        model_config: Any,
        generation_config: Any,
        target_vocabulary: Collection[str],
        *,
        name: str,
        revision: str | None = None,
        generation_overrides: dict[str, Any] | None = None,
        precision: str = "fp32",
    ) -> None:
        super().__init__(
            tokenizer,
            model_config,
            generation_config,
            name=name,
            revision=revision,
            generation_overrides=generation_overrides,
            precision=precision,
        )
        self.model = model
        self.target_vocabulary = target_vocabulary

    @classmethod
    def from_pretrained(
        cls,
        name_or_path: str = DEFAULT_TRANSLATION_MODEL,
        *,
        revision: str | None = None,
        device: str = "auto",
        num_beams: int | None = None,
        precision: str = "fp32",
        threads: int | None = None,
    ) -> CTranslate2Translator:
        """Load (converting once) a MarianMT model for CTranslate2.

        `threads` defaults to the physical cores.
        """
        check_runtime("ctranslate2", precision)
        location = locate_model(name_or_path, revision=revision)
        tokenizer, model_config = _load_marian(name_or_path, location, weights=False)
        model, vocabulary = load_ctranslate2(location, precision, device, threads)
        return cls(
            model,
            tokenizer,
            model_config,
            saved_generation_config(location.directory),
            vocabulary,
            name=name_or_path,
            revision=location.revision,
            generation_overrides={"num_beams": num_beams},
            precision=precision,
        )

    def translate_batch(self, texts: Sequence[str], *, num_beams: int | None = None) -> list[str]:
        """Translate a batch of segments; each must fit `max_positions` tokens.

        `num_beams` overrides the beam width for this batch (the checks' retry).
        """
        if not texts:
            return []
        input_ids = self.tokenizer(list(texts), verbose=False)["input_ids"]
        self._check_fits(max(len(ids) for ids in input_ids))
        options = ctranslate2_options(
            self._generation_config(num_beams), self.tokenizer, self.target_vocabulary
        )
        return ctranslate2_generate(self.model, self.tokenizer, input_ids, options)


def load_translator(
    name_or_path: str = DEFAULT_TRANSLATION_MODEL,
    *,
    backend: str = "torch",
    precision: str = "fp32",
    device: str = "auto",
    num_beams: int | None = None,
    threads: int | None = None,
) -> MarianTranslator | CTranslate2Translator:
    """A translator on the chosen backend ("torch" or "ctranslate2") and precision."""
    check_runtime(backend, precision)
    if backend == "ctranslate2":
        return CTranslate2Translator.from_pretrained(
            name_or_path, device=device, num_beams=num_beams, precision=precision, threads=threads
        )
    return MarianTranslator.from_pretrained(
        name_or_path, device=device, num_beams=num_beams, precision=precision
    )
