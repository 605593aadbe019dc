"""The Engine interface both stages run on, whatever the backend.

An `Engine` is a loaded seq2seq model: its tokenizer, config and saved generation
settings, and `generate(input_ids, generation_config) -> texts`, which each backend
implements (torch_backend.py, ctranslate2_backend.py). A `ModelFamily` says which
transformers classes load a stage's models; `EngineModel` is what the translator
(translate/marian.py) and the summarizer (summarize/model.py) share on top of an engine:
identity, the generation settings in force, and how they are recorded.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from debrief.errors import ModelLoadError
from debrief.runtime.models import ModelLocation, saved_config


@dataclass(frozen=True)
class ModelFamily:
    """Which transformers classes load a stage's models, and what to say when they fail.

    Class names are looked up in transformers when a model loads, so that naming a
    family imports nothing.
    """

    description: str  # "MarianMT", for messages
    tokenizer_class: str
    model_class: str
    config_class: str
    remedy: str  # what to do when a model will not load as this family
    model_types: tuple[str, ...] = ()  # config.json model_type values accepted; () any


def check_model_type(location: ModelLocation, family: ModelFamily, flag: str = "--model") -> None:
    """Refuse a model whose saved config names another architecture, or a folder with no
    config.json at all, before it loads."""
    if location.directory.is_dir() and not (location.directory / "config.json").exists():
        raise ModelLoadError(
            f"model '{location.name}' ({flag}) has no config.json: {location.directory} is not "
            f"a model saved by save_pretrained; {family.remedy}"
        )
    model_type = saved_config(location).get("model_type")
    if family.model_types and model_type and model_type not in family.model_types:
        raise ModelLoadError(
            f"model '{location.name}' ({flag}) is a {model_type} model, not "
            f"{family.description}; {family.remedy}"
        )


@dataclass
class Engine:
    """A loaded seq2seq model: its tokenizer, config and saved generation settings, and
    `generate`, which each backend implements. `name` and `revision` say which model it
    is (the Hub revision, or a hash of a local directory's files)."""

    name: str
    revision: str | None
    tokenizer: Any
    config: Any
    generation_config: Any
    precision: str

    backend = "none"

    def generate(self, input_ids: Sequence[Sequence[int]], generation_config: Any) -> list[str]:
        """Decode each row of token ids (special tokens included); the decoded texts."""
        raise NotImplementedError

    def generate_alternatives(
        self, input_ids: Sequence[Sequence[int]], generation_config: Any, count: int
    ) -> list[list[str]]:
        """The `count` best hypotheses of a beam search for each row, best first."""
        raise NotImplementedError


def layered_generation_config(base: Any, *layers: dict[str, Any]) -> Any:
    """A copy of generation config `base` with each layer's non-None settings applied in turn."""
    config = copy.deepcopy(base)
    for layer in layers:
        config.update(**{key: value for key, value in layer.items() if value is not None})
    return config


def recorded_settings(generation_config: Any) -> dict[str, Any]:
    """The generation settings worth recording in an output: those that differ from defaults."""
    settings = generation_config.to_diff_dict()
    for internal in ("transformers_version", "_from_model_config", "suppress_tokens"):
        settings.pop(internal, None)
    return settings


class EngineModel:
    """What a stage's model shares, whatever the stage: the engine it runs on, the
    generation settings in force, and how they are recorded. Subclasses set
    `generation_config` and add their own settings in `stage_settings`."""

    engine: Engine
    generation_config: Any

    @property
    def name(self) -> str:
        return self.engine.name

    @property
    def revision(self) -> str | None:
        return self.engine.revision

    @property
    def tokenizer(self) -> Any:
        return self.engine.tokenizer

    @property
    def backend(self) -> str:
        return self.engine.backend

    @property
    def precision(self) -> str:
        return self.engine.precision

    def stage_settings(self) -> dict[str, Any]:
        """Settings of the stage's own that the output should record."""
        return {}

    @property
    def settings(self) -> dict[str, Any]:
        """The generation settings in force, as recorded in the JSON output."""
        return {
            **recorded_settings(self.generation_config),
            **self.stage_settings(),
            "backend": self.backend,
            "precision": self.precision,
        }
