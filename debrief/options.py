"""Everything a user can get wrong, checked before any model loads, and the one pair of
model loaders: what `run`, `translate`, `summarize` and `serve` share.

Each check raises a one-line `UsageError` (or `ModelNotFoundError`, `ModelLoadError`),
exit code 2, that names the option and says what to do; a mistake costs well under a
second, not the minutes of loading a model.
"""

from __future__ import annotations

import codecs
import logging
import os
import tempfile
from collections.abc import Collection, Sequence
from pathlib import Path

from debrief.errors import ModelNotFoundError, UsageError
from debrief.runtime import models
from debrief.runtime.engine import check_model_type
from debrief.runtime.models import ModelLocation, saved_config
from debrief.runtime.settings import Runtime
from summarize import model as summary_model
from summarize.model import (
    LEAD_3,
    SEQ2SEQ,
    Summarizer,
    input_window,
    lead_sentences,
    length_settings,
    max_words_within,
)
from translate import marian
from translate.glossary import Glossary, read_glossaries
from translate.marian import MARIAN
from translate.pipeline import TokenBudget, Translator
from translate.transliteration import names_glossary

logger = logging.getLogger("debrief")


# Beam search keeps this many hypotheses per sentence (the retry twice as many); past 16
# the memory grows with no gain a reader would see (opus-mt's own setting is 4).
MAX_NUM_BEAMS = 16
# The options of `run` and `serve` that name the two models, for messages.
TRANSLATION_MODEL_FLAG = "--translation-model"
SUMMARY_MODEL_FLAG = "--summary-model"


def check_num_beams(num_beams: int | None) -> None:
    """Refuse a beam width outside 1..MAX_NUM_BEAMS (None: the model's own)."""
    if num_beams is not None and not 1 <= num_beams <= MAX_NUM_BEAMS:
        raise UsageError(
            f"--num-beams must be between 1 and {MAX_NUM_BEAMS} (got {num_beams}); "
            "leave it out for the model's own (4 for opus-mt)"
        )


def job_glossary(paths: Sequence[str], english_names: bool = False) -> Glossary | None:
    """The glossary of `--glossary` files and, with `english_names`, debrief's own table
    of names spelled the English way (a German term the files give wins over it); None
    when neither is asked for. Bad files are a one-line InputError (exit 2)."""
    if not paths and not english_names:
        return None
    glossary = read_glossaries(paths) if paths else Glossary(())
    return names_glossary().updated(glossary.terms) if english_names else glossary


def token_budget(batch_tokens: int) -> TokenBudget:
    """The batch budget for `--batch-tokens`, which must be at least 1."""
    if batch_tokens < 1:
        raise UsageError(f"--batch-tokens must be at least 1 (got {batch_tokens})")
    return TokenBudget(max_tokens=batch_tokens)


def check_encoding(encoding: str | None) -> None:
    """Refuse an encoding Python does not know (None: detect it)."""
    if encoding is None:
        return
    try:
        # Python knows codecs that are no text encodings (base64, rot13) and one that
        # refuses everything ("undefined"); decoding a few bytes tells them apart.
        if not codecs.lookup(encoding)._is_text_encoding:
            raise LookupError(encoding)
        b"\x00\x00\x00\x00".decode(encoding)  # four bytes: a whole character in any width
    except (LookupError, UnicodeError):
        raise UsageError(
            f"unknown --encoding '{encoding}'; try utf-8, utf-16, cp1252 or latin-1, "
            "or leave it out to detect the encoding"
        ) from None


def check_max_input_bytes(max_input_bytes: int) -> None:
    """Refuse an input size limit under one byte."""
    if max_input_bytes < 1:
        raise UsageError("--max-input-mb must be more than 0")


def _existing_ancestor(path: Path) -> Path:
    path = Path(os.path.abspath(path))
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_output_directory(directory: Path, flag: str = "--out-dir") -> None:
    """Refuse a folder that is not a folder, or cannot be made or written to. `flag` is
    how messages start: the option and the folder ("--out-dir out"), or for a file's
    folder the option and the file, ending in ":" ("-o out/x.txt:")."""
    where = flag if flag.endswith(":") else f"{flag} {directory}:"
    ancestor = _existing_ancestor(directory)
    if not ancestor.is_dir():
        raise UsageError(f"{where} {ancestor} is a file, not a folder; choose a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        what = (
            "cannot be written to"
            if ancestor == Path(os.path.abspath(directory))
            else (f"cannot be made ({ancestor} is not writable)")
        )
        raise UsageError(f"{where} {what}; choose a folder you can write to")
    # Permissions do not tell everything (root passes them; /proc and read-only mounts
    # still refuse): a folder made and removed at once says whether outputs can go there.
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".debrief-probe-", dir=ancestor))
    except OSError as error:
        raise UsageError(
            f"{where} nothing can be written in {ancestor} "
            f"({error.strerror or error}); choose a folder you can write to"
        ) from None


