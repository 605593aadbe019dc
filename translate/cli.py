"""The `debrief` command. Each subcommand is a few lines over the public API.

Only `main` turns errors into exit codes; see the README for the table.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from translate import __version__
from translate.article import Article, parse_article, read_article
from translate.errors import DebriefError, InputError
from translate.marian import DEFAULT_TRANSLATION_MODEL
from translate.pipeline import Progress
from translate.writers import FORMATS, render, write_atomic

EXIT_OK = 0
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="debrief",
        description="Translate German news articles into English on your own machine.",
    )
    parser.add_argument("--version", action="version", version=f"debrief {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    translate = commands.add_parser(
        "translate",
        help="translate one German article into English",
        description="Translate a German article file paragraph by paragraph into English.",
    )
    translate.add_argument("input", metavar="INPUT", help="article file, or - for standard input")
    translate.add_argument(
        "-o", "--output", metavar="OUT", type=Path, help="output file (default: standard output)"
    )
    translate.add_argument(
        "--format",
        choices=FORMATS,
        help="output format (default: from the OUT file's suffix, else txt)",
    )
    translate.add_argument(
        "--model",
        default=DEFAULT_TRANSLATION_MODEL,
        metavar="ID_OR_PATH",
        help="MarianMT model: a Hub id or a save_pretrained directory "
        f"(default: {DEFAULT_TRANSLATION_MODEL})",
    )
    translate.add_argument(
        "--num-beams",
        type=int,
        metavar="N",
        help="beam size (default: the model's own, 4 for opus-mt)",
    )
    translate.add_argument(
        "--device",
        choices=("auto", "cpu", "cuda"),
        default="auto",
        help="default: auto (CUDA if present)",
    )
    for command in (translate,):
        command.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
        command.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    translate.set_defaults(handler=run_translate)
    return parser


@contextmanager
def progress_bar(description: str, quiet: bool) -> Iterator[Progress]:
    """A `Progress` callback drawing a tqdm bar on stderr, or doing nothing when quiet."""
    if quiet:
        yield lambda done, total: None
        return
    from tqdm import tqdm

    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=description, unit="seg", file=sys.stderr, leave=False)
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()


def _quiet_transformers() -> None:
    # Our own progress bar covers the work; transformers' weight-loading bars and
    # advisory warnings would only bury it.
    from transformers.utils import logging

    logging.disable_progress_bar()
    logging.set_verbosity_error()


def _output_format(requested: str | None, output: Path | None) -> str:
    if requested:
        return requested
    suffix = output.suffix.lstrip(".").lower() if output else ""
    return {"json": "json", "md": "md", "markdown": "md"}.get(suffix, "txt")


def _status(message: str, quiet: bool) -> None:
    if not quiet:
        print(f"debrief: {message}", file=sys.stderr)


def _read_input(name: str) -> Article:
    if name != "-":
        return read_article(name)
    article = parse_article(sys.stdin.read())
    if not article.paragraphs:
        raise InputError("standard input holds no text to translate")
    return article


def run_translate(args: argparse.Namespace) -> int:
    from translate.marian import MarianTranslator
    from translate.pipeline import translate_article

    article = _read_input(args.input)
    _quiet_transformers()
    _status(f"loading {args.model}", args.quiet)
    translator = MarianTranslator.from_pretrained(
        args.model, device=args.device, num_beams=args.num_beams
    )
    with progress_bar("translating", args.quiet) as progress:
        result = translate_article(article, translator, progress=progress)
    text = render(result, _output_format(args.format, args.output))
    if args.output:
        write_atomic(args.output, text)
        _status(f"wrote {args.output}", args.quiet)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run the `debrief` command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except DebriefError as error:
        if args.debug:
            raise
        print(f"debrief: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        if args.debug:
            raise
        print("debrief: interrupted; no output was written", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
