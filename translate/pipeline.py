"""Translate an article: segment, split what is too long, batch by length, reassemble.

Everything here is pure Python over a `Translator`; the model lives behind that protocol,
so tests drive the whole pipeline with a deterministic fake.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from translate.article import (
    Article,
    Check,
    TranslatedArticle,
    TranslatedParagraph,
    TranslatedSegment,
)
from translate.cache import TranslationCache, model_identity
from translate.checks import check_segment
from translate.glossary import Glossary
from translate.segment import (
    collapse_whitespace,
    join_pieces,
    segment_paragraph,
    split_clauses,
    split_to_fit,
)

logger = logging.getLogger("debrief")

Progress = Callable[[int, int], None]
"""Called as progress(done, total) with counts of translated pieces."""


class Translator(Protocol):
    """What the pipeline needs from a translation model."""

    name: str
    revision: str | None
    max_input_tokens: int

    @property
    def settings(self) -> dict[str, Any]: ...

    def count_tokens(self, texts: Sequence[str]) -> list[int]: ...

    def translate_batch(self, texts: Sequence[str], *, num_beams: int | None = None) -> list[str]:
        """Translations of `texts`; `num_beams`, when given, overrides the beam width
        (only the checks' retry passes it)."""
        ...


@dataclass(frozen=True)
class TokenBudget:
    """How much one batch may hold: padded tokens (rows x longest row) and rows.

    A batch decodes until its longest translation is done, so every shorter row in it
    costs wasted steps; larger batches share each step's overhead. On the full-size
    opus-mt twin (benchmarks/), 8 rows of length-sorted sentences beat 64 rows by 1.2x
    in torch and 2x in CTranslate2, and hold a third less memory.
    """

    max_tokens: int = 4096
    max_segments: int = 8


def plan_batches(lengths: Sequence[int], budget: TokenBudget) -> list[list[int]]:
    """Group indices into batches by token length, longest first, within `budget`.

    Sorting first means each batch pads to a length close to all of its rows. A single
    row longer than the budget gets a batch of its own. Every index appears exactly once.
    """
    order = sorted(range(len(lengths)), key=lambda index: (-lengths[index], index))
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for index in order:
        widest = max(longest, lengths[index])
        too_many_tokens = widest * (len(current) + 1) > budget.max_tokens
        if current and (too_many_tokens or len(current) >= budget.max_segments):
            batches.append(current)
            current, widest = [], lengths[index]
        current.append(index)
        longest = widest
    if current:
        batches.append(current)
    return batches


def translate_texts(
    texts: Sequence[str],
    translator: Translator,
    *,
    budget: TokenBudget | None = None,
    progress: Progress | None = None,
    cache: TranslationCache | None = None,
    known_lengths: Mapping[str, int] | None = None,
    num_beams: int | None = None,
) -> list[str]:
    """Translate `texts` in length-sorted batches and return the translations in input order.

    Each distinct text is translated once. With a `cache`, texts it holds for this model
    and these settings are not translated again, and each finished batch is stored at once,
    so an interrupted run loses at most the batch in flight. `known_lengths` gives token
    counts already made, so that no text is tokenized twice. `num_beams` overrides the
    translator's beam width (pass no cache with it: the cache is keyed by its settings).
    """
    budget = budget or TokenBudget()
    unique = list(dict.fromkeys(texts))
    identity = model_identity(translator.name, translator.revision, translator.settings)
    done: dict[str, str] = cache.lookup(identity, unique) if cache is not None else {}
    if cache is not None:
        logger.info("%d of %d segments from the cache", len(done), len(unique))
    todo = [text for text in unique if text not in done]
    lengths_by_text = dict(known_lengths or {})
    uncounted = [text for text in todo if text not in lengths_by_text]
    lengths_by_text.update(zip(uncounted, translator.count_tokens(uncounted), strict=True))
    lengths = [lengths_by_text[text] for text in todo]
    for batch in plan_batches(lengths, budget):
        sources = [todo[index] for index in batch]
        if num_beams is None:
            outputs = translator.translate_batch(sources)
        else:
            outputs = translator.translate_batch(sources, num_beams=num_beams)
        if len(outputs) != len(sources):
            raise RuntimeError(
                f"translator returned {len(outputs)} translations for {len(sources)} segments"
            )
        done.update(zip(sources, outputs, strict=True))
        if cache is not None:
            cache.store(identity, zip(sources, outputs, strict=True))
        if progress:
            progress(len(done), len(unique))
    return [done[text] for text in texts]


def split_segments(
    segments: Sequence[str], translator: Translator, counts: Sequence[int] | None = None
) -> list[list[str]]:
    """Split each segment into pieces within the translator's input limit.

    `counts` are the segments' token counts, when already known.
    """
    limit = translator.max_input_tokens
    if counts is None:
        counts = translator.count_tokens(segments)

    def count_one(text: str) -> int:
        return translator.count_tokens([text])[0]

    return [
        [segment] if count <= limit else split_to_fit(segment, count_one, limit)
        for segment, count in zip(segments, counts, strict=True)
    ]


# Retries for a flagged segment, in order: a beam twice as wide (a loop or a dropped
# number is often a search error that more hypotheses avoid), then the segment cut at
# its clauses and translated clause by clause (a clause cannot be dropped when it is
# translated alone).
RETRY_STRATEGIES = ("more beams", "clauses")
RETRY_BEAM_FACTOR = 2


def retry_flagged(
    segments: Sequence[TranslatedSegment],
    checks: Sequence[Sequence[Check]],
    pieces: Sequence[Sequence[str]],
    translator: Translator,
    *,
    budget: TokenBudget | None = None,
    progress: Progress | None = None,
    glossary: Glossary | None = None,
) -> tuple[list[TranslatedSegment], list[list[Check]]]:
    """Translate the flagged segments again, strategy by strategy, and keep what passes.

    `checks` are what `check_segment` found in each segment, `pieces` the pieces each
    was translated in (as the model read them: code-switched, with a `glossary`). A
    segment is retried while the checks flag it; a retry's translation replaces the
    current one only when the checks flag fewer problems in it, so a segment no retry
    improves keeps its first translation. Every retried segment records what was tried
    and what was kept. Returns the segments and their checks.
    """
    current = list(segments)
    found = [list(segment_checks) for segment_checks in checks]
    flagged = [index for index, segment_checks in enumerate(found) if segment_checks]
    tried: dict[int, list[str]] = {index: [] for index in flagged}
    for strategy in RETRY_STRATEGIES:
        todo = [index for index in flagged if found[index]]
        if strategy == "clauses":
            clauses = _clause_pieces(current, todo, translator, glossary)
            attempt = dict(zip(todo, clauses, strict=True))
            todo = [index for index in todo if len(attempt[index]) > 1]
            num_beams = None
        else:
            attempt = {index: list(pieces[index]) for index in todo}
            num_beams = RETRY_BEAM_FACTOR * max(1, translator.settings.get("num_beams") or 1)
        if not todo:
            continue
        logger.info("retrying %d flagged segments: %s", len(todo), strategy)
        outputs = iter(
            translate_texts(
                [piece for index in todo for piece in attempt[index]],
                translator,
                budget=budget,
                num_beams=num_beams,
                progress=progress,
            )
        )
        for index in todo:
            source = current[index].source
            translations = [next(outputs) for _ in attempt[index]]
            translation = join_pieces(attempt[index], translations, model_text(source, glossary))
            tried[index].append(strategy)
            place = found[index][0]
            rechecked = check_segment(source, translation, place.paragraph, place.segment, glossary)
            if len(rechecked) < len(found[index]):
                found[index] = rechecked
                current[index] = replace(
                    current[index],
                    translation=translation,
                    pieces=len(attempt[index]),
                    kept=strategy,
                )
    for index, strategies in tried.items():
        current[index] = replace(current[index], retried=tuple(strategies))
    return current, found


def _clause_pieces(
    segments: Sequence[TranslatedSegment],
    indices: Sequence[int],
    translator: Translator,
    glossary: Glossary | None,
) -> list[list[str]]:
    """Each segment's clauses as the model reads them, any still over the input limit
    split further."""
    clauses = [split_clauses(model_text(segments[index].source, glossary)) for index in indices]
    flat = [clause for group in clauses for clause in group]
    fitted = iter(split_segments(flat, translator))
    return [[piece for _ in group for piece in next(fitted)] for group in clauses]


def model_text(german: str, glossary: Glossary | None) -> str:
    """What the model reads for `german`: with a glossary, its terms code-switched to
    their English (Glossary.code_switched), which the model tends to copy."""
    return german if glossary is None else glossary.code_switched(german)


def with_terms(
    segments: Sequence[TranslatedSegment], glossary: Glossary | None
) -> list[TranslatedSegment]:
    """`segments` with the glossary's hits in each (found where, kept or not)."""
    if glossary is None:
        return list(segments)
    return [
        replace(segment, terms=tuple(glossary.hits(segment.source, segment.translation)))
        for segment in segments
    ]


def segment_articles(articles: Sequence[Article]) -> list[list[list[str]]]:
    """Each article's paragraphs, each cut into its German sentences (segments)."""
    return [
        [segment_paragraph(paragraph) for paragraph in article.paragraphs] for article in articles
    ]


def segment_places(article_segments: Sequence[Sequence[Sequence[str]]]) -> list[tuple[int, int]]:
    """(paragraph, segment) of every segment, in the order of `flatten_segments`."""
    return [
        (paragraph_index, segment_index)
        for paragraphs in article_segments
        for paragraph_index, sources in enumerate(paragraphs)
        for segment_index in range(len(sources))
    ]


def flatten_segments(article_segments: Sequence[Sequence[Sequence[str]]]) -> list[str]:
    """Every segment of every article, in document order."""
    return [s for paragraphs in article_segments for segments in paragraphs for s in segments]


def assemble_segments(
    sources: Sequence[str], pieces: Sequence[Sequence[str]], translations: Sequence[str]
) -> list[TranslatedSegment]:
    """Join the translations of each segment's pieces back into one translated segment."""
    translated = iter(translations)
    segments = []
    for source, segment_pieces in zip(sources, pieces, strict=True):
        piece_translations = [next(translated) for _ in segment_pieces]
        segments.append(
            TranslatedSegment(
                source=source,
                translation=join_pieces(segment_pieces, piece_translations, source),
                pieces=len(segment_pieces),
            )
        )
    return segments


def regroup_articles(
    articles: Sequence[Article],
    article_segments: Sequence[Sequence[Sequence[str]]],
    segments: Sequence[TranslatedSegment],
    checks: Sequence[Sequence[Check]],
    translator: Translator,
    title_translations: Sequence[str | None] = (),
) -> list[TranslatedArticle]:
    """Put flat translated segments and their checks back into their articles' paragraphs,
    with each article's metadata and its title's translation (None: no title)."""
    title_translations = list(title_translations) or [None] * len(articles)
    checked = iter(zip(segments, checks, strict=True))
    results = []
    for article, paragraph_segments, title_translation in zip(
        articles, article_segments, title_translations, strict=True
    ):
        paragraphs = []
        article_checks: list[Check] = []
        for paragraph, sources in zip(article.paragraphs, paragraph_segments, strict=True):
            translated = [next(checked) for _ in sources]
            paragraphs.append(
                TranslatedParagraph(
                    source=paragraph, segments=tuple(segment for segment, _ in translated)
                )
            )
            article_checks += [
                check for _, segment_checks in translated for check in segment_checks
            ]
        results.append(
            TranslatedArticle(
                paragraphs=tuple(paragraphs),
                source_url=article.source_url,
                model=translator.name,
                model_revision=translator.revision,
                settings=translator.settings,
                checks=tuple(article_checks),
                title=article.title,
                title_translation=title_translation,
                author=article.author,
                date=article.date,
                site=article.site,
            )
        )
    return results


def translate_articles(
    articles: Sequence[Article],
    translator: Translator,
    *,
    budget: TokenBudget | None = None,
    progress: Progress | None = None,
    cache: TranslationCache | None = None,
    retry: bool = True,
    article_segments: Sequence[Sequence[Sequence[str]]] | None = None,
    glossary: Glossary | None = None,
) -> list[TranslatedArticle]:
    """Translate several articles at once, their sentences batched together by length.

    Batches are filled across articles, so many short articles decode in as few, as
    evenly padded batches as one long one. Each translation is put back in its
    article's document order, and pieces of a split sentence are joined again. Every
    segment is checked (translate.checks); with `retry`, flagged ones are translated
    again (`retry_flagged`). `article_segments` are the articles' `segment_articles`, when
    they were cut elsewhere (the Ray engine cuts them in its reading tasks).

    With a `glossary`, the model reads each segment (and title) with its terms
    code-switched to their English; a segment whose English still lacks a term is
    flagged "glossary" (and retried), and every segment lists its terms' hits.
    """
    if article_segments is None:
        article_segments = segment_articles(articles)
    sources = flatten_segments(article_segments)
    # Web pages' titles are translated in the same batches, after the text.
    titles = [collapse_whitespace(article.title) for article in articles if article.title]
    texts = [model_text(text, glossary) for text in [*sources, *titles]]
    counts = translator.count_tokens(texts)
    all_pieces = split_segments(texts, translator, counts)
    translations = translate_texts(
        [piece for segment_pieces in all_pieces for piece in segment_pieces],
        translator,
        budget=budget,
        progress=progress,
        cache=cache,
        known_lengths=dict(zip(texts, counts, strict=True)),
    )
    assembled = assemble_segments(texts, all_pieces, translations)
    segments = [
        replace(segment, source=source)
        for segment, source in zip(assembled[: len(sources)], sources, strict=True)
    ]
    pieces = all_pieces[: len(sources)]
    translated_titles = iter(assembled[len(sources) :])
    title_translations = [
        next(translated_titles).translation if article.title else None for article in articles
    ]
    found = [
        check_segment(segment.source, segment.translation, *place, glossary)
        for segment, place in zip(segments, segment_places(article_segments), strict=True)
    ]
    if retry:
        segments, found = retry_flagged(
            segments, found, pieces, translator, budget=budget, progress=progress, glossary=glossary
        )
    return regroup_articles(
        articles,
        article_segments,
        with_terms(segments, glossary),
        found,
        translator,
        title_translations,
    )


def translate_article(
    article: Article,
    translator: Translator,
    *,
    budget: TokenBudget | None = None,
    progress: Progress | None = None,
    cache: TranslationCache | None = None,
    retry: bool = True,
    glossary: Glossary | None = None,
) -> TranslatedArticle:
    """Translate every paragraph of `article`, sentence by sentence, losing nothing.

    All pieces of the article are batched together by length; each translation is put
    back in document order, and pieces of a split sentence are joined again. Segments
    the checks flag are translated again unless `retry` is False; a `glossary`'s terms
    are enforced and checked (see `translate_articles`).
    """
    [translated] = translate_articles(
        [article],
        translator,
        budget=budget,
        progress=progress,
        cache=cache,
        retry=retry,
        glossary=glossary,
    )
    return translated
