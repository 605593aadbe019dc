"""How often the English spellings of German transliterations of Cyrillic names
(translate/transliteration.py) are what real English news wrote, measured on the WMT
German-English development sets in ../shared/data/wmt-dev (newstest 2014-2018,
generaltest 2022; nothing newer is read).

A name counts when the name check calls it a name, the German spells it with a letter
group German uses for Cyrillic (sch, tsch, w, z, j, -ow, -ew, -ij, ...) and the human
reference does not repeat it as written. For each, the script says whether an English
spelling of it stands in the reference, else whether the name check's other forms find
it (exonyms, written apart, the fuzzy match), and prints those neither finds (most are
German words the name check takes for names, and names the reference left out).

    python benchmarks/transliteration_eval.py [--data ../shared/data/wmt-dev] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from translate.name_forms import WORD, name_in_english
from translate.names import german_names
from translate.transliteration import english_spellings, spelling_in

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "wmt-dev"
# Letter groups German uses for Cyrillic sounds; a name without any is not a candidate.
CYRILLIC_IN_GERMAN = re.compile(r"tsch|sch|zk|ow$|ew$|owa$|ewa$|ski$|[iy]j$|^J[aeou]|jew|jan|w")


def pairs(data: Path) -> list[tuple[str, str, str]]:
    found = []
    for german in sorted(data.glob("*.de-en.de")):
        english = german.with_suffix(".en")
        with german.open(encoding="utf-8") as de, english.open(encoding="utf-8") as en:
            found += [(german.name, d.strip(), e.strip()) for d, e in zip(de, en, strict=True)]
    return found


def evaluate(data: Path) -> dict:
    names = spelled = fuzzy_only = missed = 0
    missed_examples, spelled_examples = [], []
    for _, german, english in pairs(data):
        words = {word.lower() for word in WORD.findall(english)}
        for name in sorted(set(german_names(german))):
            if name in english or not CYRILLIC_IN_GERMAN.search(name):
                continue
            if english_spellings(name) == (name.lower(),):
                continue  # no letter English writes otherwise
            names += 1
            match = spelling_in(name, words)
            if match is not None:
                spelled += 1
                spelled_examples.append(f"{name} -> {match}")
            elif name_in_english(name, english):
                fuzzy_only += 1
            else:
                missed += 1
                missed_examples.append(f"{name}: {english[:100]}")
    return {
        "data": str(data),
        "names": names,
        "spelled": spelled,
        "fuzzy_only": fuzzy_only,
        "missed": missed,
        "spelled_examples": spelled_examples,
        "missed_examples": missed_examples,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(
            f"no data at {args.data}: this benchmark reads ../shared/data/wmt-dev", file=sys.stderr
        )
        return 2
    result = evaluate(args.data)
    print(
        f"{result['names']} names: {result['spelled']} found by their English spellings, "
        f"{result['fuzzy_only']} by the name check's other forms only (exonyms, written apart, "
        f"fuzzy), {result['missed']} by neither; {len(set(result['spelled_examples']))} "
        "distinct spellings found"
    )
    for example in result["spelled_examples"]:
        print("  spelled:", example)
    for example in result["missed_examples"][:40]:
        print("  missed:", example)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
