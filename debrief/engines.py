"""One generation layer for both stages: a seq2seq model on torch or CTranslate2.

`Runtime(backend, precision, device, threads)` is how the user wants models to run,
checked once when it is made. `load_engine(model, family, runtime)` finds the model, picks
the backend and returns an `Engine`: the tokenizer, the model's config and saved
generation settings, and `generate(input_ids, generation_config) -> texts`. The
translator (translate/marian.py) and the summarizer (summarize/model.py) hold an engine
and add only what their stage needs: input limits, chunking, length settings.

torch runs fp32 or dynamically quantised int8 (CPU). CTranslate2, OpenNMT's inference
engine and the optional `fast` extra (`pip install 'debrief[fast]'`), runs a copy of the
model converted once into the cache directory. `backend="auto"`, the default, takes
CTranslate2 where it is installed and keeps the model's outputs (fp32; int8 only where
its int8 arithmetic is exact), else torch.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from debrief.errors import BackendError, ModelLoadError, UsageError
from debrief.models import (
    ModelLocation,
    cache_directory,
    load_failure,
    locate_model,
    recorded_settings,
    resolve_device,
    saved_config,
    saved_generation_config,
)

BACKENDS = ("auto", "torch", "ctranslate2")
PRECISIONS = ("fp32", "int8")
DEVICES = ("auto", "cpu", "cuda")
FAST_EXTRA_HINT = "install it with: pip install 'debrief[fast]'"
# More threads than CPUs only adds contention; far more than that is a typo, and torch
# has crashed on 100,000.
THREADS_PER_CPU_LIMIT = 4

logger = logging.getLogger("debrief")


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1  # pragma: no cover - macOS and Windows


@dataclass(frozen=True)
class Runtime:
    """How the models run: backend, precision, device and CPU threads (None: the
    physical cores). Checked when made; an impossible value raises a one-line error."""

    backend: str = "auto"
    precision: str = "fp32"
    device: str = "auto"
    threads: int | None = None

    def __post_init__(self) -> None:
        for option, value, choices in (
            ("backend", self.backend, BACKENDS),
            ("precision", self.precision, PRECISIONS),
            ("device", self.device, DEVICES),
        ):
            if value not in choices:
                raise UsageError(f"unknown --{option} '{value}'; use one of: {', '.join(choices)}")
        if self.threads is not None:
            most = THREADS_PER_CPU_LIMIT * usable_cpus()
            if not isinstance(self.threads, int) or not 1 <= self.threads <= most:
                raise UsageError(
                    f"--threads must be between 1 and {most} ({usable_cpus()} CPUs here); "
                    "leave it out to use the physical cores"
                )

    def warnings(self) -> list[str]:
        """What is allowed but probably a mistake, one line each."""
        if self.threads is not None and self.threads > usable_cpus():
            return [
                f"warning: --threads {self.threads} is more than the {usable_cpus()} CPUs "
                "here; the extra threads only compete for them"
            ]
        return []


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
        raise UsageError("--threads must be at least 1")
    count = threads or physical_cores()
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    import torch

    torch.set_num_threads(count)
    return count


def import_ctranslate2() -> Any:
    """The ctranslate2 module, or a one-line error that says how to install it."""
    try:
        import ctranslate2
    except ImportError:
        raise BackendError(
            f"--backend ctranslate2 needs the ctranslate2 package; {FAST_EXTRA_HINT}"
        ) from None
    return ctranslate2


def cpu_has_vnni() -> bool | None:
    """Whether this x86 CPU has VNNI int8 dot products; None where that cannot be read."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if " avx2" not in flags:
        return None  # not an x86 CPU that this concerns
    return any(flag in flags for flag in (" avx512_vnni", " avx_vnni", " amx_int8"))


def choose_backend(runtime: Runtime) -> str:
    """The backend that `runtime` runs on: its own, or for "auto" the fastest that keeps
    the model's outputs.

    CTranslate2 fp32 agreed with torch fp32 on every output of the trained reversal model
    and is faster on CPU (README: Performance). Its int8 loses fidelity on CPUs without
    VNNI, where torch's int8 does not, so "auto" int8 takes torch there.
    """
    if runtime.backend != "auto":
        return runtime.backend
    try:
        import ctranslate2
    except ImportError:
        return "torch"
    has_cuda = ctranslate2.get_cuda_device_count() > 0
    if runtime.device == "cuda" and not has_cuda:
        return "torch"
    on_gpu = has_cuda and runtime.device in ("auto", "cuda")
    if runtime.precision == "int8" and not on_gpu and cpu_has_vnni() is not True:
        return "torch"
    return "ctranslate2"


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


