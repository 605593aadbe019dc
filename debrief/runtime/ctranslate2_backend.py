"""The CTranslate2 backend: OpenNMT's inference engine (the optional `fast` extra, `pip
install 'debrief[fast]'`) runs a copy of the model converted once into the cache
directory, with fused kernels and int8 matrix products.

Here: the conversion cache, the translation of transformers generation settings into
CTranslate2 options, and `CTranslate2Engine`.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import logging
import re
import shutil
import tempfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from debrief.errors import BackendError, ModelLoadError
from debrief.runtime.engine import Engine
from debrief.runtime.models import ModelLocation, cache_directory
from debrief.runtime.settings import cpu_has_vnni, import_ctranslate2

logger = logging.getLogger("debrief")

# --- The CTranslate2 conversion cache ---------------------------------------------------


def _converted_directory(location: ModelLocation, precision: str) -> Path:
    # Keyed by the model's content identity alone: out/m and ./out/m share a conversion.
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(location.name).name).strip("-")[-60:]
    key = hashlib.sha256(str(location.revision or location.name).encode()).hexdigest()[:16]
    return cache_directory() / "ctranslate2" / f"{slug or 'model'}-{key}-{precision}"


def _converter_class(ctranslate2: Any) -> type:
    class Converter(ctranslate2.converters.TransformersConverter):
        def load_model(self, model_class: Any, model_name_or_path: str, **kwargs: Any) -> Any:
            model = super().load_model(model_class, model_name_or_path, **kwargs)
            # CTranslate2's BART loader reads config.normalize_before, which transformers 5
            # no longer writes unless the published config.json carries it; BART as
            # transformers implements it is post-norm.
            if not hasattr(model.config, "normalize_before"):
                model.config.normalize_before = False
            return model

    return Converter


class ConversionCacheUnusable(Exception):
    """The conversion cannot be kept in the cache folder (none can be made there, it is
    read-only or full); the model is converted into a temporary folder instead."""


# Failures of the folder or the disk, as opposed to the model: the conversion is then
# made elsewhere, as the translation cache is then skipped, rather than the run refused.
_FOLDER_ERRNOS = frozenset(
    {
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EROFS,
        errno.EACCES,
        errno.EPERM,
        errno.ENOTDIR,
        errno.ENOENT,
    }
)


def ctranslate2_model(location: ModelLocation, precision: str) -> Path:
    """The CTranslate2 conversion of the model at `location`, made once and then reused.

    The converted copy is keyed by the model's identity (Hub revision or hash of a local
    directory) and the precision, so new weights are converted again. It is written to a
    scratch directory and renamed into place, so an interrupted conversion leaves nothing
    that a later run could mistake for a whole model. ConversionCacheUnusable when the
    cache folder cannot hold it.
    """
    target = _converted_directory(location, precision)
    if (target / "model.bin").is_file():
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".partial-", dir=target.parent))
    except OSError as error:
        raise ConversionCacheUnusable(f"{target.parent}: {error.strerror or error}") from error
    logger.info("converting %s for CTranslate2 (%s); this happens once", location.name, precision)
    try:
        convert(location, precision, scratch)
        try:
            scratch.rename(target)
        except OSError:  # a concurrent run finished the same conversion first
            if not (target / "model.bin").is_file():
                raise
    except OSError as error:
        if error.errno in _FOLDER_ERRNOS:
            raise ConversionCacheUnusable(f"{target.parent}: {error.strerror}") from error
        raise _conversion_failed(location, error) from error
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def convert(location: ModelLocation, precision: str, directory: Path) -> None:
    """Convert the model at `location` into `directory` (which may exist). OSError for
    the folder or the disk, ModelLoadError for a model that will not convert."""
    ctranslate2 = import_ctranslate2()
    try:
        converter = _converter_class(ctranslate2)(str(location.directory))
        converter.convert(
            str(directory), quantization="int8" if precision == "int8" else None, force=True
        )
    except (BackendError, OSError):
        raise
    except Exception as error:
        raise _conversion_failed(location, error) from error


def _conversion_failed(location: ModelLocation, error: BaseException) -> ModelLoadError:
    detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return ModelLoadError(
        f"model '{location.name}' could not be converted for CTranslate2 "
        f"({type(error).__name__}: {detail}); use --backend torch"
    )


@functools.cache  # once per process: `debrief run` loads two models
def warn_about_ctranslate2_int8(device: str) -> None:
    """Say so when CTranslate2 int8 is asked for on a CPU where it loses fidelity.

    Without VNNI, CTranslate2's int8 products (oneDNN, u8 x s8) sum pairs in 16 bits
    and can saturate: on a model trained here to be confident, its int8 output agreed
    with fp32 on only 78% of 1,000 inputs, where torch's int8 agreed on 100%
    (benchmarks/int8_agreement.py). Intel MKL would be exact but is about 10x slower
    on AMD.
    """
    if device == "cpu" and cpu_has_vnni() is False:
        logger.warning(
            "warning: CTranslate2 int8 on this CPU (AVX2 without VNNI) can change "
            "translations; for int8 here prefer --backend torch --precision int8"
        )


def target_vocabulary(model_directory: Path) -> frozenset[str]:
    """The tokens a converted CTranslate2 model can emit, read once when it loads."""
    for name in ("target_vocabulary.json", "shared_vocabulary.json"):
        path = Path(model_directory) / name
        if path.is_file():
            return frozenset(json.loads(path.read_text(encoding="utf-8")))
    return frozenset()


def ctranslate2_options(
    generation_config: Any, tokenizer: Any, vocabulary: Collection[str]
) -> dict[str, Any]:
    """transformers generation settings as CTranslate2 `translate_batch` options.

    transformers counts the decoder's start token in max_length and min_length;
    CTranslate2 counts generated tokens only. Suppressed tokens that the converted
    model's `vocabulary` lacks (Marian's <pad>, which CTranslate2 drops) are left out.
    """
    config = generation_config
    options: dict[str, Any] = {
        "beam_size": config.num_beams or 1,
        "length_penalty": config.length_penalty if config.length_penalty is not None else 1.0,
        "no_repeat_ngram_size": config.no_repeat_ngram_size or 0,
        "repetition_penalty": config.repetition_penalty or 1.0,
    }
    if config.max_new_tokens:
        options["max_decoding_length"] = config.max_new_tokens
    elif config.max_length:
        options["max_decoding_length"] = max(1, config.max_length - 1)
    if config.min_new_tokens:
        options["min_decoding_length"] = config.min_new_tokens
    elif config.min_length:
        options["min_decoding_length"] = max(0, config.min_length - 1)
    suppressed = [list(ids) for ids in (config.bad_words_ids or [])]
    suppressed += [[token_id] for token_id in (config.suppress_tokens or [])]
    sequences = [tokenizer.convert_ids_to_tokens(ids) for ids in suppressed]
    sequences = [tokens for tokens in sequences if tokens and all(t in vocabulary for t in tokens)]
    if sequences:
        options["suppress_sequences"] = sequences
    if config.forced_bos_token_id is not None:
        options["target_prefix_token"] = tokenizer.convert_ids_to_tokens(config.forced_bos_token_id)
    return options


@dataclass
class CTranslate2Engine(Engine):
    """The same model converted for CTranslate2, which decodes with fused kernels and
    int8 matrix products. `vocabulary`: the tokens the converted model can emit."""

    model: Any = None
    vocabulary: frozenset[str] = frozenset()
    backend = "ctranslate2"

    def generate(self, input_ids: Sequence[Sequence[int]], generation_config: Any) -> list[str]:
        return [texts[0] for texts in self._hypotheses(input_ids, generation_config, 1)]

    def generate_alternatives(
        self, input_ids: Sequence[Sequence[int]], generation_config: Any, count: int
    ) -> list[list[str]]:
        return self._hypotheses(input_ids, generation_config, count)

    def _hypotheses(
        self, input_ids: Sequence[Sequence[int]], generation_config: Any, count: int
    ) -> list[list[str]]:
        if not input_ids:
            return []
        options = ctranslate2_options(generation_config, self.tokenizer, self.vocabulary)
        if count > 1:
            options["beam_size"] = max(options.get("beam_size", 1), count)
            options["num_hypotheses"] = count
        prefix = options.pop("target_prefix_token", None)
        sources = [self.tokenizer.convert_ids_to_tokens(list(ids)) for ids in input_ids]
        if prefix is not None:
            options["target_prefix"] = [[prefix] for _ in sources]
        results = self.model.translate_batch(sources, **options)
        return [
            [
                self.tokenizer.decode(
                    self.tokenizer.convert_tokens_to_ids(hypothesis), skip_special_tokens=True
                )
                for hypothesis in result.hypotheses[:count]
            ]
            for result in results
        ]


def load_converted(
    location: ModelLocation, precision: str, device: str, threads: int
) -> tuple[Any, frozenset[str]]:
    """The CTranslate2 model converted from `location`, and the tokens it can emit (read
    once here, not on every batch). A converted copy that will not load (damaged in the
    cache) is removed and converted again; where the cache folder cannot hold one, the
    model is converted into a temporary folder for this run, with one warning."""
    for attempt in (1, 2):
        try:
            directory = ctranslate2_model(location, precision)
        except ConversionCacheUnusable as error:
            logger.warning(
                "warning: the CTranslate2 conversion of %s cannot be kept (%s); converting "
                "it into a temporary folder for this run",
                location.name,
                error,
            )
            return _load_converted_once(location, precision, device, threads)
        try:
            return _load_directory(directory, precision, device, threads)
        except (RuntimeError, ValueError, OSError) as error:
            if attempt == 2:
                raise _will_not_load(location, error) from error
            logger.warning(
                "warning: the CTranslate2 copy of %s in %s was damaged (%s); converting again",
                location.name,
                directory,
                error,
            )
            shutil.rmtree(directory, ignore_errors=True)
    raise AssertionError("unreachable")


def _load_directory(
    directory: Path, precision: str, device: str, threads: int
) -> tuple[Any, frozenset[str]]:
    ctranslate2 = import_ctranslate2()
    compute_type = "int8" if precision == "int8" else "float32"
    model = ctranslate2.Translator(
        str(directory), device=device, compute_type=compute_type, intra_threads=threads
    )
    # A damaged vocabulary file fails here, not in the middle of a run.
    return model, target_vocabulary(directory)


def _load_converted_once(
    location: ModelLocation, precision: str, device: str, threads: int
) -> tuple[Any, frozenset[str]]:
    # The model is read into memory when it loads: the folder can go right after.
    try:
        with tempfile.TemporaryDirectory(prefix="debrief-ctranslate2-") as scratch:
            convert(location, precision, Path(scratch))
            try:
                return _load_directory(Path(scratch), precision, device, threads)
            except (RuntimeError, ValueError) as error:
                raise _will_not_load(location, error) from error
    except OSError as error:
        raise ModelLoadError(
            f"model '{location.name}' could not be converted for CTranslate2 into a "
            f"temporary folder either ({error.strerror or error}); free some space, set "
            "DEBRIEF_CACHE_DIR to a writable folder, or use --backend torch"
        ) from error


def _will_not_load(location: ModelLocation, error: BaseException) -> ModelLoadError:
    return ModelLoadError(
        f"model '{location.name}' converted for CTranslate2 will not load "
        f"({type(error).__name__}: {error}); use --backend torch"
    )
