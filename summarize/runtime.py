"""How the models run: backend (torch or CTranslate2), precision (fp32 or int8), CPU threads.

Shared by the translator and the summarizer. torch is the default backend and fp32 the
default precision. int8 means dynamically quantised Linear layers in torch, or an int8
CTranslate2 model; CTranslate2 is OpenNMT's inference engine, an optional extra
(`pip install 'debrief[fast]'`). A model is converted for it once and kept in the cache
directory; later runs load the converted copy.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from summarize.errors import BackendError, ModelLoadError
from summarize.loading import ModelLocation, cache_directory

BACKENDS = ("torch", "ctranslate2")
PRECISIONS = ("fp32", "int8")
FAST_EXTRA_HINT = "install it with: pip install 'debrief[fast]'"

logger = logging.getLogger("debrief")


def physical_cores(
    cpus: Sequence[int] | None = None, sysfs: Path = Path("/sys/devices/system/cpu")
) -> int:
    """CPU cores this process may use (or of `cpus`), counting each physical core once.

    Hyper-threads share a core's arithmetic units, so matrix work gains nothing from
    them and loses to contention; torch's default counts them.
    """
    if cpus is None and hasattr(os, "sched_getaffinity"):
        cpus = sorted(os.sched_getaffinity(0))
    elif cpus is None:  # pragma: no cover - macOS and Windows
        cpus = list(range(os.cpu_count() or 1))
    cores = set()
    for cpu in cpus:
        topology = sysfs / f"cpu{cpu}" / "topology"
        try:
            package = (topology / "physical_package_id").read_text().strip()
            core = (topology / "core_id").read_text().strip()
        except OSError:
            return max(1, len(cpus))
        cores.add((package, core))
    return max(1, len(cores))


def configure_threads(threads: int | None = None) -> int:
    """Give torch `threads` threads (default: the physical cores) and the tokenizers none.

    The Rust tokenizers start a thread pool of their own; alongside torch's it would
    oversubscribe the cores, and tokenizing is a small part of the work.
    """
    if threads is not None and threads < 1:
        raise BackendError("--threads must be at least 1")
    count = threads or physical_cores()
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    import torch

    torch.set_num_threads(count)
    return count


def check_runtime(backend: str, precision: str) -> None:
    """Refuse an unknown backend or precision with the values that exist."""
    if backend not in BACKENDS:
        raise BackendError(f"unknown backend '{backend}'; use one of: {', '.join(BACKENDS)}")
    if precision not in PRECISIONS:
        raise BackendError(f"unknown precision '{precision}'; use one of: {', '.join(PRECISIONS)}")


def quantize_int8(model: Any) -> Any:
    """`model` with its Linear layers dynamically quantised to int8 (torch, CPU only).

    Weights are stored as int8 and activations quantised on the fly per batch; layer
    norms, embeddings and attention arithmetic stay in fp32.
    """
    import torch

    if model.device.type != "cpu":
        raise BackendError(
            "int8 with the torch backend runs on the CPU only; use --device cpu, or "
            "--backend ctranslate2 for int8 on a GPU"
        )
    # In place, so each fp32 weight is freed as its int8 copy is made: a copy of the
    # whole model would hold both at once (3.2 GB instead of 1.9 for distilbart).
    with warnings.catch_warnings():
        # torch marks its quantized tensors deprecated; the pinned torch has them, and a
        # user can act on nothing in that warning.
        warnings.filterwarnings("ignore", message=r".*quantize_per_tensor.*deprecated")
        return torch.ao.quantization.quantize_dynamic(
            model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True
        )


def import_ctranslate2() -> Any:
    """The ctranslate2 module, or a one-line error that says how to install it."""
    try:
        import ctranslate2
    except ImportError:
        raise BackendError(
            f"--backend ctranslate2 needs the ctranslate2 package; {FAST_EXTRA_HINT}"
        ) from None
    return ctranslate2


def _converted_directory(location: ModelLocation, precision: str) -> Path:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", location.name).strip("-")[-60:] or "model"
    key = hashlib.sha256(f"{location.name}\0{location.revision}".encode()).hexdigest()[:16]
    return cache_directory() / "ctranslate2" / f"{slug}-{key}-{precision}"


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


def ctranslate2_model(location: ModelLocation, precision: str) -> Path:
    """The CTranslate2 conversion of the model at `location`, made once and then reused.

    The converted copy is keyed by the model's identity (Hub revision or hash of a local
    directory) and the precision, so new weights are converted again. It is written to a
    scratch directory and renamed into place, so an interrupted conversion leaves nothing
    that a later run could mistake for a whole model.
    """
    ctranslate2 = import_ctranslate2()
    target = _converted_directory(location, precision)
    if (target / "model.bin").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    logger.info("converting %s for CTranslate2 (%s); this happens once", location.name, precision)
    scratch = Path(tempfile.mkdtemp(prefix=".partial-", dir=target.parent))
    try:
        converter = _converter_class(ctranslate2)(str(location.directory))
        converter.convert(
            str(scratch), quantization="int8" if precision == "int8" else None, force=True
        )
        try:
            scratch.rename(target)
        except OSError:  # a concurrent run finished the same conversion first
            if not (target / "model.bin").is_file():
                raise
    except BackendError:
        raise
    except Exception as error:
        detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise ModelLoadError(
            f"model '{location.name}' could not be converted for CTranslate2 "
            f"({type(error).__name__}: {detail}); use --backend torch"
        ) from error
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def cpu_has_vnni() -> bool | None:
    """Whether this x86 CPU has VNNI int8 dot products; None where that cannot be read."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if " avx2" not in flags:
        return None  # not an x86 CPU that this concerns
    return any(flag in flags for flag in (" avx512_vnni", " avx_vnni", " amx_int8"))


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


