"""How often a glossary's terms come through debrief's enforcement, on a model that
really translates.

    python benchmarks/glossary_eval.py [--steps 2400] [--per-term 10] [--json FILE]

Trains the toy German-English MarianMT of tests/support/toy_translation.py (3+3 layers,
d_model 128; about 10 minutes on 2 CPU cores), then translates held-out sentences that
each hold one of 24 glossary terms whose English the model never saw (secretary for
Minister, network regulator for Bundesnetzagentur, Court of Auditors for Rechnungshof),
three ways through debrief's own pipeline: the model alone, the terms code-switched
(no retry), and code-switched with the retries. It reports how often the English holds
the term, how often the whole sentence is the reference with the term, and how often
segments were retried and flagged. No real model can be downloaded here: the toy shows
what code-switching does on a model that translates and copies; it is no measure of
opus-mt's rate.
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

from support.toy_translation import accuracy, glossary_rates, train_toy_translator  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2400, help="training steps (batch 64)")
    parser.add_argument("--per-term", type=int, default=10, help="held-out sentences a term")
    parser.add_argument("--model", type=Path, help="a toy model trained before (no training)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["DEBRIEF_CACHE_DIR"] = str(Path(scratch) / "cache")
        report: dict = {}
        model = args.model
        if model is None:
            model = Path(scratch) / "model"
            report["training"] = train_toy_translator(model, steps=args.steps)
        report["exact on held-out toy sentences"] = accuracy(model)
        report.update(glossary_rates(model, per_term=args.per_term))
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
