"""Throughput of `debrief serve` with and without shared batches, on the full-size twin.

    python benchmarks/serve_bench.py [--clients 1,2,4,8] [--requests 16] [--sentences 4] [--json F]

The opus-mt twin (benchmarks/twins.py: published config, random weights) is loaded once
through debrief's own loader and served by the real app on 127.0.0.1. Each client posts
LibreTranslate requests (`POST /translate`, `--sentences` seed sentences each) one
after another until all requests are answered; decode lengths are pinned as in
bench.py (1.1 x source tokens + 2), so every configuration does the same work. The
figures measure speed, never quality. "batching off" serves one request's batches at a
time, the shape of self-hosted translators without a shared queue.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))

from twins import MARIAN, ensure_twins, seed_sentences  # noqa: E402


class PinnedLengths:
    """The twin's translator with every decode length pinned to the source's length."""

    def __init__(self, translator) -> None:
        self.translator = translator
        self.name, self.revision = translator.name, translator.revision
        self.max_input_tokens, self.settings = translator.max_input_tokens, translator.settings
        self.count_tokens = translator.count_tokens
        self._lock = threading.Lock()

    def translate_batch(self, texts, *, num_beams=None):
        longest = max(self.translator.count_tokens(texts))
        with self._lock:  # the generation config is shared; one model call at a time anyway
            config = self.translator.generation_config
            config.min_new_tokens = config.max_new_tokens = round(1.1 * longest) + 2
            return self.translator.translate_batch(texts, num_beams=num_beams)


def measure(url: str, clients: int, requests: int, paragraphs: list[str]) -> dict:
    import httpx

    latencies: list[float] = []
    failures = 0
    counter = iter(range(requests))
    lock = threading.Lock()

    def client() -> None:
        nonlocal failures
        with httpx.Client(timeout=600) as http:
            while True:
                with lock:
                    index = next(counter, None)
                if index is None:
                    return
                body = {"q": paragraphs[index % len(paragraphs)], "source": "de", "target": "en"}
                start = time.perf_counter()
                answer = http.post(f"{url}/translate", json=body)
                took = time.perf_counter() - start
                with lock:
                    latencies.append(took)
                    failures += answer.status_code != 200

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    latencies.sort()
    return {
        "clients": clients,
        "requests": requests,
        "failures": failures,
        "seconds": seconds,
        "requests_per_s": requests / seconds,
        "p50_s": statistics.median(latencies),
        "p95_s": latencies[max(0, round(0.95 * len(latencies)) - 1)],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1,2,4,8", help="concurrent clients to try")
    parser.add_argument("--requests", type=int, default=16, help="requests per configuration")
    parser.add_argument("--twins", type=Path, default=REPO / "out" / "twins")
    parser.add_argument("--sentences", type=int, default=4, help="seed sentences per request")
    parser.add_argument(
        "--batch-rows", type=int, default=8, help="rows per model batch when batching is on"
    )
    parser.add_argument(
        "--wait-ms", type=float, default=60, help="how long the queue gathers requests"
    )
    parser.add_argument("--backend", default="auto", help="the runtime's backend (default auto)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    from support.live_server import serving
    from transformers.utils import logging as transformers_logging

    from debrief.runtime.settings import Runtime
    from debrief.server.app import create_app
    from debrief.server.service import BatchingTranslator, DebriefService
    from summarize.model import LeadSummarizer
    from translate.marian import load_translator
    from translate.pipeline import TokenBudget

    transformers_logging.set_verbosity_error()
    os.environ["DEBRIEF_CACHE_DIR"] = str(args.twins / "cache")
    twins = ensure_twins(args.twins)
    translator = PinnedLengths(
        load_translator(str(twins[MARIAN]), runtime=Runtime(backend=args.backend, device="cpu"))
    )
    sentences = seed_sentences()
    size = args.sentences
    paragraphs = [
        " ".join(sentences[start : start + size])
        for start in range(0, len(sentences) - size + 1, size)
    ]
    rows = []
    print(f"{'batching':9} {'clients':>7} {'req/s':>7} {'p50 s':>7} {'p95 s':>7} {'failed':>6}")
    for batching in (False, True):
        service = DebriefService(translator, LeadSummarizer(), batching=batching, retry=False)
        if batching:
            service.translator = BatchingTranslator(
                translator, TokenBudget(max_segments=args.batch_rows), args.wait_ms / 1000
            )
        with serving(create_app(service)) as url:
            for clients in (int(n) for n in args.clients.split(",")):
                row = measure(url, clients, args.requests, paragraphs)
                row.update(batching=batching, model_calls=service.translator.model_calls)
                rows.append(row)
                print(
                    f"{'on' if batching else 'off':9} {clients:7d} {row['requests_per_s']:7.2f} "
                    f"{row['p50_s']:7.2f} {row['p95_s']:7.2f} {row['failures']:6d}",
                    flush=True,
                )
    by = {(row["batching"], row["clients"]): row for row in rows}
    most = max(int(n) for n in args.clients.split(","))
    gain = by[(True, most)]["requests_per_s"] / by[(False, most)]["requests_per_s"]
    print(f"throughput at {most} clients, batching on / off: {gain:.2f}x")
    if args.json:
        report = {
            "backend": translator.settings.get("backend"),
            "requests": args.requests,
            "sentences_per_request": args.sentences,
            "rows": rows,
            "gain_at_most_clients": gain,
        }
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
