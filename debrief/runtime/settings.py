"""How the models run: `Runtime(backend, precision, device, threads)`, checked once when it
is made, and everything that turns it into a concrete choice on this machine: CPU threads,
which backend "auto" takes, and which device "auto" means for torch and for CTranslate2.

torch and ctranslate2 are imported only inside the functions that need them, so that a
plan can check a runtime without loading either.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from debrief.errors import BackendError, DeviceError, UsageError

BACKENDS = ("auto", "torch", "ctranslate2")
PRECISIONS = ("fp32", "int8")
DEVICES = ("auto", "cpu", "cuda")
FAST_EXTRA_HINT = "install it with: pip install 'debrief[fast]'"
# More threads than CPUs only adds contention; far more than that is a typo, and torch
# has crashed on 100,000.
THREADS_PER_CPU_LIMIT = 4


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
    and is faster on CPU (docs/performance.md). Its int8 loses fidelity on CPUs without
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


def check_device(runtime: Runtime) -> None:
    """Refuse --device cuda where the backend that would run sees no GPU, before any
    model loads (DeviceError or BackendError, one line)."""
    if runtime.device != "cuda":
        return
    if choose_backend(runtime) == "ctranslate2":
        ctranslate2_device("cuda")
    else:
        resolve_device("cuda")


def resolve_device(device: str) -> Any:
    """Turn "auto", "cpu" or "cuda" into a torch.device; "auto" takes CUDA when present."""
    import torch

    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        raise DeviceError(
            "--device cuda was asked for but no CUDA GPU is available; use --device cpu"
        )
    if device not in ("cpu", "cuda"):
        raise DeviceError(f"unknown device '{device}'; use auto, cpu or cuda")
    return torch.device(device)


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
