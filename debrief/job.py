"""THE job of `debrief run`: translate, free, summarize, check, write.

    from debrief.job import plan_job, run_job

    plan = plan_job(["seeds/belarus-russland-2020-08.de.txt"], "out")
    results = run_job(plan)

`plan_job` (debrief/plan.py) checks everything a user can get wrong before any model
loads. `run_job` then loads the translator, translates the sentences of all inputs
together, frees the translator, loads the summarizer, and briefs, checks and writes each
input. The CLI runs exactly this; the web server runs its steps on each request
(`translate_articles`, `brief_translation`) and the Ray engine (debrief/ray_engine.py)
runs the same steps on actor pools. One failing input is reported and the others still
run.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from debrief.brief import Debrief, brief_translation
from debrief.fetch import PageCache
from debrief.options import load_summary_model, load_translation_model
from debrief.outputs.writer import OutputWriter
from debrief.plan import JobPlan, plan_job
from debrief.tasks import (
    ArticleTask,
    RunResult,
    plan_tasks,
    read_tasks,
    records_held,
    task_chunks,
)
from summarize.model import Summarizer
from translate.article import Article, TranslatedArticle
from translate.cache import CacheUnusable, TranslationCache
from translate.pipeline import Progress, Translator, translate_articles

__all__ = [
    "JobPlan",
    "RunResult",
    "brief_outcome",
    "load_job_summarizer",
    "load_job_translator",
    "plan_job",
    "run_job",
    "translate_read",
    "translation_cache",
]


logger = logging.getLogger("debrief")


def translate_read(
    tasks: Sequence[ArticleTask],
    read: Sequence[Article | RunResult],
    translator: Translator,
    plan: JobPlan,
    *,
    cache: TranslationCache | None = None,
    progress: Progress | None = None,
    article_segments: Sequence[Sequence[Sequence[str]] | None] | None = None,
) -> list[TranslatedArticle | RunResult]:
    """Translate the articles `read_tasks` read, their sentences batched together; a
    failure passes through. `article_segments` gives each article's segments when they
    were cut already. With the plan's `retry`, flagged segments are translated again.

    If the joint pass fails (something in one text broke the model), the articles are
    translated one by one to tell which; the cache keeps what the joint pass finished.
    """
    outcomes: dict[int, TranslatedArticle | RunResult] = {
        index: outcome for index, outcome in enumerate(read) if isinstance(outcome, RunResult)
    }
    readable = [index for index, outcome in enumerate(read) if isinstance(outcome, Article)]

    def translate(indices: list[int]) -> None:
        segments = None
        if article_segments is not None:
            segments = [article_segments[index] for index in indices]
        translated = translate_articles(
            [read[index] for index in indices],  # type: ignore[misc]
            translator,
            budget=plan.budget,
            progress=progress,
            cache=cache,
            retry=plan.retry,
            article_segments=segments,  # type: ignore[arg-type]
            glossary=plan.glossary,
        )
        outcomes.update(zip(indices, translated, strict=True))

    try:
        translate(readable)
    except Exception:
        logger.debug("joint translation failed; retrying article by article", exc_info=True)
        for index in readable:
            try:
                translate([index])
            except Exception as error:
                outcomes[index] = tasks[index].failed(error)
    return [outcomes[index] for index in range(len(read))]


def brief_outcome(
    task: ArticleTask,
    outcome: TranslatedArticle | RunResult,
    summarizer: Summarizer,
    progress: Progress | None = None,
) -> Debrief | RunResult:
    """Brief a translated article (a failure passes through, and a failing brief is
    one)."""
    if isinstance(outcome, RunResult):
        return outcome
    try:
        if task.records is None:  # an archive's articles are too many to name each
            logger.info("%s: summarising with %s", task.name, summarizer.name)
        return brief_translation(outcome, summarizer, progress)
    except Exception as error:
        return task.failed(error)


@contextmanager
def translation_cache(enabled: bool) -> Iterator[TranslationCache | None]:
    """The on-disk translation cache, closed afterwards; None when disabled, or (with one
    warning) when it cannot be used here: the cache never costs a run."""
    if not enabled:
        yield None
        return
    try:
        cache = TranslationCache()
    except CacheUnusable as error:
        logger.warning("warning: no translation cache (%s); going on without it", error)
        yield None
        return
    try:
        yield cache
    finally:
        cache.close()


def load_job_translator(plan: JobPlan) -> Translator:
    """The plan's translator, loaded."""
    return load_translation_model(plan.translation_model, plan.runtime, num_beams=plan.num_beams)


def load_job_summarizer(plan: JobPlan) -> Summarizer:
    """The plan's summarizer, loaded."""
    return load_summary_model(
        plan.summary_model, plan.runtime, length=plan.length, max_words=plan.max_words
    )


# Articles translated before the summarizer takes over, in a local run. Each part loads
# both models once (about 20 s with the full-size models, under 0.3% of 500 articles'
# work), and holds at most this many translations: a large archive runs in bounded memory.
LOCAL_PART_ARTICLES = 500


def run_job(
    plan: JobPlan,
    *,
    progress: Progress | None = None,
    on_result: Callable[[RunResult], None] | None = None,
    translator: Translator | None = None,
    summarizer: Summarizer | None = None,
    summary_progress: Progress | None = None,
) -> list[RunResult]:
    """Run the job `plan` describes on this machine; one result per article, in order
    (an input's, then its archives' articles).

    The translator loads first and translates the sentences of every article together;
    it is freed before the summarizer loads, so peak memory is the larger model's, not
    both together. An archive of more than `LOCAL_PART_ARTICLES` articles runs in parts
    of that many, each translated, then briefed. `progress(done, total)` follows the
    translated pieces (retries too), `summary_progress` the chunks of each brief;
    `on_result` hears of each article as it is written (or fails). `translator` and
    `summarizer` replace the plan's models (tests pass fakes; a server may pass loaded
    models).
    """
    results: list[RunResult] = []
    page_cache = PageCache() if plan.use_cache else None
    with records_held(plan), OutputWriter() as writer:
        for tasks in task_chunks(plan_tasks(plan), LOCAL_PART_ARTICLES):
            part_translator = translator or load_job_translator(plan)
            with translation_cache(plan.use_cache) as cache:
                read = read_tasks(tasks, plan, page_cache)
                translations = translate_read(
                    tasks, read, part_translator, plan, cache=cache, progress=progress
                )
            del part_translator  # before the summarizer loads, unless the caller owns it
            gc.collect()
            part_summarizer = summarizer or load_job_summarizer(plan)
            for task, translated in zip(tasks, translations, strict=True):
                outcome = brief_outcome(task, translated, part_summarizer, summary_progress)
                result = writer.write(task, outcome)
                results.append(result)
                if on_result:
                    on_result(result)
            del part_summarizer
            gc.collect()
    return results