def check_output_file(path: Path, flag: str = "-o") -> None:
    """Refuse an output path that is a folder, or whose folder cannot be made or written.
    A special file you may write (/dev/null, a FIFO, a terminal) is written into, so its
    folder does not matter."""
    if path.is_dir():
        raise UsageError(f"{flag} {path}: is a folder; name a file")
    if path.exists() and not path.is_file() and os.access(path, os.W_OK):
        return
    check_output_directory(path.parent, f"{flag} {path}:")


def locate_models(
    names: dict[str, str], summary_flags: Collection[str] = (SUMMARY_MODEL_FLAG,)
) -> dict[str, ModelLocation | None]:
    """Find each model (option flag -> name), all of them before any error is raised, so
    that one try reports every missing model. A lead-N summarizer, named by one of
    `summary_flags`, needs no files (None)."""
    found: dict[str, ModelLocation | None] = {}
    missing: list[str] = []
    for flag, name in names.items():
        if flag in summary_flags and lead_sentences(name) is not None:
            found[flag] = None
            continue
        try:
            found[flag] = models.locate_model(name, flag=flag)
        except ModelNotFoundError as error:
            hint = (
                f" (did you mean {LEAD_3}?)"
                if flag in summary_flags and name.startswith("lead")
                else ""
            )
            missing.append(f"{error}{hint}")
    if missing:
        raise ModelNotFoundError("; and ".join(missing))
    return found


def check_brief_length(
    location: ModelLocation | None, length: str | None, max_words: int | None, flag: str
) -> None:
    """Refuse a brief length the summary model cannot write within its window (a brief
    may take at most half of it, or map-reduce would not converge)."""
    settings = length_settings(length, max_words)
    if location is None or "max_length" not in settings:
        return
    window = input_window(saved_config(location))
    if settings["max_length"] * 2 <= window:
        return
    if max_words is not None:
        raise UsageError(
            f"--max-words {max_words} is more than {flag} {location.name} can write within "
            f"its {window}-token window; use at most {max_words_within(window)}"
        )
    raise UsageError(
        f"--length {length} is too long for {flag} {location.name} (window {window} tokens); "
        "choose a shorter --length"
    )


def locate_job_models(
    translation_model: str,
    summary_model: str,
    length: str | None = None,
    max_words: int | None = None,
) -> tuple[ModelLocation, ModelLocation | None]:
    """Both models of a job, found (every missing one reported at once) and of the
    right kind, and the brief's length within the summary model's window. The summary's
    location is None for a lead-N baseline."""
    located = locate_models(
        {TRANSLATION_MODEL_FLAG: translation_model, SUMMARY_MODEL_FLAG: summary_model}
    )
    translation = located[TRANSLATION_MODEL_FLAG]
    assert translation is not None  # a translation model is never lead-N
    check_model_type(translation, MARIAN, TRANSLATION_MODEL_FLAG)
    summary = located[SUMMARY_MODEL_FLAG]
    if summary is not None:
        check_model_type(summary, SEQ2SEQ, SUMMARY_MODEL_FLAG)
    check_brief_length(summary, length, max_words, SUMMARY_MODEL_FLAG)
    return translation, summary


def locate_translation_model(name: str, flag: str = TRANSLATION_MODEL_FLAG) -> ModelLocation:
    """The translation model of `translate`, found and of the right kind, before anything
    is read or loaded."""
    location = locate_models({flag: name}, summary_flags=())[flag]
    assert location is not None  # a translation model is never lead-N
    check_model_type(location, MARIAN, flag)
    return location


def locate_summary_model(
    name: str,
    flag: str = SUMMARY_MODEL_FLAG,
    length: str | None = None,
    max_words: int | None = None,
) -> ModelLocation | None:
    """The summary model of `summarize`, found, of the right kind and with a window that
    holds the brief's length; None for a lead-N baseline."""
    location = locate_models({flag: name}, summary_flags=(flag,))[flag]
    if location is not None:
        check_model_type(location, SEQ2SEQ, flag)
    check_brief_length(location, length, max_words, flag)
    return location


def model_name(model: ModelLocation | str) -> str:
    """A model as messages name it: its Hub id or the path it was given as."""
    return model.name if isinstance(model, ModelLocation) else model


def load_translation_model(
    model: ModelLocation | str,
    runtime: Runtime | None = None,
    *,
    num_beams: int | None = None,
    flag: str = TRANSLATION_MODEL_FLAG,
) -> Translator:
    """The translation model, loaded (the one loader of run, translate and serve)."""
    logger.info("loading %s", model_name(model))
    return marian.load_translator(model, runtime=runtime, num_beams=num_beams, flag=flag)


def load_summary_model(
    model: ModelLocation | str,
    runtime: Runtime | None = None,
    *,
    length: str | None = None,
    max_words: int | None = None,
    flag: str = SUMMARY_MODEL_FLAG,
) -> Summarizer:
    """The summary model (or a lead-N baseline), loaded (the one loader of run,
    summarize and serve)."""
    logger.info("loading %s", model_name(model))
    return summary_model.load_summarizer(
        model, runtime=runtime, length=length, max_words=max_words, flag=flag
    )
