"""Find a model's files (a local directory, the Hugging Face cache, or the Hub), tell its
identity (Hub revision or a hash of its files), read its saved settings; and the cache
directory where debrief keeps what it makes (conversions, translations, pages).

Part of the runtime both stages share. Nothing here imports torch, so the plan can find
every model before any of them loads.

transformers alone, offline and without HF_HUB_OFFLINE, retries the network for minutes
and then fails with an unrelated TypeError. We look in the cache first, check once that
the Hub answers, and otherwise fail at once with a message that says what to do.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from debrief.errors import ModelNotFoundError

# What a transformers seq2seq model needs; the Hub repos also hold TensorFlow, Flax and
# Rust weights that we never read.
MODEL_FILE_PATTERNS = [
    "*.json",
    "*.spm",
    "*.model",
    "*.txt",
    "*.safetensors",
    "pytorch_model*.bin",
]


CACHE_DIR_VARIABLE = "DEBRIEF_CACHE_DIR"


def cache_directory() -> Path:
    """$DEBRIEF_CACHE_DIR, else the user cache directory (~/.cache/debrief on Linux)."""
    directory = os.environ.get(CACHE_DIR_VARIABLE)
    if not directory:
        import platformdirs

        directory = platformdirs.user_cache_dir("debrief", appauthor=False)
    return Path(directory)


@dataclass(frozen=True)
class ModelLocation:
    """Where a model's files are, and what to record about where they came from."""

    name: str
    directory: Path
    revision: str  # the Hub commit, or "sha256:..." of a local directory's files


def directory_fingerprint(directory: Path) -> str:
    """A hash of the model files in `directory` (weights, tokenizer, configs).

    A local directory has no Hub revision; this identifies its contents instead, so that
    cached translations of other weights are never reused. About 1 s a GB.
    """
    digest = hashlib.sha256()
    for path in sorted(directory.iterdir()):
        if not path.is_file() or not any(path.match(pattern) for pattern in MODEL_FILE_PATTERNS):
            continue
        digest.update(path.name.encode() + b"\0")
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    return "sha256:" + digest.hexdigest()[:16]


def _looks_like_path(name: str) -> bool:
    # Hub ids are "name" or "owner/name"; anything else with a slash is a path.
    return name.startswith((".", "/", "~")) or name.count("/") > 1 or "\\" in name


def _offline_mode(hub_says_offline: bool) -> bool:
    # huggingface_hub reads HF_HUB_OFFLINE once, at import; a caller may set it later.
    setting = os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE") or ""
    return hub_says_offline or setting.strip().lower() in {"1", "true", "yes", "on"}


def _hub_reachable(timeout: float = 3.0) -> bool:
    from huggingface_hub import constants

    parts = urlsplit(constants.ENDPOINT)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            return True
    except OSError:
        return False


def locate_model(name: str, revision: str | None = None, *, flag: str = "--model") -> ModelLocation:
    """Return where the files of model `name` (a Hub id or a directory) are on this machine.

    Downloads from the Hub only when the model is not cached, HF_HUB_OFFLINE is unset
    and the Hub answers. `flag` is the option that names this model, for the message.
    """

    def _not_found(name: str, why: str) -> ModelNotFoundError:
        return ModelNotFoundError(
            f"model '{name}' {why}; pass {flag} DIR with a directory saved by "
            "save_pretrained (see README: Using a local model)"
        )

    path = Path(name).expanduser()
    if path.is_dir():
        return ModelLocation(name=name, directory=path, revision=directory_fingerprint(path))
    if path.exists():
        raise _not_found(name, "is not a directory")
    if _looks_like_path(name):
        raise _not_found(name, "is not a directory on this machine (no such path)")

    from huggingface_hub import constants, snapshot_download
    from huggingface_hub.errors import HFValidationError, LocalEntryNotFoundError

    try:
        directory = snapshot_download(
            name, revision=revision, allow_patterns=MODEL_FILE_PATTERNS, local_files_only=True
        )
    except HFValidationError:
        raise _not_found(name, "is neither a directory nor a valid Hub id") from None
    except LocalEntryNotFoundError:
        if _offline_mode(constants.is_offline_mode()):
            raise _not_found(
                name, "is not in the local Hugging Face cache and HF_HUB_OFFLINE is set"
            ) from None
        if not _hub_reachable():
            raise _not_found(
                name, "is not in the local Hugging Face cache and the Hub cannot be reached"
            ) from None
        try:
            directory = snapshot_download(
                name, revision=revision, allow_patterns=MODEL_FILE_PATTERNS
            )
        except Exception as error:
            raise _not_found(name, f"could not be downloaded ({type(error).__name__})") from None
    directory = Path(directory)
    return ModelLocation(name=name, directory=directory, revision=directory.name)


def saved_config(location: ModelLocation) -> dict[str, Any]:
    """The model's config.json as plain data (cheap: no torch, no transformers), or {}."""
    try:
        saved = json.loads((location.directory / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return saved if isinstance(saved, dict) else {}


def saved_generation_config(directory: Path) -> Any:
    """The generation settings a transformers model in `directory` would load with.

    Older models, BART summarizers among them, keep them in config.json rather than
    generation_config.json; read as a config object, transformers 5 drops them, so
    config.json is read as plain data.
    """
    from transformers import GenerationConfig

    directory = Path(directory)
    if (directory / "generation_config.json").is_file():
        return GenerationConfig.from_pretrained(directory)
    saved = json.loads((directory / "config.json").read_text(encoding="utf-8"))
    return GenerationConfig.from_model_config(saved)
