"""Time per item of `debrief digest` on the full-size twins, against `debrief run` on the
same articles as files, in one run.

    python benchmarks/digest_bench.py [--items 4] [--json FILE]

Serves a feed and N article pages from 127.0.0.1 (each page the seed article, its
first sentence made distinct so every item is a story of its own), runs the digest
with the full-size random twins of opus-mt-de-en and distilbart-cnn-12-6
(benchmarks/twins.py; CLI_MAX_LENGTH bounds each sentence's decode), then `run` on the
same articles saved as text files, and reports seconds per item and the ratio (the
digest's cost of reading the feed, fetching, extracting and writing the digest). A
second digest run over the same feed times a morning with nothing new. The twins
measure time, never quality.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from twins import BART, MARIAN, ensure_twins  # noqa: E402


def _pages(count: int) -> list[tuple[str, list[str]]]:
    paragraphs = [
        block.strip()
        for block in (REPO / "seeds" / "belarus-russland-2020-08.de.txt")
        .read_text(encoding="utf-8")
        .split("\n\n")
        if block.strip() and not block.startswith("http")
    ]
    return [
        (f"Meldung {n}", [f"Dies ist die Meldung Nummer {n} des Tages.", *paragraphs])
        for n in range(1, count + 1)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=4)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    twins = ensure_twins()
    pages = _pages(args.items)
    routes: dict[str, bytes] = {}

    class Site(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            body = routes.get(self.path, b"")
            self.send_response(200 if self.path in routes else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    items = []
    for number, (title, paragraphs) in enumerate(pages, start=1):
        body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        routes[f"/m{number}.html"] = (
            f"<!DOCTYPE html><html lang='de'><head><title>{title}</title></head><body>"
            f"<article><h1>{title}</h1>{body}</article></body></html>"
        ).encode()
        items.append(
            f"<item><title>{title}</title><link>{base}/m{number}.html</link>"
            f"<pubDate>Tue, 01 Dec 2026 0{number % 10}:00:00 +0000</pubDate></item>"
        )
    routes["/feed.rss"] = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>'
        + "".join(items)
        + "</channel></rss>"
    ).encode()
    from debrief.digest import plan_digest, run_digest
    from debrief.job import run_job
    from debrief.plan import plan_job

    models = {"translation_model": str(twins[MARIAN]), "summary_model": str(twins[BART])}
    report: dict = {"items": args.items, "machine_cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["DEBRIEF_CACHE_DIR"] = str(Path(scratch) / "cache")
        plan = plan_digest(
            [f"{base}/feed.rss"], Path(scratch) / "digest", use_cache=False, **models
        )
        start = time.perf_counter()
        result = run_digest(plan)
        digest_seconds = time.perf_counter() - start
        assert result.done == args.items, result
        start = time.perf_counter()
        again = run_digest(plan)
        nothing_new = time.perf_counter() - start
        assert again.new == 0
        files = []
        for number, (_, paragraphs) in enumerate(pages, start=1):
            path = Path(scratch) / f"m{number}.de.txt"
            path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
            files.append(path)
        start = time.perf_counter()
        run_job(plan_job(files, Path(scratch) / "run", use_cache=False, **models))
        run_seconds = time.perf_counter() - start
    httpd.shutdown()
    report.update(
        {
            "digest seconds per item": digest_seconds / args.items,
            "run seconds per article (same text, from files)": run_seconds / args.items,
            "digest / run": digest_seconds / run_seconds,
            "digest with nothing new, seconds": nothing_new,
        }
    )
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
