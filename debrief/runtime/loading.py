"""`load_engine(model, family, runtime)`: find a model, pick its backend, load it, and
turn every loading failure into one line that names the option to fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from debrief.errors import ModelLoadError
from debrief.runtime.ctranslate2_backend import (
    CTranslate2Engine,
    load_converted,
    warn_about_ctranslate2_int8,
)
from debrief.runtime.engine import Engine, ModelFamily, check_model_type
from debrief.runtime.models import ModelLocation, locate_model, saved_generation_config
from debrief.runtime.settings import (
    Runtime,
    choose_backend,
    configure_threads,
    ctranslate2_device,
    resolve_device,
)
from debrief.runtime.torch_backend import TorchEngine, quantize_int8


def load_failure(
    name: str, kind: str, directory: Path, error: Exception, remedy: str, flag: str = "--model"
) -> str:
    """One line for a model that was found but would not load, with the remedy and the
    option (`flag`) that named it."""
    detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return (
        f"model '{name}' ({flag}) could not be loaded as {kind} from {directory} "
        f"({type(error).__name__}: {detail}); {remedy}"
    )


def _transformers_class(name: str) -> Any:
    import transformers

    return getattr(transformers, name)


def load_engine(
    model: str | ModelLocation,
    family: ModelFamily,
    runtime: Runtime | None = None,
    *,
    revision: str | None = None,
    flag: str = "--model",
) -> Engine:
    """Load `model` (a Hub id, a directory, or an already located model) as `family`
    on the backend `runtime` chooses (default: `Runtime()`).

    Applies the runtime's threads to torch (and CTranslate2), converts the model for
    CTranslate2 once, and turns every loading failure into one line that names `flag`.
    """
    runtime = runtime or Runtime()
    location = (
        model if isinstance(model, ModelLocation) else locate_model(model, revision, flag=flag)
    )
    check_model_type(location, family, flag)
    backend = choose_backend(runtime)
    threads = configure_threads(runtime.threads)
    try:
        tokenizer = _transformers_class(family.tokenizer_class).from_pretrained(location.directory)
        if backend == "torch":
            loaded = _transformers_class(family.model_class).from_pretrained(location.directory)
        else:
            config = _transformers_class(family.config_class).from_pretrained(location.directory)
    except Exception as error:
        # Missing or corrupt files surface as OSError, TypeError, KeyError or a
        # safetensors error depending on which file is wrong; all mean the same.
        message = load_failure(
            location.name, family.description, location.directory, error, family.remedy, flag
        )
        raise ModelLoadError(message) from error
    identity = {"name": location.name, "revision": location.revision, "tokenizer": tokenizer}
    if backend == "torch":
        loaded = loaded.to(resolve_device(runtime.device)).eval()
        if runtime.precision == "int8":
            loaded = quantize_int8(loaded)
        return TorchEngine(
            **identity,
            config=loaded.config,
            generation_config=loaded.generation_config,
            precision=runtime.precision,
            model=loaded,
        )
    device = ctranslate2_device(runtime.device)
    if runtime.precision == "int8":
        warn_about_ctranslate2_int8(device)
    translator, vocabulary = load_converted(location, runtime.precision, device, threads)
    return CTranslate2Engine(
        **identity,
        config=config,
        generation_config=saved_generation_config(location.directory),
        precision=runtime.precision,
        model=translator,
        vocabulary=vocabulary,
    )
