"""How often int8, and CTranslate2, give the same output as torch fp32 on a trained model.

    python benchmarks/int8_agreement.py [--steps 1200] [--samples 1000] [--json FILE]

Trains the small MarianMT of tests/reversal_model.py (2+2 layers, d_model 64) to reverse
letter sequences, until it is confident, then translates held-out sequences with every
backend and precision. A random model could not show this: its outputs are near-ties.
A reversal task is not German news; it shows whether the arithmetic keeps a confident
model's decisions, not how a translation reads.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from support.reversal_model import compare_backends, train_reversal_model  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1200, help="training steps (batch 64)")
    parser.add_argument("--samples", type=int, default=1000, help="held-out sequences")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["DEBRIEF_CACHE_DIR"] = str(Path(scratch) / "cache")
        training = train_reversal_model(Path(scratch) / "model", steps=args.steps)
        report = compare_backends(Path(scratch) / "model", samples=args.samples)
    report["training"] = training
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
