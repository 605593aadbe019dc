"""A small MarianMT model trained here to reverse letter sequences, to compare precisions.

A random model cannot show whether int8 changes translations: its outputs are near-ties
that any rounding flips. This one is trained until it is confident (it reverses held-out
sequences correctly), so a change of output under int8 is a real loss of fidelity.

    python tests/reversal_model.py DIR [--steps N]     # train and save, print accuracy

benchmarks/int8_agreement.py uses it for the reported figure, tests for a quick check.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from debrief.runtime.settings import Runtime

LETTERS = "abcdefghijklmnopqrst"
MIN_WORDS, MAX_WORDS = 3, 8


def random_sequences(count: int, seed: int) -> list[str]:
    """`count` sequences of 3 to 8 space-separated letters, reproducible by `seed`."""
    generator = random.Random(seed)
    return [
        " ".join(generator.choice(LETTERS) for _ in range(generator.randint(MIN_WORDS, MAX_WORDS)))
        for _ in range(count)
    ]


def reverse(sequence: str) -> str:
    return " ".join(reversed(sequence.split()))


def _write_tokenizer(directory: Path):
    from support.tiny_models import shared_marian_tokenizer

    text = "\n".join(random_sequences(2000, seed=1))
    return shared_marian_tokenizer(directory, text, vocab_size=300, model_max_length=64)


def train_reversal_model(directory: Path, steps: int = 600, seed: int = 0) -> dict:
    """Train a 2+2-layer Marian (d_model 64) to reverse sequences; save it to `directory`.

    Returns the training figures: steps, seconds, final loss.
    """
    from support.tiny_models import train_marian

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tokenizer = _write_tokenizer(directory)

    def batch(step: int) -> list[tuple[str, str]]:
        sources = random_sequences(64, seed=1000 + seed * 100_000 + step)
        return [(source, reverse(source)) for source in sources]

    return train_marian(
        directory,
        tokenizer,
        batch,
        steps=steps,
        seed=seed,
        d_model=64,
        layers=2,
        ffn_dim=256,
        max_length=64,
        learning_rate=2e-3,
        decode_length=MAX_WORDS + 4,
    )


def compare_backends(directory: Path, samples: int = 300, seed: int = 7) -> dict:
    """Translate held-out sequences on every backend and precision; compare with torch fp32.

    Returns, per variant, its accuracy (output is the reversed input) and its agreement
    with torch fp32 (identical output), as fractions.
    """
    from debrief.runtime.settings import BACKENDS, PRECISIONS
    from translate.marian import load_translator

    sources = random_sequences(samples, seed=seed)
    expected = [reverse(source) for source in sources]
    outputs = {}
    for backend in BACKENDS:
        for precision in PRECISIONS:
            try:
                translator = load_translator(
                    str(directory),
                    runtime=Runtime(backend=backend, precision=precision, device="cpu"),
                )
            except Exception as error:  # ctranslate2 not installed: report, do not fail
                outputs[f"{backend}-{precision}"] = error
                continue
            outputs[f"{backend}-{precision}"] = translator.translate_batch(sources)
    reference = outputs["torch-fp32"]
    report = {"samples": samples}
    for name, produced in outputs.items():
        if isinstance(produced, Exception):
            report[name] = {"error": str(produced)}
            continue
        report[name] = {
            "accuracy": sum(a == b for a, b in zip(produced, expected, strict=True)) / samples,
            "agreement_with_torch_fp32": sum(
                a == b for a, b in zip(produced, reference, strict=True)
            )
            / samples,
        }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the reversal model and compare backends.")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--steps", type=int, default=600)
    args = parser.parse_args(argv)
    print(json.dumps(train_reversal_model(args.directory, steps=args.steps)))
    print(json.dumps(compare_backends(args.directory), indent=2))
    return 0


if __name__ == "__main__":
    # Run as a script, tests/ must be on the path for the `support.` imports.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())