def ctranslate2_device(device: str) -> str:
    """ "auto", "cpu" or "cuda" for CTranslate2, which has its own CUDA detection."""
    ctranslate2 = import_ctranslate2()
    has_cuda = ctranslate2.get_cuda_device_count() > 0
    if device == "auto":
        return "cuda" if has_cuda else "cpu"
    if device == "cuda" and not has_cuda:
        raise BackendError(
            "--device cuda was asked for but CTranslate2 sees no CUDA GPU; use --device cpu"
        )
    return device


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


def load_ctranslate2(
    location: ModelLocation, precision: str, device: str, threads: int | None
) -> tuple[Any, frozenset[str]]:
    """The CTranslate2 model of `location` (converted once) on `device`, and the tokens
    it can emit (for `ctranslate2_options`). `threads` defaults to the physical cores.
    """
    ctranslate2 = import_ctranslate2()
    ct2_device = ctranslate2_device(device)
    directory = ctranslate2_model(location, precision)
    if precision == "int8":
        warn_about_ctranslate2_int8(ct2_device)
    model = ctranslate2.Translator(
        str(directory),
        device=ct2_device,
        compute_type="int8" if precision == "int8" else "float32",
        intra_threads=threads or physical_cores(),
    )
    return model, target_vocabulary(directory)


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


def ctranslate2_generate(
    model: Any, tokenizer: Any, input_ids: list[list[int]], options: dict[str, Any]
) -> list[str]:
    """Decode `input_ids` (a list of id lists, special tokens included) with `model`.

    `options` come from `ctranslate2_options`; the output is decoded text per row.
    """
    options = dict(options)
    prefix = options.pop("target_prefix_token", None)
    sources = [tokenizer.convert_ids_to_tokens(ids) for ids in input_ids]
    if prefix is not None:
        options["target_prefix"] = [[prefix] for _ in sources]
    results = model.translate_batch(sources, **options)
    return [
        tokenizer.decode(
            tokenizer.convert_tokens_to_ids(result.hypotheses[0]), skip_special_tokens=True
        )
        for result in results
    ]
