"""Benchmark translation and summary on full-size random-weight twins of the real models.

    python benchmarks/bench.py [--quick] [--json results.json] [--no-full-run]

The twins (benchmarks/twins.py) have the published configs of opus-mt-de-en and
distilbart-cnn-12-6 and seeded random weights. A random model decodes different lengths
than a trained one, so every decode length is pinned (min_new_tokens = max_new_tokens):
1.1 x the source tokens + 2 per sentence, the longest of a batch for the whole batch (as
a batch decodes until its longest row is done), and 80 tokens for the summary. Every
variant then does the same useful work; the figures measure speed, never quality.

The inputs are the seed article's real sentences, tokenized by the twin's tokenizer.
Each variant runs through debrief's own backends (load_translator, load_summarizer), in
a subprocess of its own so that its peak RSS is its own (with --quick, all in this
process). The FLOP bound counts the Linear layers' multiply-adds from the config and
token counts (encoder over the source; decoder and output projection over 4 beams x
the useful output tokens) against this machine's Linear rate for that precision,
measured once per run. The full run is the real `debrief run` command on the seed with
both fp32 twins, for its peak RSS.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from twins import BART, MARIAN, ensure_twins, seed_sentences  # noqa: E402

from debrief.runtime.settings import Runtime  # noqa: E402

SUMMARY_NEW_TOKENS = 80
SUMMARY_INPUT_TOKENS = 900  # about the English of the seed's 589 German words
# --quick: three short sentences, a short summary, every variant in this one process.
QUICK_SENTENCES = 3
QUICK_SUMMARY_INPUT_TOKENS = 300
QUICK_SUMMARY_NEW_TOKENS = 16

# name: (backend, precision, batched, description)
# "default" is debrief's default, --backend auto: CTranslate2 fp32 where the fast extra is
# installed, else torch fp32; each row records the backend it ran on.
TRANSLATION_VARIANTS = {
    "naive": ("torch", "fp32", False, "one sentence at a time, generate, fp32 (a user's loop)"),
    "torch-fp32": ("torch", "fp32", True, "--backend torch: length-sorted batches, fp32"),
    "torch-int8": ("torch", "int8", True, "same batches, Linear layers dynamically int8"),
    "default": ("auto", "fp32", True, "debrief's default (--backend auto), fp32"),
    "ct2-int8": ("ctranslate2", "int8", True, "same batches, ctranslate2, int8"),
}
SUMMARY_VARIANTS = {
    "naive": ("torch", "fp32", False, "generate on the whole input, torch fp32"),
    "torch-int8": ("torch", "int8", True, "Linear layers dynamically int8"),
    "default": ("auto", "fp32", True, "debrief's default (--backend auto), fp32"),
    "ct2-int8": ("ctranslate2", "int8", True, "--backend ctranslate2 --precision int8"),
}


def pinned_length(source_tokens: int) -> int:
    return round(1.1 * source_tokens) + 2


def linear_macs(config: dict) -> tuple[int, int, int]:
    """Multiply-accumulates per token of the encoder's and decoder's Linears and the LM head.

    Counted from the config: attention projections (4 d x d per attention block; the
    decoder has self- and cross-attention) and the two feed-forward matrices per layer.
    """
    d = config["d_model"]
    encoder = config["encoder_layers"] * (4 * d * d + 2 * d * config["encoder_ffn_dim"])
    decoder = config["decoder_layers"] * (8 * d * d + 2 * d * config["decoder_ffn_dim"])
    head = d * config["vocab_size"]
    return encoder, decoder, head


def gemm_rate(precision: str) -> float:
    """This machine's Linear-layer rate in FLOP/s, fp32 or dynamic int8, best of 3 shapes."""
    import torch

    best = 0.0
    for rows, inner, outer in ((256, 1024, 4096), (128, 512, 2048), (64, 512, 8192)):
        layer = torch.nn.Sequential(torch.nn.Linear(inner, outer))
        if precision == "int8":
            layer = torch.ao.quantization.quantize_dynamic(
                layer, {torch.nn.Linear}, dtype=torch.qint8
            )
        inputs = torch.randn(rows, inner)
        with torch.inference_mode():
            for _ in range(3):
                layer(inputs)
            repeats, start = 20, time.perf_counter()
            for _ in range(repeats):
                layer(inputs)
            seconds = time.perf_counter() - start
        best = max(best, 2 * rows * inner * outer * repeats / seconds)
    return best


def _set_pinned(generation_config, new_tokens: int) -> None:
    generation_config.min_new_tokens = new_tokens
    generation_config.max_new_tokens = new_tokens


