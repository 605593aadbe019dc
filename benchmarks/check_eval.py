"""How much the faithfulness checks are worth on real translations nobody here wrote.

    python benchmarks/check_eval.py [--data ../shared/data] [--json FILE] [--limit N]

Reads ../shared/data/wmt-dev (WMT newstest 2014-2018 and generaltest 2022 with their
human references; WMT22 system outputs with human Direct Assessment scores; see that
folder's README) and prints, per check kind:

1. false flags: the share of faithful human reference segments the checks flag;
2. planted faults in those references, each caught by the check meant for it: a name the
   English kept verbatim deleted, a number of the English changed, the second half of
   the English dropped, a phrase of the English looped;
3. number flags on the real system outputs of WMT22 against number errors grounded by
   the reference (the hypothesis's numbers differ from the human reference's, read
   the same way: "three" is 3): precision and recall;
4. DA lift: on those outputs, P(DA < 50 | flagged) / P(DA < 50).

The checks run exactly as `debrief check --lines` runs them (translate.checks). Nothing
here is tuned on WMT 2019 and later, which are kept apart to measure the result.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from translate.article import Check  # noqa: E402
from translate.checks import check_segment  # noqa: E402
from translate.numbers import (  # noqa: E402
    english_number_mismatch,
    english_numbers,
    german_numbers,
    number_mismatch,
)

DEFAULT_DATA = REPO.parent / "shared" / "data"
REFERENCE_SETS = [f"newstest{year}.de-en" for year in range(2014, 2019)] + ["generaltest2022.de-en"]
KINDS = ("number", "name", "length", "repetition")
BAD_DA = 50
# Segments under this many English words are too short to lose their second half.
MIN_WORDS_TO_HALVE = 8


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def reference_pairs(data: Path) -> list[tuple[str, str, str]]:
    """(set, German, human English) for every reference line; 2022 with both references."""
    pairs = []
    for name in REFERENCE_SETS:
        german = read_lines(data / "wmt-dev" / f"{name}.de")
        references = [data / "wmt-dev" / f"{name}.en"]
        second = data / "wmt-dev" / f"{name}.refB.en"
        references += [second] if second.exists() else []
        for reference in references:
            english = read_lines(reference)
            assert len(english) == len(german), reference
            label = name + (".refB" if reference == second else "")
            pairs += [(label, de, en) for de, en in zip(german, english, strict=True)]
    return pairs


def kinds_flagged(german: str, english: str) -> set[str]:
    return {check.kind for check in check_segment(german, english, 0, 0)}


def false_flags(segment_checks: Sequence[Sequence[Check]]) -> dict:
    """How many of the references the checks flag, by kind (`segment_checks`: each
    reference's checks)."""
    by_kind: Counter[str] = Counter()
    flagged = 0
    examples: dict[str, list[str]] = defaultdict(list)
    for checks in segment_checks:
        flagged += bool(checks)
        for kind in {check.kind for check in checks}:
            by_kind[kind] += 1
        for check in checks:
            if len(examples[check.kind]) < 8:
                examples[check.kind].append(check.detail)
    total = len(segment_checks)
    return {
        "segments": total,
        "flagged": flagged,
        "rate": flagged / total,
        "by_kind": {kind: by_kind[kind] / total for kind in KINDS},
        "examples": dict(examples),
    }


_PUNCTUATION = "\"'„“”‚‘’»«()[],.;:!?"


def kept_names(german: str, english: str) -> list[str]:
    """Capitalised words of the German (not its first word) that the English keeps as
    they are, capitalised and not first either: names by any reader's judgement (English
    capitalises little else), found without the name check's own rules (Heathrow,
    Penning, Alcoa)."""
    inner_english = {token.strip(_PUNCTUATION) for token in english.split()[1:]}
    names: list[str] = []
    for token in german.split()[1:]:
        word = token.strip(_PUNCTUATION)
        if len(word) >= 2 and word[0].isupper() and word in inner_english and word not in names:
            names.append(word)
    return names


def delete_name(german: str, english: str, rng: random.Random) -> str | None:
    """The English without one German name that it kept verbatim, or None."""
    kept = kept_names(german, english)
    if not kept:
        return None
    name = rng.choice(kept)
    return re.sub(rf"\s*\b{re.escape(name)}\b", "", english).strip()  # every time it occurs


def change_number(german: str, english: str, rng: random.Random) -> str | None:
    """The English with one digit of a number the German also has changed, or None."""
    shared = set(english_numbers(english)) & set(german_numbers(german))
    spots = [m for m in re.finditer(r"\d+", english) if any(m.group() in s for s in shared)]
    if not spots:
        return None
    spot = rng.choice(spots)
    digits = list(spot.group())
    position = rng.randrange(len(digits))
    digits[position] = str((int(digits[position]) + rng.randint(1, 8)) % 10)
    if position == 0 and digits[0] == "0" and len(digits) > 1:
        digits[0] = "1"
    return english[: spot.start()] + "".join(digits) + english[spot.end() :]


def drop_second_half(german: str, english: str, rng: random.Random) -> str | None:
    words = english.split()
    if len(words) < MIN_WORDS_TO_HALVE:
        return None
    return " ".join(words[: len(words) // 2])


def loop_phrase(german: str, english: str, rng: random.Random) -> str | None:
    """The English with a phrase of 2-4 of its words said three times, as a decoder loops."""
    words = english.split()
    if len(words) < 4:
        return None
    size = rng.randint(2, min(4, len(words)))
    start = rng.randrange(len(words) - size + 1)
    phrase = words[start : start + size]
    return " ".join(words[: start + size] + phrase * 2 + words[start + size :])


FAULTS = {
    "name deleted": (delete_name, "name"),
    "number changed": (change_number, "number"),
    "second half dropped": (drop_second_half, "length"),
    "phrase looped": (loop_phrase, "repetition"),
}


def planted_faults(
    pairs: Sequence[tuple[str, str, str]], clean_kinds: Sequence[set[str]], seed: int = 1
) -> dict:
    """Recall of each check on its own fault, planted in references it does not flag for
    that kind already (`clean_kinds`: what each reference is flagged for)."""
    rng = random.Random(seed)
    results = {}
    for fault, (plant, kind) in FAULTS.items():
        planted = caught = 0
        for (_, german, english), flagged in zip(pairs, clean_kinds, strict=True):
            if kind in flagged:
                continue
            faulty = plant(german, english, rng)
            if faulty is None or faulty == english:
                continue
            planted += 1
            caught += kind in kinds_flagged(german, faulty)
        results[fault] = {"planted": planted, "caught": caught, "recall": caught / max(planted, 1)}
    return results


def system_outputs(data: Path) -> list[dict]:
    rows = []
    with (data / "wmt-dev" / "wmt22.da-joined.de-en.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["system"].startswith("HUMAN"):
                continue
            rows.append(row)
    return rows


def number_precision_recall(
    rows: Sequence[dict], hypothesis_kinds: Sequence[set[str]], faithful_only: bool = False
) -> dict:
    """Number flags against errors grounded by the reference: the hypothesis's numbers
    differ from those of the human reference (English against English, digits or words:
    "three" and "3" agree, "16-32" and "16:32" too). With `faithful_only`, only where
    the reference's numbers agree with the German's (by the number check itself, so
    not independent): a reference that renders "0815" (German for run-of-the-mill) as
    "8:15 AM" or leaves out a "100%" calls every faithful system wrong."""
    true_positive = false_positive = false_negative = grounded = 0
    for row, kinds in zip(rows, hypothesis_kinds, strict=True):
        reference, hypothesis = row["ref_en"], row["hyp_en"]
        if faithful_only and any(number_mismatch(row["src_de"], reference)):
            continue
        grounded += 1
        error = any(english_number_mismatch(reference, hypothesis))
        flagged = "number" in kinds
        true_positive += flagged and error
        false_positive += flagged and not error
        false_negative += error and not flagged
    return {
        "segments": grounded,
        "ungrounded": len(rows) - grounded,
        "errors": true_positive + false_negative,
        "flagged": true_positive + false_positive,
        "precision": true_positive / max(true_positive + false_positive, 1),
        "recall": true_positive / max(true_positive + false_negative, 1),
    }


def da_lift(rows: Sequence[dict], flagged_kinds: Sequence[set[str]]) -> dict:
    bad = [float(row["da_raw"]) < BAD_DA for row in rows]
    base = sum(bad) / len(bad)
    lift = {}
    for kind in ("any", *KINDS):
        chosen = [
            is_bad
            for is_bad, kinds in zip(bad, flagged_kinds, strict=True)
            if (kinds if kind == "any" else kind in kinds)
        ]
        rate = sum(chosen) / len(chosen) if chosen else 0.0
        lift[kind] = {"flagged": len(chosen), "p_bad": rate, "lift": rate / base}
    return {"segments": len(rows), "p_bad": base, "by_kind": lift}


def da_ceiling(rows: Sequence[dict], flagged: int) -> dict:
    """The lift of a check that sees the answer: the `flagged` segments (as many as the
    checks flag) that sentence chrF against the human reference scores lowest. How far
    a reference-free check could hope to go on these DA scores (one crowd judgement
    for most segments)."""
    from sacrebleu.metrics import CHRF

    chrf = CHRF()
    scores = [chrf.sentence_score(row["hyp_en"], [row["ref_en"]]).score for row in rows]
    lowest = sorted(range(len(rows)), key=scores.__getitem__)[:flagged]
    bad = [float(row["da_raw"]) < BAD_DA for row in rows]
    rate = sum(bad[i] for i in lowest) / max(len(lowest), 1)
    return {"segments": len(lowest), "p_bad": rate, "lift": rate / (sum(bad) / len(bad))}


def table(report: dict) -> str:
    lines = ["| measure | value |", "| --- | ---: |"]
    flags = report["false_flags"]
    lines.append(
        f"| human references flagged ({flags['segments']:,} segments) | {flags['rate']:.1%} |"
    )
    for kind, rate in flags["by_kind"].items():
        lines.append(f"| ... by the {kind} check | {rate:.1%} |")
    for fault, result in report["planted"].items():
        lines.append(
            f"| planted fault caught: {fault} ({result['planted']:,}) | {result['recall']:.1%} |"
        )
    for key, which in (
        ("numbers", "every reference"),
        ("numbers_faithful_references", "references whose numbers match the German"),
    ):
        numbers = report[key]
        for measure in ("precision", "recall"):
            lines.append(
                f"| number flags on WMT22 systems, {which} ({numbers['errors']} grounded "
                f"errors): {measure} | {numbers[measure]:.2f} |"
            )
    lift = report["da_lift"]
    for kind, result in lift["by_kind"].items():
        lines.append(
            f"| DA < {BAD_DA} lift, {kind} flag ({result['flagged']:,} of "
            f"{lift['segments']:,}) | {result['lift']:.2f}x |"
        )
    ceiling = report["da_ceiling"]
    lines.append(
        f"| DA < {BAD_DA} lift, ceiling: the {ceiling['segments']:,} segments "
        f"reference-based chrF scores lowest | {ceiling['lift']:.2f}x |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", type=Path, help="also write the report here")
    parser.add_argument("--limit", type=int, help="at most N segments of each kind (quick)")
    args = parser.parse_args(argv)
    if not (args.data / "wmt-dev").is_dir():
        print(f"check_eval: no {args.data}/wmt-dev here; pass --data DIR", file=sys.stderr)
        return 2
    started = time.perf_counter()
    pairs = reference_pairs(args.data)
    rows = system_outputs(args.data)
    if args.limit:
        pairs = random.Random(0).sample(pairs, min(args.limit, len(pairs)))
        rows = random.Random(0).sample(rows, min(args.limit, len(rows)))
    # The checks of each reference and each system output, run once and shared.
    reference_checks = [check_segment(german, english, 0, 0) for _, german, english in pairs]
    hypothesis_kinds = [kinds_flagged(row["src_de"], row["hyp_en"]) for row in rows]
    report = {
        "false_flags": false_flags(reference_checks),
        "planted": planted_faults(pairs, [{c.kind for c in checks} for checks in reference_checks]),
        "numbers": number_precision_recall(rows, hypothesis_kinds),
        "numbers_faithful_references": number_precision_recall(
            rows, hypothesis_kinds, faithful_only=True
        ),
        "da_lift": da_lift(rows, hypothesis_kinds),
    }
    report["da_ceiling"] = da_ceiling(rows, report["da_lift"]["by_kind"]["any"]["flagged"])
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(table(report))
    for kind, examples in report["false_flags"]["examples"].items():
        print(f"\n{kind}: " + " | ".join(examples[:8]))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
