"""The plan of a job: what `debrief run` will do, every input, output and option checked
before any model loads (`plan_job`), frozen in a `JobPlan` that the local and the Ray
engine run alike.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from debrief.archives import check_archive, is_archive, shard_files
from debrief.errors import UsageError
from debrief.fetch import FetchSettings, is_url
from debrief.inputs import check_scheme, check_source
from debrief.options import (
    check_encoding,
    check_max_input_bytes,
    check_num_beams,
    check_output_directory,
    locate_job_models,
    token_budget,
)
from debrief.outputs.paths import check_distinct_outputs, output_paths, output_stems
from debrief.runtime.models import ModelLocation
from debrief.runtime.settings import Runtime, check_device
from summarize.model import DEFAULT_SUMMARY_MODEL, length_settings
from translate.glossary import Glossary
from translate.marian import DEFAULT_TRANSLATION_MODEL
from translate.pipeline import TokenBudget
from translate.reading import MAX_INPUT_BYTES

logger = logging.getLogger("debrief")


@dataclass(frozen=True)
class JobPlan:
    """Everything `run_job` needs, already checked. Build it with `plan_job`.

    The models are located (`ModelLocation`), or for the summary None for a lead-N
    baseline named in `summary_model`.
    """

    inputs: tuple[str | Path, ...]  # files, "-" or http(s) URLs
    out_dir: Path
    stems: tuple[str, ...] = ()  # each input's output stem; () derives them
    translation_model: ModelLocation | str = DEFAULT_TRANSLATION_MODEL
    summary_model: ModelLocation | str = DEFAULT_SUMMARY_MODEL
    runtime: Runtime = field(default_factory=Runtime)
    num_beams: int | None = None
    budget: TokenBudget = field(default_factory=TokenBudget)
    length: str | None = None
    max_words: int | None = None
    encoding: str | None = None
    strict: bool = False
    retry: bool = True
    use_cache: bool = True
    max_input_bytes: int = MAX_INPUT_BYTES
    fetch: FetchSettings = field(default_factory=FetchSettings)
    skip_existing: bool = False
    glossary: Glossary | None = None


def plan_job(
    inputs: Sequence[str | Path],
    out_dir: str | Path = "out",
    *,
    translation_model: str = DEFAULT_TRANSLATION_MODEL,
    summary_model: str = DEFAULT_SUMMARY_MODEL,
    runtime: Runtime | None = None,
    num_beams: int | None = None,
    batch_tokens: int = TokenBudget.max_tokens,
    length: str | None = None,
    max_words: int | None = None,
    encoding: str | None = None,
    strict: bool = False,
    retry: bool = True,
    use_cache: bool = True,
    max_input_bytes: int = MAX_INPUT_BYTES,
    fetch: FetchSettings | None = None,
    skip_existing: bool = False,
    glossary: Glossary | None = None,
    inputs_later: bool = False,
) -> JobPlan:
    """Check a `debrief run` job and return its plan; nothing loads, nothing is written.

    Inputs are article files, saved pages, URLs and archives (debrief/archives.py). With
    `skip_existing`, an input whose four files are there, and an archive article whose
    record is, are left out; without it, an archive whose records folder already holds
    shards is refused (new records would mix with the old ones). With `inputs_later`
    (a digest, whose items are known once its feeds are read) no inputs are needed:
    the options, models and folder are checked, the inputs are filled in later. A `glossary`
    (debrief.options.job_glossary reads one) is enforced and checked in every segment.

    Raises a one-line `DebriefError` (exit code 2) for: an option out of range, an input
    that is missing or not a readable file, an output folder that cannot be written, two
    inputs that would write the same outputs, an output that would overwrite an input,
    models that cannot be found (all of them reported at once), a model of the wrong
    kind, a brief too long for the summary model, and --device cuda without a GPU.
    """
    for source in inputs:
        check_scheme(source)
    paths = tuple(source if is_url(source) else Path(source) for source in inputs)
    out_dir = Path(out_dir)
    runtime = runtime or Runtime()
    check_num_beams(num_beams)
    budget = token_budget(batch_tokens)
    length_settings(length, max_words)
    check_encoding(encoding)
    if not paths and not inputs_later:
        raise UsageError("no input given; pass one or more German article files")
    check_max_input_bytes(max_input_bytes)
    for path in paths:
        if is_archive(path):
            check_archive(Path(path))
        else:
            check_source(path, max_input_bytes)
    check_output_directory(out_dir)
    stems = tuple(output_stems(paths))
    for path, stem in zip(paths, stems, strict=True):
        if is_archive(path):
            check_records_folder(out_dir / stem, skip_existing)
            continue
        for output in output_paths(path, out_dir, stem):
            if output.is_dir():
                raise UsageError(f"{output} is a folder; move it or choose another --out-dir")
    check_distinct_outputs(paths, out_dir, stems)
    translation_location, summary_location = locate_job_models(
        translation_model, summary_model, length, max_words
    )
    check_device(runtime)
    for warning in runtime.warnings():
        logger.warning("%s", warning)
    return JobPlan(
        inputs=paths,
        out_dir=out_dir,
        stems=stems,
        translation_model=translation_location,
        summary_model=summary_location or summary_model,
        runtime=runtime,
        num_beams=num_beams,
        budget=budget,
        length=length,
        max_words=max_words,
        encoding=encoding,
        strict=strict,
        retry=retry,
        use_cache=use_cache,
        max_input_bytes=max_input_bytes,
        fetch=fetch or FetchSettings(),
        skip_existing=skip_existing,
        glossary=glossary,
    )


def check_records_folder(folder: Path, skip_existing: bool) -> None:
    """Refuse an archive's records folder that is a file, or that holds shards of an
    earlier run when `skip_existing` is off (the new records would mix with them)."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file; the archive's records need a folder there")
    if shard_files(folder) and not skip_existing:
        raise UsageError(
            f"{folder} already holds records of an earlier run; pass --skip-existing to "
            "finish that run, or choose another --out-dir"
        )
