"""The `debrief` command: argparse over the library. Each subcommand checks its options
and paths before any model loads, then calls a public function: `run` is
`debrief.job.run_job`, `translate` is `translate_article`, `summarize` a summarizer.

Only `main` turns errors into exit codes; the README lists them.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from debrief import __version__
from debrief.engines import BACKENDS, DEVICES, PRECISIONS, Runtime
from debrief.errors import DebriefError, UsageError
from debrief.fetch import USER_AGENT_VARIABLE, FetchSettings, PageCache
from debrief.inputs import check_source, read_source
from debrief.job import (
    RunResult,
    article_count,
    check_brief_length,
    check_encoding,
    check_max_input_bytes,
    check_num_beams,
    check_output_file,
    locate_models,
    plan_job,
    run_job,
    token_budget,
    translation_cache,
)
from debrief.ray_engine import (
    RaySettings,
    check_scale_extra,
    run_job_on_ray,
)
from debrief.server.service import MAX_CHARS  # no web framework: --help stays fast
from summarize.chunking import split_sentences
from summarize.model import DEFAULT_SUMMARY_MODEL, LEAD_3, LENGTH_PRESETS, length_settings
from translate.article import (
    MAX_INPUT_BYTES,
    Check,
    Retry,
    check_input_file,
    read_article,
    read_input_bytes,
)
from translate.checks import check_summary, describe_brief_checks, describe_checks
from translate.language import check_german
from translate.marian import DEFAULT_TRANSLATION_MODEL
from translate.pipeline import Progress, TokenBudget
from translate.writers import (
    FORMATS,
    SUMMARY_FORMATS,
    english_of_record,
    render,
    render_summary,
    write_atomic,
)

EXIT_OK = 0
EXIT_FLAGGED = 3
EXIT_SOME_INPUTS_FAILED = 4
EXIT_INTERRUPTED = 130

logger = logging.getLogger("debrief")


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


def _fetch_settings(args: argparse.Namespace) -> FetchSettings:
    return FetchSettings(total_seconds=args.fetch_timeout, user_agent=args.user_agent)


def _add_verbose_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "-v", "--verbose", action="store_true", help="list every item the checks flag"
    )


def _add_translation_options(command: argparse.ArgumentParser) -> None:
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
        help="neither read nor write the translation cache (see README: Resume)",
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
        help="fp32 (default) or int8 weights (faster, smaller; see README: Performance)",
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
        input_help="article file, saved web page (.html), http(s) URL, or - for standard input",
        formats=FORMATS,
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
    _add_length_options(serve)
    _add_common_options(serve)
    serve.set_defaults(handler=run_serve)
    return parser


@contextmanager
def progress_bar(
    description: str, quiet: bool, unit: str = "seg", position: int = 0
) -> Iterator[Progress]:
    """A `Progress` callback drawing a tqdm bar on stderr, or doing nothing when quiet.

    The bar starts over when a new piece of work (a smaller count, another total) begins.
    """
    if quiet:
        yield lambda done, total: _raise_if_interrupted()
        return
    from tqdm import tqdm
    from tqdm.contrib.logging import logging_redirect_tqdm

    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        _raise_if_interrupted()
        if bar is None:
            bar = tqdm(
                total=total,
                desc=description,
                unit=unit,
                file=sys.stderr,
                leave=False,
                position=position,
                disable=None,  # no bar when stderr is not a terminal: logs stay readable
            )
        elif done < bar.n or total != bar.total:
            bar.reset(total=total)
        bar.update(done - bar.n)

    try:
        with logging_redirect_tqdm(loggers=[logger]):
            yield update
    finally:
        if bar is not None:
            bar.close()


# Messages quote file names and text, which can hold control characters: raw, an escape
# sequence would drive the terminal and a newline would break the one-line promise.
_ESCAPED_CONTROLS = {code: f"\\x{code:02x}" for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)]}


def printable(text: str) -> str:
    """`text` with every control character written as an escape (\\x1b), never raw."""
    return text.translate(_ESCAPED_CONTROLS)


class _PrintableFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def _configure_logging(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_PrintableFormatter("debrief: %(message)s"))
    logger.handlers[:] = [handler]
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False


def _quiet_transformers() -> None:
    # Called just before a model loads, so that errors before then stay fast. Our own
    # progress covers the work; transformers' loading bars and advice would bury it.
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()


def _runtime(args: argparse.Namespace, *, warn: bool = True) -> Runtime:
    """The backend options, checked (an impossible value is a one-line error); what is
    allowed but unwise is logged unless `warn` is False (plan_job warns itself)."""
    runtime = Runtime(
        backend=args.backend, precision=args.precision, device=args.device, threads=args.threads
    )
    for warning in runtime.warnings() if warn else ():
        logger.warning("%s", warning)
    return runtime


def _check_single_file(
    args: argparse.Namespace, max_input_bytes: int, check: Callable = check_input_file
) -> None:
    """The paths of `translate` and `summarize`: a readable input (`check` says which
    kinds), a writable output that is not the input."""
    if args.input != "-":
        check(args.input, max_input_bytes)
    if args.output is not None and not _is_stdout(args.output):
        check_output_file(args.output)
        source = Path(args.input)
        if source.exists() and args.output.exists() and args.output.samefile(source):
            raise UsageError(f"-o {args.output} is the input; choose another output file")


def _output_format(requested: str | None, output: Path | None, allowed: tuple[str, ...]) -> str:
    if requested:
        return requested
    suffix = output.suffix.lstrip(".").lower() if output else ""
    suffix = {"markdown": "md"}.get(suffix, suffix)
    return suffix if suffix in allowed else "txt"


def _max_input_bytes(args: argparse.Namespace) -> int:
    max_input_bytes = int(args.max_input_mb * 1024 * 1024)
    check_max_input_bytes(max_input_bytes)
    return max_input_bytes


def _read_summary_input(name: str, encoding: str | None, max_bytes: int) -> list[list[str]]:
    """The English to brief, as sentences per paragraph: from a text file, or the
    translated segments of a `translate` JSON file."""
    if name != "-" and Path(name).suffix.lower() == ".json":
        return english_of_record(read_input_bytes(name, max_bytes), name)
    article = read_article(name, encoding=encoding, max_bytes=max_bytes)
    return [split_sentences(paragraph) for paragraph in article.paragraphs]


def _report_checks(
    name: str,
    checks: Sequence[Check],
    segments: int,
    verbose: bool,
    brief_sentences: int = 0,
    retries: Sequence[Retry] = (),
) -> None:
    logger.info("%s: %s", name, describe_checks(checks, segments, brief_sentences, len(retries)))
    if verbose:
        _list_checks(checks)
        for retry in retries:
            logger.info(
                "  retried paragraph %d, segment %d: %s; kept %s",
                retry.paragraph,
                retry.segment,
                ", ".join(retry.tried),
                retry.kept or "the first translation",
            )


def _list_checks(checks: Sequence[Check]) -> None:
    for check in checks:
        logger.info(
            "  %s, paragraph %d, segment %d: %s: %s",
            check.stage,
            check.paragraph,
            check.segment,
            check.kind,
            check.detail,
        )


def _flagged_exit(flagged: int) -> int:
    print(
        f"debrief: {flagged} items flagged by the checks (see --verbose); --strict exits 3",
        file=sys.stderr,
    )
    return EXIT_FLAGGED


def _is_stdout(output: Path | None) -> bool:
    return output is None or str(output) == "-"


def _emit(text: str, output: Path | None) -> None:
    if not _is_stdout(output):
        write_atomic(output, text)
        logger.info("wrote %s", output)
    else:
        sys.stdout.write(text)


def run_translate(args: argparse.Namespace) -> int:
    from translate import marian
    from translate.pipeline import translate_article

    check_num_beams(args.num_beams)
    budget = token_budget(args.batch_tokens)
    check_encoding(args.encoding)
    max_input_bytes = _max_input_bytes(args)
    fetch = _fetch_settings(args)
    runtime = _runtime(args)
    _check_single_file(args, max_input_bytes, check=check_source)
    article = read_source(
        args.input,
        encoding=args.encoding,
        max_bytes=max_input_bytes,
        page_cache=None if args.no_cache else PageCache(),
        fetch=fetch,
    )
    check_german(article, args.input, strict=args.strict)
    location = locate_models({"--model": args.model}, summary_flags=())["--model"]
    _quiet_transformers()
    logger.info("loading %s", args.model)
    translator = marian.load_translator(location, runtime=runtime, num_beams=args.num_beams)
    with (
        progress_bar("translating", args.quiet) as progress,
        translation_cache(not args.no_cache) as cache,
    ):
        result = translate_article(
            article,
            translator,
            budget=budget,
            progress=progress,
            cache=cache,
            retry=not args.no_retry,
        )
    _emit(render(result, _output_format(args.format, args.output, FORMATS)), args.output)
    _report_checks(
        args.input,
        result.checks,
        result.segment_count,
        args.verbose,
        retries=result.retries,
    )
    if args.strict and result.checks:
        return _flagged_exit(len(result.checks))
    return EXIT_OK


def run_summarize(args: argparse.Namespace) -> int:
    from summarize import model as summary_model

    length_settings(args.length, args.max_words)
    check_encoding(args.encoding)
    max_input_bytes = _max_input_bytes(args)
    runtime = _runtime(args)
    _check_single_file(args, max_input_bytes)
    paragraphs = _read_summary_input(args.input, args.encoding, max_input_bytes)
    location = locate_models({"--model": args.model}, summary_flags=("--model",))["--model"]
    check_brief_length(location, args.length, args.max_words, "--model")
    _quiet_transformers()
    logger.info("loading %s", args.model)
    summarizer = summary_model.load_summarizer(
        location or args.model, runtime=runtime, length=args.length, max_words=args.max_words
    )
    text = "\n\n".join(" ".join(filter(None, sentences)) for sentences in paragraphs)
    with progress_bar("summarising", args.quiet, unit="chunk") as progress:
        summary = summarizer.summarize(text, progress=progress)
    checks, support = check_summary(summary.text, paragraphs)
    output_format = _output_format(args.format, args.output, SUMMARY_FORMATS)
    _emit(render_summary(summary, output_format, checks, support), args.output)
    logger.info("%s: %s", args.input, describe_brief_checks(checks, len(support)))
    if args.verbose:
        _list_checks(checks)
    if args.strict and checks:
        return _flagged_exit(len(checks))
    return EXIT_OK


# The options of --engine ray: flag -> RaySettings field (their argparse dest is the
# field's name, but for --ray-address). Unset, they are None, and RaySettings' defaults hold.
RAY_OPTIONS = {
    "--ray-address": "address",
    "--actors": "actors",
    "--gpus-per-actor": "gpus_per_actor",
    "--batch-size": "batch_size",
}


def _ray_settings(args: argparse.Namespace) -> RaySettings | None:
    """The Ray engine's settings under --engine ray (None: the local engine), checked."""
    given = {
        (flag, field): value
        for flag, field in RAY_OPTIONS.items()
        if (value := getattr(args, flag.removeprefix("--").replace("-", "_"))) is not None
    }
    if args.engine != "ray":
        if given:
            flag = next(iter(given))[0]
            raise UsageError(f"{flag} is an option of --engine ray; add --engine ray")
        return None
    check_scale_extra()
    return RaySettings(**{field: value for (_, field), value in given.items()})


