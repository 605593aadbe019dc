"""The `debrief` command's options: one parser, its subcommands and their option groups,
each option with its default in its help. Each subcommand names its handler in
debrief/cli/commands.py.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from debrief import __version__
from debrief.check import CHECK_FORMATS
from debrief.cli.commands import (
    run_check,
    run_eval,
    run_run,
    run_serve,
    run_summarize,
    run_translate,
)
from debrief.cli.digest_command import run_digest_command
from debrief.evaluation import EVAL_FORMATS
from debrief.fetch import USER_AGENT_VARIABLE, FetchSettings
from debrief.outputs.formats import SUMMARY_FORMATS, TRANSLATE_FORMATS
from debrief.ray_engine import RaySettings
from debrief.runtime.settings import BACKENDS, DEVICES, PRECISIONS
from debrief.server.service import MAX_CHARS  # no web framework: --help stays fast
from summarize.model import DEFAULT_SUMMARY_MODEL, LEAD_3, LENGTH_PRESETS
from translate.marian import DEFAULT_TRANSLATION_MODEL
from translate.pipeline import TokenBudget
from translate.reading import MAX_INPUT_BYTES


def _add_single_file_options(
    command: argparse.ArgumentParser,
    *,
    input_help: str,
    formats: tuple[str, ...],
    default_model: str,
    model_help: str,
) -> None:
    command.add_argument("input", metavar="INPUT", help=input_help)
    command.add_argument(
        "-o", "--output", metavar="OUT", type=Path, help="default (or -): standard output"
    )
    command.add_argument("--format", choices=formats, help="default: from OUT's suffix, else txt")
    command.add_argument(
        "--model",
        default=default_model,
        metavar="ID_OR_PATH",
        help=f"{model_help} (default: {default_model})",
    )


def _add_input_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--encoding", metavar="NAME", help="input encoding, e.g. cp1252 (default: detected)"
    )
    command.add_argument(
        "--max-input-mb",
        type=float,
        metavar="MB",
        default=MAX_INPUT_BYTES / 1024 / 1024,
        help=f"refuse an input larger than this (default: {MAX_INPUT_BYTES // 1024 // 1024})",
    )


def _add_fetch_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--fetch-timeout",
        type=float,
        metavar="SECONDS",
        default=FetchSettings.total_seconds,
        help=f"time allowed to fetch a URL (default: {FetchSettings.total_seconds:g})",
    )
    command.add_argument(
        "--user-agent",
        metavar="TEXT",
        help=f"User-Agent header for URLs (default: ${USER_AGENT_VARIABLE}, else debrief/VERSION)",
    )


def _add_verbose_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "-v", "--verbose", action="store_true", help="list every item the checks flag"
    )


def _add_decoding_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--num-beams",
        type=int,
        metavar="N",
        help="beam size (default: the model's own, 4 for opus-mt)",
    )
    command.add_argument(
        "--batch-tokens",
        type=int,
        metavar="N",
        default=TokenBudget.max_tokens,
        help=f"padded tokens per batch, lower saves memory (default: {TokenBudget.max_tokens})",
    )


def _add_glossary_options(command: argparse.ArgumentParser, use: str) -> None:
    command.add_argument(
        "--glossary",
        metavar="FILE",
        action="append",
        default=[],
        help=f"a glossary (TSV or CSV: German, English; repeat for more): {use}",
    )
    command.add_argument(
        "--english-names",
        action="store_true",
        help="add debrief's glossary of names spelled the English way (Selenskyj: "
        "Zelensky, Kiew: Kyiv; see docs/glossary.md)",
    )


ENFORCE_GLOSSARY = (
    "its terms are put into the German in English before translation, and a segment "
    "whose English lacks one is retried, then flagged"
)


def _add_translation_options(command: argparse.ArgumentParser) -> None:
    _add_decoding_options(command)
    _add_glossary_options(command, ENFORCE_GLOSSARY)
    command.add_argument(
        "--strict",
        action="store_true",
        help="refuse input that does not look German (exit 2); exit 3 if a check flags anything",
    )
    _add_verbose_option(command)
    command.add_argument(
        "--no-retry",
        action="store_true",
        help="keep the first translation of segments the checks flag (default: translate "
        "them again with a wider beam, then clause by clause, and keep what passes)",
    )
    command.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the translation cache (see docs/reliability.md)",
    )


def _add_common_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--backend",
        choices=BACKENDS,
        default="auto",
        help="auto (default: ctranslate2 when installed, else torch), torch, or ctranslate2 "
        "(pip install 'debrief[fast]')",
    )
    command.add_argument(
        "--precision",
        choices=PRECISIONS,
        default="fp32",
        help="fp32 (default) or int8 weights (faster, smaller; see docs/performance.md)",
    )
    command.add_argument(
        "--threads",
        type=int,
        metavar="N",
        help="CPU threads for the models (default: the physical cores)",
    )
    command.add_argument(
        "--device",
        choices=DEVICES,
        default="auto",
        help="default: auto (CUDA if present)",
    )
    command.add_argument(
        "-q", "--quiet", action="store_true", help="no progress or notes on stderr"
    )
    command.add_argument("--debug", action="store_true", help="show tracebacks for errors")


def _add_model_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--translation-model",
        default=DEFAULT_TRANSLATION_MODEL,
        metavar="ID_OR_PATH",
        help=f"default: {DEFAULT_TRANSLATION_MODEL}",
    )
    command.add_argument(
        "--summary-model",
        default=DEFAULT_SUMMARY_MODEL,
        metavar="ID_OR_PATH",
        help=f"seq2seq model or {LEAD_3} (default: {DEFAULT_SUMMARY_MODEL})",
    )


def _add_length_options(command: argparse.ArgumentParser) -> None:
    lengths = ", ".join(f"{name} {low}-{high}" for name, (low, high) in LENGTH_PRESETS.items())
    group = command.add_mutually_exclusive_group()
    group.add_argument(
        "--length",
        choices=tuple(LENGTH_PRESETS),
        help=f"brief length in tokens ({lengths}); default: the model's own setting",
    )
    group.add_argument("--max-words", type=int, metavar="N", help="brief of about N words at most")


def _add_eval_command(commands: argparse._SubParsersAction) -> None:
    evaluate = commands.add_parser(
        "eval",
        help="score a translation of a test set against human references",
        description="BLEU, chrF and chrF++ (sacrebleu, with its signatures) of a translation "
        "of a test set, the checks' flag rate on it and on the references, and with "
        "--translation-model the time the model took. Files hold one segment a line.",
    )
    evaluate.add_argument("--source", required=True, metavar="FILE", help="the German lines")
    evaluate.add_argument(
        "--ref",
        required=True,
        action="append",
        metavar="FILE",
        help="a human English translation, line for line (repeat for more references)",
    )
    translation = evaluate.add_mutually_exclusive_group(required=True)
    translation.add_argument("--hyp", metavar="FILE", help="the translation to score")
    translation.add_argument(
        "--translation-model",
        metavar="ID_OR_PATH",
        help=f"translate --source with this model and score that, timed (e.g. "
        f"{DEFAULT_TRANSLATION_MODEL})",
    )
    evaluate.add_argument(
        "--save-translation",
        type=Path,
        metavar="FILE",
        help="with --translation-model: write its translation there, one line a line",
    )
    evaluate.add_argument("--ter", action="store_true", help="add TER (slower: ~5 ms a line)")
    evaluate.add_argument(
        "-o", "--output", metavar="OUT", type=Path, help="default (or -): standard output"
    )
    evaluate.add_argument(
        "--format", choices=EVAL_FORMATS, help="default: from OUT's suffix, else txt"
    )
    _add_input_options(evaluate)
    _add_decoding_options(evaluate)
    evaluate.add_argument(
        "--no-retry", action="store_true", help="do not retry the segments the checks flag"
    )
    _add_common_options(evaluate)
    evaluate.set_defaults(handler=run_eval)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="debrief",
        description="Translate German news articles into English and brief them, locally.",
    )
    parser.add_argument("--version", action="version", version=f"debrief {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    translate = commands.add_parser(
        "translate",
        help="translate one German article into English",
        description="Translate a German article file paragraph by paragraph into English.",
    )
    _add_single_file_options(
        translate,
        input_help="article file, saved web page (.html), Word document (.docx), http(s) URL, "
        "or - for standard input",
        formats=TRANSLATE_FORMATS,
        default_model=DEFAULT_TRANSLATION_MODEL,
        model_help="MarianMT Hub id or save_pretrained directory",
    )
    _add_input_options(translate)
    _add_fetch_options(translate)
    _add_translation_options(translate)
    _add_common_options(translate)
    translate.set_defaults(handler=run_translate)

    summarize = commands.add_parser(
        "summarize",
        help="brief an English text",
        description="Condense English text, or a `debrief translate --format json` file.",
    )
    _add_single_file_options(
        summarize,
        input_help="English text or translation JSON, or -",
        formats=SUMMARY_FORMATS,
        default_model=DEFAULT_SUMMARY_MODEL,
        model_help=f"seq2seq Hub id or directory, or {LEAD_3}",
    )
    _add_length_options(summarize)
    _add_input_options(summarize)
    summarize.add_argument(
        "--strict", action="store_true", help="exit 3 if a check flags the brief"
    )
    _add_verbose_option(summarize)
    _add_common_options(summarize)
    summarize.set_defaults(handler=run_summarize)

    check = commands.add_parser(
        "check",
        help="check an existing English translation against its German source",
        description="Run debrief's faithfulness checks on a translation that exists "
        "already (a human's, another system's, debrief's own). No model is needed.",
    )
    check.add_argument("german", metavar="GERMAN", help="the German source file, or -")
    check.add_argument("english", metavar="ENGLISH", help="its English translation, or -")
    check.add_argument(
        "--lines",
        action="store_true",
        help="line i of ENGLISH translates line i of GERMAN (WMT sets, most MT tools); "
        "default: two articles, paragraphs aligned, then sentences",
    )
    check.add_argument(
        "-o", "--output", metavar="OUT", type=Path, help="default (or -): standard output"
    )
    check.add_argument(
        "--format",
        choices=CHECK_FORMATS,
        help="txt: one line per flagged item; json: the whole report; jsonl: one object "
        "per line or segment (default: from OUT's suffix, else txt)",
    )
    _add_glossary_options(check, "flag each segment whose English lacks a term's English")
    _add_input_options(check)
    check.add_argument("--strict", action="store_true", help="exit 3 if a check flags anything")
    check.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    check.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    check.set_defaults(handler=run_check)

    _add_eval_command(commands)

    run = commands.add_parser(
        "run",
        help="translate and brief articles, writing four files for each",
        description=(
            "For each INPUT write <stem>.en.txt (translation), <stem>.summary.txt (brief), "
            "<stem>.json (aligned record with the brief) and <stem>.html (review page) into "
            "--out-dir."
        ),
    )
    run.add_argument(
        "inputs",
        metavar="INPUT",
        nargs="+",
        help="German article files, saved web pages (.html), http(s) URLs, or archives: "
        ".jsonl or .parquet files of {id, text | url, source_url} or a folder of them, "
        "whose records go to OUT/<archive>/part-*.jsonl",
    )
    run.add_argument(
        "--out-dir", type=Path, default=Path("out"), metavar="DIR", help="default: out/"
    )
    run.add_argument(
        "--skip-existing",
        action="store_true",
        help="leave out inputs whose four files are there and archive articles whose "
        "records are (to finish an interrupted run)",
    )
    scale = run.add_argument_group("engine (--engine ray needs the scale extra)")
    scale.add_argument(
        "--engine",
        choices=("local", "ray"),
        default="local",
        help="local: this process (default); ray: Ray Data actor pools, here or on a cluster",
    )
    scale.add_argument(
        "--ray-address",
        metavar="ADDRESS",
        help="default: start Ray on this machine; 'auto': the cluster this machine is part "
        "of (`ray start`); HEAD:6379: that cluster's head; ray://HEAD:10001: Ray Client",
    )
    scale.add_argument(
        "--actors",
        type=int,
        metavar="N",
        help=f"actors per model pool (default {RaySettings.actors})",
    )
    scale.add_argument(
        "--gpus-per-actor",
        type=float,
        metavar="X",
        help="GPUs each actor holds (default 0: CPUs; 0.5: two actors a GPU)",
    )
    scale.add_argument(
        "--batch-size",
        type=int,
        metavar="N",
        help=f"articles per actor call (default {RaySettings.batch_size})",
    )
    _add_model_options(run)
    _add_length_options(run)
    _add_input_options(run)
    _add_fetch_options(run)
    _add_translation_options(run)
    _add_common_options(run)
    run.set_defaults(handler=run_run)

    digest = commands.add_parser(
        "digest",
        help="the new articles of news feeds, translated and briefed, in one digest",
        description="Read RSS, Atom or JSON feeds (or a site's front page that names its "
        "feed), do each new story once as `run` does, and write digest.html, digest.md "
        "and digest.json into --out-dir; a rerun does only what is new.",
    )
    digest.add_argument("feeds", metavar="FEED", nargs="*", help="feed or front-page URLs")
    digest.add_argument(
        "--feeds",
        dest="feed_lists",
        action="append",
        default=[],
        metavar="FILE",
        help="an OPML file or a text file of feed URLs, one a line (repeatable)",
    )
    digest.add_argument(
        "--out-dir", type=Path, default=Path("digest"), metavar="DIR", help="default: digest/"
    )
    digest.add_argument("--since", metavar="AGE", help="only items newer than this: 24h, 2d, 1w")
    digest.add_argument("--max-items", type=int, metavar="N", help="at most N new items a run")
    _add_model_options(digest)
    _add_length_options(digest)
    _add_input_options(digest)
    _add_fetch_options(digest)
    _add_translation_options(digest)
    _add_common_options(digest)
    digest.set_defaults(handler=run_digest_command)

    serve = commands.add_parser(
        "serve",
        help="the review page and a translation API on this machine",
        description="Serve the review page, a LibreTranslate-compatible API and debrief's "
        "own API; the models load once. Needs the web extra.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1 (this machine)")
    serve.add_argument("--port", type=int, default=8000, help="default: 8000")
    _add_model_options(serve)
    serve.add_argument(
        "--api-key",
        default=os.environ.get("DEBRIEF_API_KEY"),
        metavar="KEY",
        help="require this key on API calls (default: $DEBRIEF_API_KEY, else none)",
    )
    serve.add_argument(
        "--cors-origin",
        action="append",
        metavar="ORIGIN",
        help="let only this origin's pages call the LibreTranslate endpoints, e.g. "
        "https://example.org (repeat for more; default: any origin, as LibreTranslate)",
    )
    serve.add_argument(
        "--max-chars",
        type=int,
        default=MAX_CHARS,
        metavar="N",
        help=f"refuse requests of more characters (413; default: {MAX_CHARS:,})",
    )
    serve.add_argument(
        "--allow-private-urls",
        action="store_true",
        help="fetch URLs on private and loopback addresses too",
    )
    serve.add_argument(
        "--no-batching",
        action="store_true",
        help="translate one request at a time (for comparison; default: share batches)",
    )
    serve.add_argument("--num-beams", type=int, metavar="N", help="translation beam size")
    serve.add_argument("--no-retry", action="store_true", help="do not retry flagged segments")
    serve.add_argument(
        "--digest-dir", type=Path, metavar="DIR", help="keep a digest here, with its API and view"
    )
    serve.add_argument(
        "--feeds",
        dest="feed_lists",
        action="append",
        default=[],
        metavar="FILE",
        help="the digest's feeds when a request names none: OPML or one URL a line",
    )
    _add_glossary_options(serve, ENFORCE_GLOSSARY + " (for every request)")
    _add_length_options(serve)
    _add_common_options(serve)
    serve.set_defaults(handler=run_serve)
    return parser