def run_translation(variant: str, quick: bool, twins: dict[str, Path]) -> dict:
    """Translate the seed's sentences with one variant; figures for the table."""
    import torch

    from debrief.runtime.settings import configure_threads
    from translate.marian import load_translator
    from translate.pipeline import TokenBudget, plan_batches

    backend, precision, batched, _ = TRANSLATION_VARIANTS[variant]
    threads = configure_threads()
    start = time.perf_counter()
    translator = load_translator(
        str(twins[MARIAN]), runtime=Runtime(backend=backend, precision=precision, device="cpu")
    )
    load_seconds = time.perf_counter() - start
    sentences = seed_sentences()
    counts = translator.count_tokens(sentences)
    if quick:  # the sentences of the lower quartile's length, in document order
        by_length = sorted(range(len(counts)), key=counts.__getitem__)
        quartile = len(counts) // 4
        chosen = sorted(by_length[quartile : quartile + QUICK_SENTENCES])
        sentences = [sentences[index] for index in chosen]
        counts = [counts[index] for index in chosen]
    if batched:
        batches = plan_batches(counts, TokenBudget())
    else:
        batches = [[index] for index in range(len(counts))]
    decoded = 0
    start = time.perf_counter()
    for batch in batches:
        new_tokens = max(pinned_length(counts[index]) for index in batch)
        decoded += new_tokens * len(batch)
        if batched:
            _set_pinned(translator.generation_config, new_tokens)
            translator.translate_batch([sentences[index] for index in batch])
        else:  # the loop a user would write around transformers
            inputs = translator.tokenizer(sentences[batch[0]], return_tensors="pt")
            with torch.inference_mode():
                output = translator.engine.model.generate(
                    **inputs,
                    num_beams=4,
                    min_new_tokens=new_tokens,
                    max_new_tokens=new_tokens,
                )
            translator.tokenizer.batch_decode(output, skip_special_tokens=True)
    seconds = time.perf_counter() - start
    encoder, decoder, head = linear_macs(json.loads((twins[MARIAN] / "config.json").read_text()))
    useful = sum(pinned_length(n) for n in counts)
    return {
        "seconds": seconds,
        "load_seconds": load_seconds,
        "threads": threads,
        "segments": len(counts),
        "source_tokens": sum(counts),
        "output_tokens": useful,
        "decoded_tokens": decoded,
        "batches": len(batches),
        "flops": 2 * (encoder * sum(counts) + 4 * (decoder + head) * useful),
        "precision": precision,
        "backend": translator.backend,
    }


def summary_input(tokenizer, tokens: int) -> str:
    """English text of about `tokens` tokens for the twin's tokenizer."""
    from support.tiny_models import ENGLISH_TRAINING_TEXT

    lines = ENGLISH_TRAINING_TEXT.splitlines()
    text, index = "", 0
    while len(tokenizer(text)["input_ids"]) < tokens:
        text += lines[index % len(lines)] + " "
        index += 1
    return text.strip()


def run_summary(variant: str, quick: bool, twins: dict[str, Path]) -> dict:
    """Summarise an English text of the seed's size with one variant."""
    import torch

    from debrief.runtime.settings import configure_threads
    from summarize.model import load_summarizer

    backend, precision, _, _ = SUMMARY_VARIANTS[variant]
    threads = configure_threads()
    start = time.perf_counter()
    summarizer = load_summarizer(
        str(twins[BART]), runtime=Runtime(backend=backend, precision=precision, device="cpu")
    )
    load_seconds = time.perf_counter() - start
    text = summary_input(
        summarizer.tokenizer, QUICK_SUMMARY_INPUT_TOKENS if quick else SUMMARY_INPUT_TOKENS
    )
    source = len(summarizer.tokenizer(text)["input_ids"])
    config = copy.deepcopy(summarizer.generation_config)
    config.no_repeat_ngram_size = 0  # a random model's n-grams say nothing; same work for all
    config.min_length = 0
    new_tokens = QUICK_SUMMARY_NEW_TOKENS if quick else SUMMARY_NEW_TOKENS
    _set_pinned(config, new_tokens)
    start = time.perf_counter()
    if variant == "naive":
        inputs = summarizer.tokenizer(text, return_tensors="pt")
        with torch.inference_mode():
            summarizer.engine.model.generate(**inputs, generation_config=config)
    else:
        summarizer._decode([text], config)
    seconds = time.perf_counter() - start
    encoder, decoder, head = linear_macs(json.loads((twins[BART] / "config.json").read_text()))
    return {
        "seconds": seconds,
        "load_seconds": load_seconds,
        "threads": threads,
        "source_tokens": source,
        "output_tokens": new_tokens,
        "flops": 2 * (encoder * source + 4 * (decoder + head) * new_tokens),
        "precision": precision,
        "backend": summarizer.engine.backend,
    }


def run_full(variant: str, quick: bool, twins: dict[str, Path]) -> dict:
    """`debrief run` on the seed with both fp32 twins: wall time and its peak RSS.

    Run from a child of the benchmark, so that the peak over its children is this one's.
    """
    debrief = Path(sys.executable).with_name("debrief")
    with tempfile.TemporaryDirectory() as out_dir:
        command = [
            str(debrief),
            "run",
            str(REPO / "seeds" / "belarus-russland-2020-08.de.txt"),
            "--translation-model",
            str(twins[MARIAN]),
            "--summary-model",
            str(twins[BART]),
            "--out-dir",
            out_dir,
            "--no-cache",
            "--quiet",
        ]
        start = time.perf_counter()
        subprocess.run(command, check=True, cwd=REPO)
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "debrief_peak_rss_mb": peak, "command": " ".join(command[1:])}


