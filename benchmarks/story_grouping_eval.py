"""How well the digest judges two stories the same (debrief/story_likeness.py), on real
news: the German documents of the WMT news test sets with document boundaries
(../shared/data/wmt-dev/newstest{2015,2016,2018}.de-en.docs.tsv; nothing newer is read),
and on our own sample article.

Alike pairs: each real document against a version of it edited the way one outlet
edits another's agency copy (the edits are simulated, the text is real):

- trimmed: the first 60% of its sentences kept;
- teaser: the first 30% kept (at least two sentences);
- new lead: its headline and first sentence replaced by another document's;
- extended: three sentences of another document appended;
- thinned: every third sentence dropped;
- all at once: a new lead, trimmed to 70%, two sentences of another document added.

Different pairs: every two documents of one test set (the same weeks' news, some on
the same events, from different outlets), and every edited version against every
document it was not made from; and every two of the real German article pages in
tests/support/pages/real (trafilatura's and other extractors' test suites, one site
each), as debrief extracts them. A pair counts as grouped when its resemblance reaches
the threshold. The settings are chosen on 2015 and 2016; 2018 checks them.

    python benchmarks/story_grouping_eval.py [--data ../shared/data/wmt-dev] [--json OUT]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
from collections import defaultdict
from pathlib import Path

from debrief.story_likeness import (
    ALIKE,
    MIN_SHINGLES,
    SAMPLE_EVERY,
    SHINGLE_WORDS,
    fingerprint,
    resemblance,
)
from translate.segment import segment_paragraph

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "wmt-dev"
SEED = ROOT / "seeds"
TUNE_YEARS, CHECK_YEARS = ("2015", "2016"), ("2018",)
SIZES, EVERIES = (3, 5, 7), (1, 2, 4)
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


def documents(path: Path) -> list[list[str]]:
    by_index: dict[str, list[tuple[int, str]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE):
            by_index[row["doc_index"]].append((int(row["seg_in_doc"]), row["de"]))
    return [[text for _, text in sorted(segments)] for segments in by_index.values()]


def edits(doc: list[str], other: list[str]) -> dict[str, list[str]]:
    """The versions of `doc` another outlet might run; `other` lends a lead and lines."""
    keep = lambda share: doc[: max(2, round(len(doc) * share))]  # noqa: E731
    return {
        "trimmed": keep(0.6),
        "teaser": keep(0.3),
        "new lead": other[:2] + doc[2:],
        "extended": doc + other[-3:],
        "thinned": [line for number, line in enumerate(doc) if number % 3 != 2],
        "all at once": (other[:2] + keep(0.7)[2:] + other[-2:]),
    }


def measure(docs: list[list[str]], size: int, every: int) -> dict:
    """Resemblance of every alike and every different pair of one test set."""
    prints = [fingerprint(doc, size=size, every=every) for doc in docs]
    alike: dict[str, list[float]] = defaultdict(list)
    different: list[float] = []
    lent: dict[str, list[float]] = defaultdict(list)
    short = 0
    for number, doc in enumerate(docs):
        lender = (number + 1) % len(docs)
        for kind, version in edits(doc, docs[lender]).items():
            edited = fingerprint(version, size=size, every=every)
            alike[kind].append(resemblance(prints[number], edited))
            short += min(len(edited), len(prints[number])) < MIN_SHINGLES
            # The document that lent the edit its lines is neither alike nor different.
            different += [
                resemblance(edited, prints[k])
                for k in range(len(docs))
                if k not in (number, lender)
            ]
            if kind in ("extended", "all at once"):
                lent[kind].append(resemblance(edited, prints[lender]))
    pairs = list(itertools.combinations(range(len(docs)), 2))
    originals = [resemblance(prints[a], prints[b]) for a, b in pairs]
    close = [
        {"score": round(score, 3), "first": docs[a][0][:80], "second": docs[b][0][:80]}
        for (a, b), score in zip(pairs, originals, strict=True)
        if score >= 0.2
    ]
    return {
        "alike": dict(alike),
        "different": different + originals,
        "lent": dict(lent),
        "too_short": short,
        "closest_documents": sorted(close, key=lambda c: -c["score"]),
    }


def rates(scores: dict, threshold: float) -> dict:
    alike = {kind: sum(s >= threshold for s in v) / len(v) for kind, v in scores["alike"].items()}
    every_alike = [s for v in scores["alike"].values() for s in v]
    return {
        "grouped_alike": sum(s >= threshold for s in every_alike) / len(every_alike),
        "grouped_different": sum(s >= threshold for s in scores["different"])
        / len(scores["different"]),
        "different_pairs_grouped": sum(s >= threshold for s in scores["different"]),
        "highest_different": max(scores["different"]),
        "by_edit": alike,
        # A version that took lines of another document, against that document.
        "grouped_with_the_lender": {
            kind: sum(s >= threshold for s in v) / len(v) for kind, v in scores["lent"].items()
        },
    }


def merged(parts: list[dict]) -> dict:
    alike: dict[str, list[float]] = defaultdict(list)
    for part in parts:
        for kind, values in part["alike"].items():
            alike[kind] += values
    return {
        "alike": dict(alike),
        "different": [s for p in parts for s in p["different"]],
        "lent": {kind: [s for p in parts for s in p["lent"][kind]] for kind in parts[0]["lent"]},
        "too_short": sum(p["too_short"] for p in parts),
        "closest_documents": [c for p in parts for c in p["closest_documents"]],
    }


def page_pairs() -> dict:
    """Every two real article pages of the repository's corpus, as debrief reads them."""
    sys.path.insert(0, str(ROOT / "tests"))
    from support.real_pages import real_pages

    from debrief.errors import DebriefError
    from translate.webpage import article_from_html

    prints = []
    for page in real_pages():
        try:
            prints.append(
                fingerprint(article_from_html(page.html(), page.file, url=page.url).paragraphs)
            )
        except DebriefError:
            continue  # a page debrief refuses (no article in it)
    scores = [resemblance(a, b) for a, b in itertools.combinations(prints, 2)]
    return {
        "pages": len(prints),
        "pairs": len(scores),
        "grouped": sum(score >= ALIKE for score in scores),
        "most_alike": max(scores),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    sets = {year: args.data / f"newstest{year}.de-en.docs.tsv" for year in TUNE_YEARS + CHECK_YEARS}
    missing = [str(path) for path in sets.values() if not path.exists()]
    if missing:
        print(
            f"the WMT documents are not there ({', '.join(missing)}); pass --data",
            file=sys.stderr,
        )
        return 2
    docs = {year: documents(path) for year, path in sets.items()}
    report: dict = {
        "data": {year: len(found) for year, found in docs.items()},
        "minimum_sampled_shingles": MIN_SHINGLES,
        "sweep_on_tune_years": [],
    }
    print(f"documents: {report['data']}")
    print("size every threshold  alike grouped  different grouped (2015+2016)")
    for size, every in itertools.product(SIZES, EVERIES):
        scores = merged([measure(docs[year], size, every) for year in TUNE_YEARS])
        for threshold in THRESHOLDS:
            found = rates(scores, threshold)
            report["sweep_on_tune_years"].append(
                {"size": size, "every": every, "threshold": threshold, **found}
            )
            print(
                f"{size:4} {every:5} {threshold:9.1f}  {found['grouped_alike']:13.1%}"
                f"  {found['grouped_different']:.4%} ({found['different_pairs_grouped']})"
                f"  lender {found['grouped_with_the_lender']['extended']:.1%}"
            )
    chosen = {"size": SHINGLE_WORDS, "every": SAMPLE_EVERY, "threshold": ALIKE}
    report["chosen"] = chosen
    for name, years in (("tune", TUNE_YEARS), ("check", CHECK_YEARS)):
        scores = merged([measure(docs[year], SHINGLE_WORDS, SAMPLE_EVERY) for year in years])
        found = rates(scores, ALIKE)
        found["alike_too_short_to_judge"] = scores["too_short"]
        found["documents_scoring_0.2_or_more"] = scores["closest_documents"]
        found["pairs"] = {
            "alike": sum(len(v) for v in scores["alike"].values()),
            "different": len(scores["different"]),
        }
        report[name] = {"years": years, **found}
        print(
            f"\n{name} ({'+'.join(years)}), size {SHINGLE_WORDS}, every {SAMPLE_EVERY}, "
            f"threshold {ALIKE}: alike grouped {found['grouped_alike']:.1%} of "
            f"{found['pairs']['alike']}, different grouped {found['grouped_different']:.4%} "
            f"({found['different_pairs_grouped']} of {found['pairs']['different']}, "
            f"the most alike {found['highest_different']:.2f})"
        )
        for kind, rate in found["by_edit"].items():
            print(f"  {kind:12} {rate:.1%}")
        print(f"  grouped with the document that lent lines: {found['grouped_with_the_lender']}")
        print(f"  alike pairs too short to judge: {scores['too_short']}")
        for close in scores["closest_documents"]:
            print(f"  {close['score']:.2f}  {close['first']!r}  ~  {close['second']!r}")
    pages = page_pairs()
    report["real_pages"] = pages
    print(
        f"\nreal pages: {pages['grouped']} of {pages['pairs']} pairs of {pages['pages']} pages "
        f"grouped, the most alike {pages['most_alike']:.3f}"
    )
    seed = (SEED / "belarus-russland-2020-08.de.txt").read_text(encoding="utf-8")
    sentences = [s for paragraph in seed.split("\n") for s in segment_paragraph(paragraph)]
    pool = docs[CHECK_YEARS[0]][0]
    ours = {
        kind: resemblance(fingerprint(sentences), fingerprint(version))
        for kind, version in edits(sentences, pool).items()
    }
    report["seed_article"] = ours
    print("\nour sample article against its edits:", {k: round(v, 2) for k, v in ours.items()})
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
