"""German sentence segmentation and length-safe splitting. Pure functions over strings.

Two guarantees hold for every input:

* lossless: the segments of a paragraph, joined with single spaces, equal the paragraph
  with its whitespace collapsed; no character is added, dropped or changed;
* bounded: `split_to_fit` cuts a segment into pieces that each fit the model's input
  limit, so nothing is ever truncated by the tokenizer.

pysbd proposes the sentence boundaries. We never take its sentence strings: we take only
its boundary offsets and slice the original text, so a pysbd quirk can cost a boundary
but never a character. German-specific rules then remove or add boundaries.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable

from debrief.runtime.cutting import (
    BLOCK_CHARS,
    block_cuts,
    pack_greedily,
    pysbd_safe,
    split_characters,
)

# Abbreviations pysbd's German list lacks, found missing on German news text: months
# (Jan. 2019), titles (Hr., Fr.), and the shortened words of official and journalistic
# prose (rd., gem., voraussichtl.). Lowercase, without the final period. Left out on
# purpose: weekdays (So., Do.) and "max", which are also words that end sentences
# ("Das war so.", "Er heißt Max.").
# fmt: off
EXTRA_ABBREVIATIONS = [
    "jan", "feb", "febr", "mär", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov",
    "dez", "hr", "hrn", "fr", "frl",
    "rd", "gem", "voraussichtl", "gegr", "geb", "gest", "verh", "ehem", "inkl", "exkl",
    "zzgl", "bspw", "ggfs", "mind", "abs", "ziff", "abschn", "bd", "bzw", "jh",
    "jhd", "jhdt", "tel", "str", "allg", "insb", "urspr", "bes", "sog", "einschl",
    "e.v", "n.chr", "v.chr", "a.m", "i.a", "i.d.r", "u.v.m", "s", "vgl", "kap", "stv",
    "stellv", "bundesverf", "dipl", "ing", "mag", "lic", "mwst", "kfz", "pkw", "lkw",
    "tsd", "mio", "mrd", "std", "min", "sek", "hl", "ev", "kath", "röm",
]
# pysbd keeps the period after these when a number follows ("rd. 300", "Jan. 2019").
EXTRA_NUMBER_ABBREVIATIONS = [
    "rd", "ca", "jan", "feb", "febr", "mär", "apr", "jun", "jul", "aug", "sep", "sept",
    "okt", "nov", "dez", "s", "abs", "ziff", "bd", "kap", "nr", "art",
]
# fmt: on

MONTHS = (
    "Januar Jänner Februar März April Mai Juni Juli August September Oktober November Dezember"
).split()

# Capitalised words that follow an ordinal number ("100. Geburtstag", "3. Mal"), so a
# period after digits before them is not a sentence end.
ORDINAL_FOLLOWERS = frozenset(
    MONTHS
    + """Geburtstag Jahrestag Todestag Jubiläum Mal Platz Rang Stelle Runde Spieltag
    Sitzung Tag Woche Monat Jahr Jahrhundert Jahrtausend Kongress Parteitag Ausgabe
    Auflage Folge Etage Stock Klasse Liga Bundesliga Armee Division Lauf Versuch Satz
    Quartal Halbjahr Legislaturperiode Amtszeit Wahlgang Sinfonie Symphonie Kapitel
    Absatz Buch Teil Staffel Durchgang Gipfel Treffen Konferenz FC SC SV""".split()
)

# Words that begin German sentences but hardly ever follow an ordinal or a unit, so
# "Kapitel 3. Dort" and "drei Std. Ein" end a sentence although pysbd keeps them joined.
SENTENCE_STARTERS = frozenset(
    """Der Die Das Dort Er Sie Es Wir Ich Ihr Ein Eine Einen Dann Doch Aber Auch Damit
    Daher Deshalb Denn Dies Diese Dieser Dieses Danach Zudem Nun Man Wer Was Wie Warum
    Wo Als Bis Trotzdem Jedoch Allerdings Außerdem Schließlich Später Heute""".split()
)
UNIT_ABBREVIATIONS = ("Std", "Min", "Sek", "kg", "km", "cm", "mm", "Mio", "Mrd", "Tsd")
# Nouns followed by a cardinal, never an ordinal: "gem. Paragraf 3. Einwände gab es keine."
CARDINAL_REFERENCES = tuple(
    """Paragraf Paragraph Kapitel Artikel Seite Absatz Nummer Punkt Gleis Zimmer Band Heft
    Nr Art Abs S""".split()
)

_OPENING_PUNCTUATION = "\"'„“‚‘»«›‹([{–—-"
_CLOSING_PUNCTUATION = "\"'“”‘’»«›‹)]}"
_SENTENCE_FINAL = (".", "!", "?", "…")
_WHITESPACE = re.compile(r"\s+")
_ENDS_WITH_NUMBER_PERIOD = re.compile(r"\d\.$")
_MISSED_BOUNDARIES = (
    re.compile(
        r"(?<=\s)(?:\d{1,2}|" + "|".join(UNIT_ABBREVIATIONS) + r")\.\s+"
        r"(?=(?:" + "|".join(sorted(SENTENCE_STARTERS)) + r")\b)"
    ),
    re.compile(r"\b(?:" + "|".join(CARDINAL_REFERENCES) + r")\.?\s+\d{1,3}\.\s+(?=[A-ZÄÖÜ])"),
)


def collapse_whitespace(text: str) -> str:
    """Return `text` with every run of whitespace made one space, and no outer spaces."""
    return _WHITESPACE.sub(" ", text).strip()


@functools.cache
def _german_segmenter():
    import pysbd
    from pysbd.lang.deutsch import Deutsch

    class GermanNewsAbbreviation(Deutsch.Abbreviation):
        ABBREVIATIONS = sorted(set(Deutsch.Abbreviation.ABBREVIATIONS + EXTRA_ABBREVIATIONS))
        NUMBER_ABBREVIATIONS = sorted(
            set(Deutsch.Abbreviation.NUMBER_ABBREVIATIONS + EXTRA_NUMBER_ABBREVIATIONS)
        )

    class GermanNews(Deutsch):
        Abbreviation = GermanNewsAbbreviation

    segmenter = pysbd.Segmenter(language="de", clean=False, char_span=True)
    segmenter.language_module = GermanNews
    return segmenter


def _first_word(text: str) -> str:
    stripped = text.lstrip().lstrip(_OPENING_PUNCTUATION)
    match = re.match(r"[\w.-]*", stripped)
    return match.group(0).rstrip(".") if match else ""


def _is_false_boundary(left: str, right: str) -> bool:
    """Whether the cut between `left` and `right` (both stripped) splits one sentence."""
    if not any(char.isalnum() for char in right):
        return True  # a lone closing quote or bracket belongs to the sentence before
    if not left.rstrip(_CLOSING_PUNCTUATION).endswith(_SENTENCE_FINAL):
        # pysbd's list detection cuts before "1." "2." "3." in running text
        # ("zum 1. Mal ... zum 2. Mal"); a sentence never ends without final punctuation.
        return True
    if not left.endswith("."):
        return False
    first_char = right.lstrip(_OPENING_PUNCTUATION)[:1]
    if first_char.islower():
        return True  # German sentences start with a capital; "12.08. war lang"
    return bool(_ENDS_WITH_NUMBER_PERIOD.search(left)) and _first_word(right) in ORDINAL_FOLLOWERS


def _pysbd_boundaries(text: str) -> list[int]:
    # Single newlines are soft wraps, not boundaries; pysbd_safe also spares pysbd the
    # characters it crashes on, one character for one, so offsets stay valid.
    flat = pysbd_safe(text)
    try:
        spans = _german_segmenter().segment(flat)
    except Exception:  # a pysbd bug on odd input must not cost the article
        return [match.end() for match in _CLEAR_SENTENCE_END.finditer(text)]
    boundaries = []
    for span in spans[:-1]:
        if 0 < span.end < len(text):
            boundaries.append(span.end)
    return boundaries


# pysbd's time grows with the square of the text (it looks each sentence up in the whole
# text): 4 KB take 0.04 s, 275 KB 17 s. Longer paragraphs are first cut into blocks
# (summarize.chunking.block_cuts) at clear sentence ends: a lowercase word of three
# letters or more, then . ! or ?, then a capital, which no abbreviation or ordinal matches.
_CLEAR_SENTENCE_END = re.compile(r"(?<=[a-zäöüß]{3}[.!?])[\"'“”»«]?\s+(?=[A-ZÄÖÜ])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split a German paragraph into sentence spans [start, end) that tile `text`.

    Spans are contiguous and cover every character; whitespace between sentences stays
    at the end of the span before it.
    """
    if len(text) > BLOCK_CHARS:
        edges = [0, *block_cuts(text, _CLEAR_SENTENCE_END, BLOCK_CHARS), len(text)]
        return [
            (start + span_start, start + span_end)
            for start, end in itertools.pairwise(edges)
            for span_start, span_end in _sentence_spans_of_block(text[start:end])
        ]
    return _sentence_spans_of_block(text)