RUNNERS = {"translation": run_translation, "summary": run_summary, "full": run_full}


def measure(stage: str, variant: str, quick: bool, twins: dict[str, Path], twins_dir: Path) -> dict:
    """One variant's figures: in a subprocess of its own, for its own peak RSS; with
    --quick in this process, to save the start-up, and without a peak RSS."""
    if quick:
        figures = RUNNERS[stage](variant, quick, twins)
        figures["peak_rss_mb"] = None
        return figures
    command = [sys.executable, __file__, "--child", stage, variant, "--twins", str(twins_dir)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    if result.returncode != 0:
        raise SystemExit(f"{stage} {variant} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def machine() -> dict:
    from debrief.runtime.settings import physical_cores

    model_name = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model_name = line.split(":", 1)[1].strip()
                break
    versions = {}
    for package in ("torch", "transformers", "ctranslate2"):
        try:
            versions[package] = __import__(package).__version__
        except ImportError:
            versions[package] = None
    return {
        "platform": platform.platform(),
        "cpu": model_name or platform.processor(),
        "logical_cpus": os.cpu_count(),
        "physical_cores": physical_cores(),
        "versions": versions,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="3 sentences, a short summary, all in one process, no full run (under a minute)",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--no-full-run", action="store_true", help="skip the `debrief run` row")
    parser.add_argument(
        "--variants",
        help="only these variants, comma-separated (e.g. torch-fp32,default); "
        "speed-ups are then against the first one run",
    )
    parser.add_argument(
        "--twins", type=Path, default=REPO / "out" / "twins", help="where the twins are kept"
    )
    parser.add_argument("--child", nargs=2, metavar=("STAGE", "VARIANT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # the table is the output
    transformers_logging.set_verbosity_error()
    warnings.filterwarnings("ignore", message=r".*(deprecated|quantiz).*")
    # Converted CTranslate2 copies of the twins live beside them, not in the user's cache.
    os.environ["DEBRIEF_CACHE_DIR"] = str(args.twins / "cache")
    if not args.child:
        # Built in a process of their own: Linux carries a process's peak RSS over to
        # the children it starts, so building them here would inflate every row's peak.
        subprocess.run([sys.executable, str(HERE / "twins.py"), str(args.twins)], check=True)
    twins = ensure_twins(args.twins)

    if args.child:
        stage, variant = args.child
        figures = RUNNERS[stage](variant, args.quick, twins)
        figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(figures))
        return 0

    started = time.perf_counter()
    from debrief.runtime.settings import configure_threads

    configure_threads()
    # The machine's Linear-layer rates, measured once in this run, bound every variant.
    rates = {precision: gemm_rate(precision) for precision in ("fp32", "int8")}
    rows = []
    stages = (("translation", TRANSLATION_VARIANTS), ("summary", SUMMARY_VARIANTS))
    print(
        f"{'stage':11} {'variant':10} {'backend':11} {'seconds':>8} {'tok/s':>7} {'vs first':>8} "
        f"{'peak RSS':>9} {'FLOP bound':>10}"
    )
    chosen = set(args.variants.split(",")) if args.variants else None
    for stage, variants in stages:
        baseline = None
        for variant, (_, _, _, description) in variants.items():
            if chosen is not None and variant not in chosen:
                continue
            figures = measure(stage, variant, args.quick, twins, args.twins)
            baseline = baseline or figures["seconds"]
            figures["gemm_flops_per_s"] = rates[figures["precision"]]
            figures.update(
                stage=stage,
                variant=variant,
                description=description,
                speedup=baseline / figures["seconds"],
                tokens_per_s=figures["output_tokens"] / figures["seconds"],
                flop_share=figures["flops"] / figures["seconds"] / figures["gemm_flops_per_s"],
            )
            rows.append(figures)
            rss = figures["peak_rss_mb"]
            print(
                f"{stage:11} {variant:10} {figures['backend']:11} {figures['seconds']:8.2f} "
                f"{figures['tokens_per_s']:7.1f} {figures['speedup']:7.1f}x "
                f"{f'{rss:6.0f} MB' if rss else '     n/a':>9} "
                f"{100 * figures['flop_share']:9.1f}%",
                flush=True,
            )
    full_run = None
    if not (args.quick or args.no_full_run):
        full_run = measure("full", "run", False, twins, args.twins)
        print(
            f"full run: debrief run on the seed, both fp32 twins: {full_run['seconds']:.1f} s, "
            f"peak RSS {full_run['debrief_peak_rss_mb']:.0f} MB"
        )
    report = {
        "machine": machine(),
        "quick": args.quick,
        "gemm_flops_per_s": rates,
        "rows": rows,
        "full_run": full_run,
        "bench_seconds": time.perf_counter() - started,
    }
    print(f"benchmark took {report['bench_seconds']:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
