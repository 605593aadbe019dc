"""Articles per hour with `debrief run --engine local` and `--engine ray` on the twins.

    python benchmarks/scale_bench.py [--articles 12] [--words 120] [--json FILE]

Both engines run the same archive of German news items (each a different window of the
seed's sentences, every sentence made unique, so that no sentence is translated once
for several articles), through the real CLI, with both full-size random-weight twins
(benchmarks/twins.py). Each engine runs twice, on one article and on all of them: the
difference is the steady rate, free of the start-up (Ray's, the models' loading) that
an archive of 10^5 articles pays once. While a run goes, every process of it is sampled
(/proc, every 0.2 s) for its resident memory and CPU time: the Ray actors are told apart
by name, so each pool's CPU and memory per actor are measured, not guessed.

`--no-retry` is passed: a random model's output trips the checks on nearly every
sentence, which would triple the decoding a real model does. The twins decode to pinned
lengths (48 tokens a sentence, the brief to its 142-token limit). A random model
measures speed and memory, never quality.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from bench import machine  # noqa: E402
from twins import BART, MARIAN, ensure_twins, seed_sentences  # noqa: E402

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


def news_items(count: int, words: int) -> list[str]:
    """`count` German items of about `words` words, each a window of the seed's
    sentences with every sentence made unique by a number."""
    sentences = seed_sentences()
    items = []
    for number in range(count):
        chosen, total, index = [], 0, (number * 5) % len(sentences)
        while total < words:
            sentence = sentences[index % len(sentences)].rstrip(".")
            chosen.append(f"{sentence} (Meldung {number}-{len(chosen)}).")
            total += len(chosen[-1].split())
            index += 1
        items.append(" ".join(chosen))
    return items


class ProcessSampler:
    """Samples the resident memory and CPU time of a process tree's members by name,
    in a thread, until stopped."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak_total_rss = 0
        self.processes: dict[int, dict] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ProcessSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _members(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
        members, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            members.append(pid)
            todo.extend(children.get(pid, []))
        return members

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid in self._members():
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    name = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                except OSError:
                    continue
                rss = int(fields[21]) * PAGE_SIZE
                cpu = (int(fields[11]) + int(fields[12])) / TICKS
                seen = self.processes.setdefault(pid, {"name": "", "peak_rss": 0, "cpu": 0.0})
                title = name.decode(errors="replace").strip()[:120]
                if "Actor" in title or not seen["name"]:
                    # An actor's title changes once its pool is done; keep its role.
                    seen["name"] = title
                seen["peak_rss"] = max(seen["peak_rss"], rss)
                seen["cpu"] = max(seen["cpu"], cpu)
                total += rss
            self.peak_total_rss = max(self.peak_total_rss, total)
            self._stop.wait(0.2)

    def by_role(self) -> dict[str, dict]:
        """CPU seconds and peak memory of the translation actors, the brief actors, the
        driver and Ray's own processes (each actor's figures, and their sum)."""
        roles: dict[str, list[dict]] = {}
        for pid, seen in self.processes.items():
            name = seen["name"]
            if "TranslationActor" in name:
                role = "translation actor"
            elif "BriefActor" in name:
                role = "brief actor"
            elif pid == self.root:
                role = "driver (debrief)"
            else:
                role = "ray processes"
            roles.setdefault(role, []).append(seen)
        return {
            role: {
                "processes": len(members),
                "cpu_seconds": sum(member["cpu"] for member in members),
                "peak_rss_mb_each": max(member["peak_rss"] for member in members) / 2**20,
                "peak_rss_mb_sum": sum(member["peak_rss"] for member in members) / 2**20,
            }
            for role, members in sorted(roles.items())
        }


def run(spec: str, archive: Path, twins: dict[str, Path]) -> dict:
    """One `debrief run` of the archive with `spec` (an engine, then any more options:
    "ray --threads 2"): its wall time, and its processes' figures."""
    engine, *extra = spec.split()
    debrief = Path(sys.executable).with_name("debrief")
    with tempfile.TemporaryDirectory() as out_dir:
        command = [
            str(debrief),
            "run",
            str(archive),
            "--out-dir",
            out_dir,
            "--translation-model",
            str(twins[MARIAN]),
            "--summary-model",
            str(twins[BART]),
            "--no-cache",
            "--no-retry",
            "--quiet",
            "--engine",
            engine,
            *extra,
        ]
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE, text=True)
        with ProcessSampler(process.pid) as sampler:
            _, stderr = process.communicate()
        seconds = time.perf_counter() - start
        if process.returncode != 0:
            raise SystemExit(f"{spec} failed ({process.returncode}):\n{stderr[-3000:]}")
        records = sum(
            len(path.read_text(encoding="utf-8").splitlines())
            for path in Path(out_dir).rglob("part-*.jsonl")
        )
    return {
        "seconds": seconds,
        "records": records,
        "peak_total_rss_mb": sampler.peak_total_rss / 2**20,
        "processes": sampler.by_role(),
        "command": " ".join(command[1:]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=12, help="articles in the archive")
    parser.add_argument("--words", type=int, default=120, help="words per article, about")
    parser.add_argument(
        "--engines",
        default="local,ray,ray --threads 2",
        help="comma-separated: an engine, then any more options of debrief run",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--twins", type=Path, default=REPO / "out" / "twins")
    args = parser.parse_args(argv)
    os.environ["DEBRIEF_CACHE_DIR"] = str(args.twins / "cache")
    subprocess.run([sys.executable, str(HERE / "twins.py"), str(args.twins)], check=True)
    twins = ensure_twins(args.twins)
    started = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        items = news_items(args.articles, args.words)
        archives = {}
        for size in (1, args.articles):
            archive = Path(folder) / f"news-{size}.jsonl"
            archive.write_text(
                "".join(
                    json.dumps({"id": str(n), "text": text}, ensure_ascii=False) + "\n"
                    for n, text in enumerate(items[:size])
                ),
                encoding="utf-8",
            )
            archives[size] = archive
        print(f"{args.articles} articles of about {args.words} words; twins of {MARIAN}, {BART}")
        print(f"{'engine':18} {'articles':>8} {'seconds':>8} {'peak RSS (all)':>15}")
        for engine in args.engines.split(","):
            runs = {}
            for size, archive in archives.items():
                figures = run(engine, archive, twins)
                assert figures["records"] == size, figures
                runs[size] = figures
                print(
                    f"{engine:18} {size:8d} {figures['seconds']:8.1f} "
                    f"{figures['peak_total_rss_mb']:12.0f} MB",
                    flush=True,
                )
            steady = runs[args.articles]["seconds"] - runs[1]["seconds"]
            rows.append(
                {
                    "engine": engine,
                    "runs": runs,
                    "startup_seconds": runs[1]["seconds"],
                    "seconds_per_article": steady / (args.articles - 1),
                    "articles_per_hour": 3600 * (args.articles - 1) / steady,
                }
            )
    print()
    print(f"{'engine':18} {'start-up s':>10} {'s/article':>10} {'articles/h':>10} {'vs first':>8}")
    for row in rows:
        row["speed_vs_first"] = row["articles_per_hour"] / rows[0]["articles_per_hour"]
        print(
            f"{row['engine']:18} {row['startup_seconds']:10.1f} "
            f"{row['seconds_per_article']:10.1f} {row['articles_per_hour']:10.0f} "
            f"{row['speed_vs_first']:7.2f}x"
        )
        for role, figures in row["runs"][args.articles]["processes"].items():
            print(
                f"    {role:20} x{figures['processes']:<3} CPU {figures['cpu_seconds']:7.1f} s, "
                f"peak RSS {figures['peak_rss_mb_each']:6.0f} MB each, "
                f"{figures['peak_rss_mb_sum']:6.0f} MB together"
            )
    report = {
        "machine": machine(),
        "articles": args.articles,
        "words_per_article": args.words,
        "rows": rows,
        "bench_seconds": time.perf_counter() - started,
    }
    print(f"benchmark took {report['bench_seconds']:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
