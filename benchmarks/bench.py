"""Benchmark translation and summary on full-size random-weight twins of the real models.

    python benchmarks/bench.py [--quick] [--json results.json]

No real weights can be downloaded where this was written, so each model is rebuilt from
its published config (benchmarks/configs/) with seeded random weights. A random model
decodes different lengths than a trained one, so every decode length is pinned
(min_new_tokens = max_new_tokens): about 1.1 x the source tokens + 2 per sentence, 80
tokens for the summary. Every variant then does the same useful work, and the figures
measure speed only, never quality.

Each variant runs in a subprocess of its own so that its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEED = REPO / "seeds" / "belarus-russland-2020-08.de.txt"
SUMMARY_NEW_TOKENS = 80
SUMMARY_INPUT_TOKENS = 900  # about the English of the seed's 589 German words

TRANSLATION_VARIANTS = {
    "naive": "one sentence at a time, fp32, generate with 4 beams (what a user would write)",
    "default": "debrief's default: length-sorted batches under the token budget, fp32",
    "int8": "the same batches, Linear layers dynamically quantised to int8",
}
SUMMARY_VARIANTS = {
    "naive": "generate on the whole input, fp32, 4 beams",
    "int8": "the same, Linear layers dynamically quantised to int8",
}


def load_config(name: str) -> dict:
    config = json.loads((HERE / "configs" / f"{name}.json").read_text(encoding="utf-8"))
    config.pop("_comment", None)
    return config


def source_token_counts(quick: bool) -> list[int]:
    """Token counts of the seed's real sentences, from a sentencepiece model trained here.

    The twin's own 58,101-piece vocabulary cannot be learnt from one article; a unigram
    model of 2,000 pieces over the seed and the test corpus gives slightly more tokens per
    word than opus-mt would, which errs on the side of more work.
    """
    sys.path.insert(0, str(REPO / "tests"))
    import sentencepiece as spm
    from tiny_models import GERMAN_TRAINING_TEXT, train_sentencepiece

    from translate.article import read_article
    from translate.segment import segment_paragraph

    article = read_article(SEED)
    segments = [s for paragraph in article.paragraphs for s in segment_paragraph(paragraph)]
    proto = train_sentencepiece(GERMAN_TRAINING_TEXT + "\n".join(segments), vocab_size=2000)
    processor = spm.SentencePieceProcessor(model_proto=proto)
    counts = [len(processor.encode(segment)) + 1 for segment in segments]  # + </s>
    return counts[:6] if quick else counts


def pinned_length(source_tokens: int) -> int:
    return round(1.1 * source_tokens) + 2


def linear_macs(model) -> tuple[int, int, int]:
    """Multiply-accumulates per token in encoder Linears, decoder Linears, and the LM head."""
    import torch

    encoder = sum(
        m.weight.numel() for m in model.model.encoder.modules() if isinstance(m, torch.nn.Linear)
    )
    decoder = sum(
        m.weight.numel() for m in model.model.decoder.modules() if isinstance(m, torch.nn.Linear)
    )
    head = model.lm_head.weight.numel()
    return encoder, decoder, head


def gemm_rate(precision: str) -> float:
    """This machine's matrix-multiply rate in FLOP/s for fp32 or dynamic-int8 Linear layers."""
    import torch

    layer = torch.nn.Linear(1024, 4096)
    if precision == "int8":
        layer = torch.ao.quantization.quantize_dynamic(
            torch.nn.Sequential(layer), {torch.nn.Linear}, dtype=torch.qint8
        )
    inputs = torch.randn(256, 1024)
    with torch.inference_mode():
        for _ in range(3):
            layer(inputs)
        repeats, start = 20, time.perf_counter()
        for _ in range(repeats):
            layer(inputs)
        seconds = time.perf_counter() - start
    return 2 * 256 * 1024 * 4096 * repeats / seconds


def build_twin(kind: str, precision: str):
    """The twin model, and its Linear multiply-accumulates counted before any quantisation."""
    import torch
    from transformers import BartConfig, BartForConditionalGeneration, MarianConfig, MarianMTModel

    torch.manual_seed(0)
    if kind == "translation":
        model = MarianMTModel(MarianConfig(**load_config("opus-mt-de-en")))
    else:
        model = BartForConditionalGeneration(BartConfig(**load_config("distilbart-cnn-12-6")))
    model.eval()
    macs = linear_macs(model)
    if precision == "int8":
        model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    return model, macs