def _sentence_spans_of_block(text: str) -> list[tuple[int, int]]:
    if not text.strip():
        return [(0, len(text))] if text else []
    candidates = sorted(set(_pysbd_boundaries(text)))
    for pattern in _MISSED_BOUNDARIES:
        candidates.extend(match.end() for match in pattern.finditer(text))
    candidates = sorted(set(candidates))

    boundaries: list[int] = []
    start = 0
    for index, cut in enumerate(candidates):
        following = candidates[index + 1] if index + 1 < len(candidates) else len(text)
        if not text[cut - 1].isspace():
            continue  # "Ende.Anfang" stays one segment: segments are joined with a space
        left = text[start:cut].strip()
        right = text[cut:following].strip()
        if left and not _is_false_boundary(left, right):
            boundaries.append(cut)
            start = cut
    edges = [0, *boundaries, len(text)]
    return [(edges[i], edges[i + 1]) for i in range(len(edges) - 1)]


def segment_paragraph(text: str) -> list[str]:
    """Split a German paragraph into sentences, each with its whitespace collapsed.

    Joined with single spaces, the sentences equal `collapse_whitespace(text)`.
    """
    segments = (collapse_whitespace(text[start:end]) for start, end in sentence_spans(text))
    return [segment for segment in segments if segment]


