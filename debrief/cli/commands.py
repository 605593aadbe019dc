"""The subcommands, each a few lines over the library: it checks its options and paths
before any model loads, then calls a public function (`run` is plan_job + run_job,
`translate` is translate_article, `summarize` a summarizer, `serve` the server).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from debrief.brief import check_summary
from debrief.check import CHECK_FORMATS, check_files, describe_report, render_check_report
from debrief.cli.report import (
    EXIT_FLAGGED,
    EXIT_OK,
    EXIT_SOME_INPUTS_FAILED,
    counted,
    describe_brief_checks,
    flagged_exit,
    list_checks,
    report_archives,
    report_checks,
)
from debrief.cli.terminal import progress_bar, quiet_transformers, write_stdout
from debrief.documents import document_format
from debrief.errors import UsageError
from debrief.evaluation import (
    EVAL_FORMATS,
    check_line_counts,
    eval_to_dict,
    evaluate,
    read_lines,
    render_eval_report,
    translate_lines,
)
from debrief.fetch import FetchSettings, PageCache, is_url
from debrief.inputs import check_source, read_source
from debrief.job import run_job, translation_cache
from debrief.options import (
    check_encoding,
    check_max_input_bytes,
    check_num_beams,
    check_output_file,
    job_glossary,
    load_summary_model,
    load_translation_model,
    locate_models,
    locate_summary_model,
    locate_translation_model,
    token_budget,
)
from debrief.outputs.files import write_atomic
from debrief.outputs.formats import (
    DOCUMENT_OUTPUTS,
    SUMMARY_FORMATS,
    TRANSLATE_FORMATS,
    english_of_record,
    render,
    render_summary,
)
from debrief.plan import plan_job
from debrief.ray_engine import RaySettings, check_scale_extra, run_job_on_ray
from debrief.runtime.settings import Runtime, check_device
from debrief.tasks import RunResult, article_count
from summarize.chunking import split_sentences
from summarize.model import length_settings
from translate.article import TranslatedArticle
from translate.language import check_german
from translate.reading import check_input_file, read_article, read_input_bytes

logger = logging.getLogger("debrief")


def _fetch_settings(args: argparse.Namespace) -> FetchSettings:
    return FetchSettings(total_seconds=args.fetch_timeout, user_agent=args.user_agent)


def _runtime(args: argparse.Namespace, *, warn: bool = True) -> Runtime:
    """The backend options, checked (an impossible value is a one-line error); what is
    allowed but unwise is logged unless `warn` is False (plan_job warns itself)."""
    runtime = Runtime(
        backend=args.backend, precision=args.precision, device=args.device, threads=args.threads
    )
    for warning in runtime.warnings() if warn else ():
        logger.warning("%s", warning)
    return runtime


def _check_paths(
    inputs: Sequence[str],
    output: Path | None,
    max_input_bytes: int,
    check: Callable = check_input_file,
) -> None:
    """The paths of `translate`, `summarize` and `check`: readable inputs (`check` says
    which kinds), a writable output that is none of them."""
    for name in inputs:
        if name != "-":
            check(name, max_input_bytes)
    if output is None or _is_stdout(output):
        return
    check_output_file(output)
    which = "the input" if len(inputs) == 1 else "an input"
    for name in inputs:
        source = Path(name)
        if source.exists() and output.exists() and output.samefile(source):
            raise UsageError(f"-o {output} is {which}; choose another output file")


def _output_format(requested: str | None, output: Path | None, allowed: tuple[str, ...]) -> str:
    if requested:
        return requested
    suffix = output.suffix.lstrip(".").lower() if output else ""
    suffix = {"markdown": "md"}.get(suffix, suffix)
    return suffix if suffix in allowed else "txt"


def _max_input_bytes(args: argparse.Namespace) -> int:
    if not math.isfinite(args.max_input_mb):
        raise UsageError(f"--max-input-mb must be a number of megabytes (got {args.max_input_mb})")
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


def _same_path(first: Path, second: Path) -> bool:
    return first.resolve() == second.resolve()


def _is_stdout(output: Path | None) -> bool:
    return output is None or str(output) == "-"


def _emit(text: str, output: Path | None) -> None:
    if not _is_stdout(output):
        write_atomic(output, text)
        logger.info("wrote %s", output)
    else:
        write_stdout(text)


def _check_document_output(args: argparse.Namespace) -> None:
    """A document output (.docx, .pptx, .odt, .odp, .epub) needs an input of its kind
    (its layout is what the English is put into) and a file to write (a document on a
    terminal is no use)."""
    if not args.format and args.output and args.output.suffix.lower() == ".pdf":
        raise UsageError(
            "debrief does not write PDF (a PDF's layout is not kept); choose -o FILE.txt, "
            ".md, .json or .html"
        )
    output_format = _output_format(args.format, args.output, TRANSLATE_FORMATS)
    if output_format not in DOCUMENT_OUTPUTS:
        return
    if is_url(str(args.input)) or Path(str(args.input)).suffix.lower() != f".{output_format}":
        raise UsageError(
            f"a .{output_format} output is made from a .{output_format} input; for this "
            "input choose txt, md, json or html"
        )
    if _is_stdout(args.output):
        raise UsageError(
            f"a .{output_format} output needs -o FILE.{output_format}, not the terminal"
        )


def _emit_document(
    args: argparse.Namespace, max_input_bytes: int, output_format: str, result: TranslatedArticle
) -> None:
    original = read_input_bytes(args.input, max_input_bytes)
    found = document_format(original, str(args.input))
    if found is None or found.suffix != f".{output_format}" or found.write is None:
        raise UsageError(
            f"{args.input} does not hold a .{output_format} document; choose txt, md, json or html"
        )
    write_atomic(args.output, found.write(original, str(args.input), result))
    logger.info("wrote %s", args.output)


def run_translate(args: argparse.Namespace) -> int:
    from translate.pipeline import translate_article

    check_num_beams(args.num_beams)
    budget = token_budget(args.batch_tokens)
    check_encoding(args.encoding)
    max_input_bytes = _max_input_bytes(args)
    fetch = _fetch_settings(args)
    runtime = _runtime(args)
    _check_paths([args.input], args.output, max_input_bytes, check=check_source)
    _check_document_output(args)
    glossary = job_glossary(args.glossary, args.english_names)
    article = read_source(
        args.input,
        encoding=args.encoding,
        max_bytes=max_input_bytes,
        page_cache=None if args.no_cache else PageCache(),
        fetch=fetch,
    )
    check_german(article, args.input, strict=args.strict)
    location = locate_translation_model(args.model, "--model")
    check_device(runtime)
    quiet_transformers()
    translator = load_translation_model(location, runtime, num_beams=args.num_beams, flag="--model")
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
            glossary=glossary,
        )
    output_format = _output_format(args.format, args.output, TRANSLATE_FORMATS)
    if output_format in DOCUMENT_OUTPUTS:
        _emit_document(args, max_input_bytes, output_format, result)
    else:
        _emit(render(result, output_format), args.output)
    report_checks(
        args.input,
        result.checks,
        result.segment_count,
        args.verbose,
        retries=result.retries,
    )
    if args.strict and result.checks:
        return flagged_exit(len(result.checks))
    return EXIT_OK


def run_summarize(args: argparse.Namespace) -> int:
    length_settings(args.length, args.max_words)
    check_encoding(args.encoding)
    max_input_bytes = _max_input_bytes(args)
    runtime = _runtime(args)
    _check_paths([args.input], args.output, max_input_bytes)
    paragraphs = _read_summary_input(args.input, args.encoding, max_input_bytes)
    location = locate_summary_model(args.model, "--model", args.length, args.max_words)
    if location is not None:
        check_device(runtime)
    quiet_transformers()
    summarizer = load_summary_model(
        location or args.model,
        runtime,
        length=args.length,
        max_words=args.max_words,
        flag="--model",
    )
    text = "\n\n".join(" ".join(filter(None, sentences)) for sentences in paragraphs)
    with progress_bar("summarising", args.quiet, unit="chunk") as progress:
        summary = summarizer.summarize(text, progress=progress)
    checks, support = check_summary(summary.text, paragraphs)
    output_format = _output_format(args.format, args.output, SUMMARY_FORMATS)
    _emit(render_summary(summary, output_format, checks, support), args.output)
    logger.info("%s: %s", args.input, describe_brief_checks(checks, len(support)))
    if args.verbose:
        list_checks(checks)
    if args.strict and checks:
        return flagged_exit(len(checks))
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    check_encoding(args.encoding)
    max_input_bytes = _max_input_bytes(args)
    if args.german == "-" and args.english == "-":
        raise UsageError("GERMAN and ENGLISH cannot both be standard input; name a file")
    _check_paths([args.german, args.english], args.output, max_input_bytes)
    glossary = job_glossary(args.glossary, args.english_names)
    report = check_files(
        args.german,
        args.english,
        lines=args.lines,
        encoding=args.encoding,
        max_bytes=max_input_bytes,
        glossary=glossary,
    )
    _emit(
        render_check_report(report, _output_format(args.format, args.output, CHECK_FORMATS)),
        args.output,
    )
    logger.info("%s: %s", args.english, describe_report(report))
    if args.strict and report.flagged:
        print(
            f"debrief: {report.flagged} segments flagged by the checks; --strict exits 3",
            file=sys.stderr,
        )
        return EXIT_FLAGGED
    return EXIT_OK


def run_eval(args: argparse.Namespace) -> int:
    check_encoding(args.encoding)
    max_input_bytes = _max_input_bytes(args)
    inputs = [args.source, *args.ref, *([args.hyp] if args.hyp is not None else [])]
    if inputs.count("-") > 1:
        raise UsageError("only one of --source, --ref and --hyp can be standard input (-)")
    if args.save_translation is not None and args.translation_model is None:
        raise UsageError("--save-translation writes the translation of --translation-model")
    _check_paths(inputs, args.output, max_input_bytes)
    if args.save_translation is not None:
        _check_paths(inputs, args.save_translation, max_input_bytes)
        if args.output is not None and _same_path(args.output, args.save_translation):
            raise UsageError("-o and --save-translation name one file; choose two")
    read = {
        name: read_lines(name, encoding=args.encoding, max_bytes=max_input_bytes) for name in inputs
    }
    check_line_counts(read)
    source, references = read[args.source], [read[name] for name in args.ref]
    timing = None
    if args.hyp is not None:
        hypotheses = read[args.hyp]
    else:
        check_num_beams(args.num_beams)
        budget = token_budget(args.batch_tokens)
        runtime = _runtime(args)
        flag = "--translation-model"
        location = locate_models({flag: args.translation_model}, summary_flags=())[flag]
        quiet_transformers()
        translator = load_translation_model(location, runtime, num_beams=args.num_beams, flag=flag)
        with progress_bar("translating", args.quiet) as progress:
            hypotheses, timing = translate_lines(
                source, translator, budget=budget, progress=progress, retry=not args.no_retry
            )
        if args.save_translation is not None:
            write_atomic(args.save_translation, "".join(line + "\n" for line in hypotheses))
            logger.info("wrote %s", args.save_translation)
    names = {
        "source": args.source,
        "references": args.ref,
        "hypothesis": args.hyp,
        "model": args.translation_model,
    }
    report = evaluate(source, references, hypotheses, ter=args.ter, timing=timing, names=names)
    output_format = _output_format(args.format, args.output, EVAL_FORMATS)
    text = (
        json.dumps(eval_to_dict(report), ensure_ascii=False, indent=2) + "\n"
        if output_format == "json"
        else render_eval_report(report)
    )
    _emit(text, args.output)
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


def job_options(args: argparse.Namespace) -> dict:
    """`plan_job`'s options from the options `run` and `digest` share."""
    return {
        "translation_model": args.translation_model,
        "summary_model": args.summary_model,
        "runtime": _runtime(args, warn=False),
        "num_beams": args.num_beams,
        "batch_tokens": args.batch_tokens,
        "length": args.length,
        "max_words": args.max_words,
        "encoding": args.encoding,
        "strict": args.strict,
        "retry": not args.no_retry,
        "use_cache": not args.no_cache,
        "max_input_bytes": _max_input_bytes(args),
        "fetch": _fetch_settings(args),
        "glossary": job_glossary(args.glossary, args.english_names),
    }