# --- Engines ------------------------------------------------------------------------------


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
    """Refuse a model whose saved config names another architecture, before it loads."""
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


@dataclass
class TorchEngine(Engine):
    """A transformers model in torch, fp32 or dynamically quantised int8."""

    model: Any = None
    backend = "torch"

    @property
    def device(self) -> Any:
        return self.model.device

    def _padded(self, input_ids: Sequence[Sequence[int]]) -> dict[str, Any]:
        import torch

        longest = max(len(ids) for ids in input_ids)
        pad = self.tokenizer.pad_token_id
        left = self.tokenizer.padding_side == "left"
        rows, masks = [], []
        for ids in input_ids:
            padding = longest - len(ids)
            rows.append([pad] * padding + list(ids) if left else list(ids) + [pad] * padding)
            ones, zeros = [1] * len(ids), [0] * padding
            masks.append(zeros + ones if left else ones + zeros)
        return {
            "input_ids": torch.tensor(rows, device=self.model.device),
            "attention_mask": torch.tensor(masks, device=self.model.device),
        }

    def generate(self, input_ids: Sequence[Sequence[int]], generation_config: Any) -> list[str]:
        import torch

        if not input_ids:
            return []
        with torch.inference_mode():
            output = self.model.generate(
                **self._padded(input_ids), generation_config=generation_config
            )
        return self.tokenizer.batch_decode(output, skip_special_tokens=True)


@dataclass
class CTranslate2Engine(Engine):
    """The same model converted for CTranslate2, which decodes with fused kernels and
    int8 matrix products. `vocabulary`: the tokens the converted model can emit."""

    model: Any = None
    vocabulary: frozenset[str] = frozenset()
    backend = "ctranslate2"

    def generate(self, input_ids: Sequence[Sequence[int]], generation_config: Any) -> list[str]:
        if not input_ids:
            return []
        options = ctranslate2_options(generation_config, self.tokenizer, self.vocabulary)
        prefix = options.pop("target_prefix_token", None)
        sources = [self.tokenizer.convert_ids_to_tokens(list(ids)) for ids in input_ids]
        if prefix is not None:
            options["target_prefix"] = [[prefix] for _ in sources]
        results = self.model.translate_batch(sources, **options)
        return [
            self.tokenizer.decode(
                self.tokenizer.convert_tokens_to_ids(result.hypotheses[0]),
                skip_special_tokens=True,
            )
            for result in results
        ]


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


def _load_converted(
    location: ModelLocation, precision: str, device: str, threads: int
) -> tuple[Any, frozenset[str]]:
    """The CTranslate2 model converted from `location`, and the tokens it can emit (read
    once here, not on every batch). A converted copy that will not load (damaged in the
    cache) is removed and converted again."""
    ctranslate2 = import_ctranslate2()
    compute_type = "int8" if precision == "int8" else "float32"
    for attempt in (1, 2):
        directory = ctranslate2_model(location, precision)
        try:
            model = ctranslate2.Translator(
                str(directory), device=device, compute_type=compute_type, intra_threads=threads
            )
            # A damaged vocabulary file fails here, not in the middle of a run.
            return model, target_vocabulary(directory)
        except (RuntimeError, ValueError, OSError) as error:
            if attempt == 2:
                raise ModelLoadError(
                    f"model '{location.name}' converted for CTranslate2 will not load "
                    f"({type(error).__name__}: {error}); use --backend torch"
                ) from error
            logger.warning(
                "warning: the CTranslate2 copy of %s in %s was damaged (%s); converting again",
                location.name,
                directory,
                error,
            )
            shutil.rmtree(directory, ignore_errors=True)
    raise AssertionError("unreachable")


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
    translator, vocabulary = _load_converted(location, runtime.precision, device, threads)
    return CTranslate2Engine(
        **identity,
        config=config,
        generation_config=saved_generation_config(location.directory),
        precision=runtime.precision,
        model=translator,
        vocabulary=vocabulary,
    )