def random_batch(lengths: list[int], vocab: int, pad: int):
    import torch

    generator = torch.Generator().manual_seed(sum(lengths))
    width = max(lengths)
    ids = torch.full((len(lengths), width), pad, dtype=torch.long)
    mask = torch.zeros((len(lengths), width), dtype=torch.long)
    for row, length in enumerate(lengths):
        ids[row, :length] = torch.randint(3, vocab - 1, (length,), generator=generator)
        mask[row, :length] = 1
    return ids, mask


def run_translation(variant: str, quick: bool) -> dict:
    import torch

    from translate.pipeline import TokenBudget, plan_batches

    torch.set_num_threads(max(1, torch.get_num_threads()))
    precision = "int8" if variant == "int8" else "fp32"
    model, (encoder, decoder, head) = build_twin("translation", precision)
    config = model.config
    counts = source_token_counts(quick)
    batches = (
        [[i] for i in range(len(counts))]
        if variant == "naive"
        else plan_batches(counts, TokenBudget())
    )
    start = time.perf_counter()
    decoded_tokens = 0
    with torch.inference_mode():
        for batch in batches:
            lengths = [counts[i] for i in batch]
            new_tokens = max(pinned_length(n) for n in lengths)
            ids, mask = random_batch(lengths, config.vocab_size, config.pad_token_id)
            model.generate(
                input_ids=ids,
                attention_mask=mask,
                num_beams=4,
                min_new_tokens=new_tokens,
                max_new_tokens=new_tokens,
            )
            decoded_tokens += new_tokens * len(batch)
    seconds = time.perf_counter() - start
    useful = sum(pinned_length(n) for n in counts)
    flops = 2 * (encoder * sum(counts) + 4 * (decoder + head) * useful)
    return {
        "seconds": seconds,
        "output_tokens": useful,
        "decoded_rows_tokens": decoded_tokens,
        "flops": flops,
        "gemm_flops_per_s": gemm_rate(precision),
        "segments": len(counts),
    }


def run_summary(variant: str, quick: bool) -> dict:
    import torch

    precision = "int8" if variant == "int8" else "fp32"
    model, (encoder, decoder, head) = build_twin("summary", precision)
    source = 300 if quick else SUMMARY_INPUT_TOKENS
    ids, mask = random_batch([source], model.config.vocab_size, model.config.pad_token_id)
    start = time.perf_counter()
    with torch.inference_mode():
        model.generate(
            input_ids=ids,
            attention_mask=mask,
            num_beams=4,
            no_repeat_ngram_size=0,
            min_new_tokens=SUMMARY_NEW_TOKENS,
            max_new_tokens=SUMMARY_NEW_TOKENS,
        )
    seconds = time.perf_counter() - start
    flops = 2 * (encoder * source + 4 * (decoder + head) * SUMMARY_NEW_TOKENS)
    return {
        "seconds": seconds,
        "output_tokens": SUMMARY_NEW_TOKENS,
        "flops": flops,
        "gemm_flops_per_s": gemm_rate(precision),
    }


def measure_in_subprocess(stage: str, variant: str, quick: bool) -> dict:
    command = [sys.executable, __file__, "--child", stage, variant] + (["--quick"] if quick else [])
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="6 sentences and a short summary input"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--child", nargs=2, metavar=("STAGE", "VARIANT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        stage, variant = args.child
        runner = run_translation if stage == "translation" else run_summary
        figures = runner(variant, args.quick)
        figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(figures))
        return 0

    rows = []
    for stage, variants in (("translation", TRANSLATION_VARIANTS), ("summary", SUMMARY_VARIANTS)):
        baseline = None
        for variant, description in variants.items():
            figures = measure_in_subprocess(stage, variant, args.quick)
            baseline = baseline or figures["seconds"]
            figures.update(
                stage=stage,
                variant=variant,
                description=description,
                speedup=baseline / figures["seconds"],
                tokens_per_s=figures["output_tokens"] / figures["seconds"],
                flop_share=figures["flops"] / figures["seconds"] / figures["gemm_flops_per_s"],
            )
            rows.append(figures)
            print(
                f"{stage:11} {variant:8} {figures['seconds']:7.2f} s  "
                f"{figures['tokens_per_s']:7.1f} tok/s  {figures['speedup']:4.1f}x  "
                f"peak RSS {figures['peak_rss_mb']:6.0f} MB  "
                f"FLOP bound {100 * figures['flop_share']:4.1f}%",
                flush=True,
            )
    report = {
        "machine": {
            "platform": platform.platform(),
            "processor": platform.processor(),
            "cpus": __import__("os").cpu_count(),
        },
        "quick": args.quick,
        "rows": rows,
    }
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