def run_run(args: argparse.Namespace) -> int:
    ray_settings = _ray_settings(args)
    plan = plan_job(
        args.inputs, args.out_dir, skip_existing=args.skip_existing, **job_options(args)
    )
    quiet_transformers()
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
                report_checks(
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
    report_archives(results)
    failed = [result for result in results if not result.ok]
    noun = "article" if any(result.records for result in results) else "input"
    if failed:
        print(f"debrief: {len(failed)} of {counted(len(results), noun)} failed", file=sys.stderr)
        return EXIT_SOME_INPUTS_FAILED
    logger.info("%s done; outputs in %s", counted(len(results), noun), args.out_dir)
    flagged = sum(len(result.checks) for result in results)
    if args.strict and flagged:
        return flagged_exit(flagged)
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    from debrief.server.serve import (
        check_address,
        check_cors_origins,
        check_web_extra,
        load_service,
        serve,
        server_digest,
    )

    check_web_extra()
    check_address(args.host, args.port, args.api_key)
    origins = check_cors_origins(args.cors_origin)
    digest = server_digest(args.digest_dir, args.feed_lists)
    runtime = _runtime(args)
    quiet_transformers()
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
        glossary=job_glossary(args.glossary, args.english_names),
    )
    serve(service, args.host, args.port, args.api_key, origins, digest and digest(service))
    return EXIT_OK