# Clause boundaries, strongest first: a cut after ";" or ":" leaves two readable clauses,
# a cut at a dash or a comma less so, and a cut between words least.
_CLAUSE_BREAKS = (
    re.compile(r"(?<=[;:])\s+"),
    re.compile(r"\s+(?=[–—]\s)|(?<=\s-)\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"\s+"),
)


def split_clauses(segment: str) -> list[str]:
    """Cut a segment at every clause boundary (; : – ,), losing nothing.

    Translated one by one, clauses cannot be dropped from a long sentence; `join_pieces`
    puts their translations back together.
    """
    clauses = [segment]
    for boundary in _CLAUSE_BREAKS[:-1]:
        clauses = [part for clause in clauses for part in boundary.split(clause) if part]
    return clauses


def split_to_fit(
    segment: str, count_tokens: Callable[[str], int], max_tokens: int, level: int = 0
) -> list[str]:
    """Split `segment` into pieces of at most `max_tokens` tokens each, losing nothing.

    Tries clause boundaries (; : – ,) first, then word boundaries, then characters.
    Adjacent clauses are packed together greedily so pieces stay as long as allowed.
    Pieces come back in order; `join_pieces` puts their translations back together.
    """

    def fits(text: str) -> bool:
        return count_tokens(text) <= max_tokens

    if fits(segment):
        return [segment]
    if level >= len(_CLAUSE_BREAKS):
        return split_characters(segment, fits)
    units = [unit for unit in _CLAUSE_BREAKS[level].split(segment) if unit]
    if len(units) == 1:
        return split_to_fit(segment, count_tokens, max_tokens, level + 1)
    # The cuts fall on single spaces (the segment's whitespace is collapsed), so packing
    # with a space as joiner rebuilds the text exactly.
    return pack_greedily(
        units, fits, lambda unit: split_to_fit(unit, count_tokens, max_tokens, level + 1)
    )


def join_pieces(source_pieces: list[str], translated_pieces: list[str], segment: str) -> str:
    """Join the translations of `split_to_fit` pieces back into one segment translation.

    Pieces cut between words are joined with a space; pieces cut inside a word (only an
    overlong word with no spaces is cut there) are joined without one.
    """
    parts: list[str] = []
    position = 0
    for source, translation in zip(source_pieces, translated_pieces, strict=True):
        start = segment.index(source, position)
        if parts and start > position:
            parts.append(" ")
        parts.append(translation)
        position = start + len(source)
    return "".join(parts)