def run_run(args: argparse.Namespace) -> int:
    ray_settings = _ray_settings(args)
    plan = plan_job(
        args.inputs,
        args.out_dir,
        translation_model=args.translation_model,
        summary_model=args.summary_model,
        runtime=_runtime(args, warn=False),
        num_beams=args.num_beams,
        batch_tokens=args.batch_tokens,
        length=args.length,
        max_words=args.max_words,
        encoding=args.encoding,
        strict=args.strict,
        retry=not args.no_retry,
        use_cache=not args.no_cache,
        max_input_bytes=_max_input_bytes(args),
        fetch=_fetch_settings(args),
        skip_existing=args.skip_existing,
    )
    _quiet_transformers()
    total = article_count(plan)
    with (
        progress_bar("articles", args.quiet, unit="article") as article_progress,
        progress_bar("translating", args.quiet, position=1) as segment_progress,
        progress_bar("summarising", args.quiet, unit="chunk", position=2) as chunk_progress,
    ):
        article_progress(0, total)
        finished: list[RunResult] = []

        def report(result: RunResult) -> None:
            finished.append(result)
            if result.records is not None:  # an archive's article: a summary at the end
                if not result.ok:
                    logger.error("error: %s", result.error)
            elif result.ok:
                logger.info("%s -> %s", result.input, result.outputs.record.with_suffix(".*"))
                _report_checks(
                    str(result.input),
                    result.checks,
                    result.segments,
                    args.verbose,
                    result.brief_sentences,
                    result.retries,
                )
            else:
                logger.error("error: %s", result.error)
            article_progress(len(finished), max(total, len(finished)))

        if ray_settings is None:
            results = run_job(
                plan, progress=segment_progress, on_result=report, summary_progress=chunk_progress
            )
        else:
            results = run_job_on_ray(plan, ray_settings, on_result=report)
    _report_archives(results)
    failed = [result for result in results if not result.ok]
    counted = "articles" if any(result.records for result in results) else "inputs"
    if failed:
        print(f"debrief: {len(failed)} of {len(results)} {counted} failed", file=sys.stderr)
        return EXIT_SOME_INPUTS_FAILED
    logger.info("%d %s done; outputs in %s", len(results), counted, args.out_dir)
    flagged = sum(len(result.checks) for result in results)
    if args.strict and flagged:
        return _flagged_exit(flagged)
    return EXIT_OK


def _report_archives(results: Sequence[RunResult]) -> None:
    """One line per archive records folder: how many records, failures and flags."""
    folders: dict[Path, list[RunResult]] = {}
    for result in results:
        if result.records is not None:
            folders.setdefault(result.records, []).append(result)
    for folder, archived in folders.items():
        failed = sum(not result.ok for result in archived)
        flagged = sum(bool(result.checks) for result in archived)
        logger.info(
            "%s: %d records written (%d with an error, %d flagged by the checks)",
            folder,
            len(archived),
            failed,
            flagged,
        )


def run_serve(args: argparse.Namespace) -> int:
    from debrief.server.serve import check_address, check_web_extra, load_service, serve

    check_web_extra()
    check_address(args.host, args.port, args.api_key)
    runtime = _runtime(args)
    _quiet_transformers()
    service = load_service(
        args.translation_model,
        args.summary_model,
        runtime,
        num_beams=args.num_beams,
        length=args.length,
        max_words=args.max_words,
        batching=not args.no_batching,
        max_chars=args.max_chars,
        allow_private_urls=args.allow_private_urls,
        retry=not args.no_retry,
    )
    serve(service, args.host, args.port, args.api_key)
    return EXIT_OK


# Python drops a KeyboardInterrupt that is raised while a finalizer runs (a __del__ or
# weakref callback, of which model code runs many); Ctrl-C would then be lost. The
# handler also remembers it, and every progress report raises it again.
_interrupted = threading.Event()


def _on_interrupt(signum: int, frame: object) -> None:
    _interrupted.set()
    raise KeyboardInterrupt


def _raise_if_interrupted() -> None:
    if _interrupted.is_set():
        raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run the `debrief` command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _interrupted.clear()
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous_handler = signal.signal(signal.SIGINT, _on_interrupt) if in_main_thread else None
    try:
        _configure_logging(args.quiet)
        code = args.handler(args)
        _raise_if_interrupted()
        return code
    except DebriefError as error:
        if args.debug:
            raise
        print(f"debrief: error: {printable(str(error))}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        if args.debug:
            raise
        print("debrief: interrupted; no output file is left half-written", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if in_main_thread:
            signal.signal(signal.SIGINT, previous_handler)


if __name__ == "__main__":
    sys.exit(main())
