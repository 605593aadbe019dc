"""Glossaries: German terms and the English each must be translated as, in DeepL's
formats, found in German text in their inflected forms and as the head of compounds,
and checked for in the English.

A glossary file is TSV (German<TAB>English) or CSV (German,English; DeepL's four-column
form German,English,de,en too), one term a line, a header line allowed. Several files
merge into one glossary; a German term given two different English terms is an error,
as are an empty file, a line of one column, a binary or huge file, and a term that is
only stop words (it would match everywhere).

A term matches German text word for word, case ignored, each word also with a German
inflectional ending (Bundestag: Bundestages, Bundestags; Europäische Union: Europäischen
Union), and its last word also as the head of a compound (Koalition: Ampelkoalition,
Ampel-Koalition). The English term is kept when the English holds it, case ignored, its
last word also with a plural or possessive ending (coalition: coalitions, coalition's).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from debrief.errors import InputError

MAX_GLOSSARY_BYTES = 2 * 1024 * 1024
MAX_TERMS = 20_000
# Endings German puts on a noun or adjective in a term: case, number, adjective agreement.
GERMAN_ENDINGS = ("", "e", "s", "es", "n", "en", "er", "em", "ern", "ns", "ens")
ENGLISH_ENDINGS = ("", "s", "es", "'s", "’s", "s'", "s’")
# A term is found as a compound's head (Ampel|koalition) only when it has this many
# letters and follows this many of another word: a short term would be found inside
# unrelated words (Rat in Apparat).
MIN_COMPOUND_HEAD = 5
MIN_COMPOUND_PREFIX = 3
_HEADER_WORDS = frozenset(
    "source target german english deutsch englisch de en term translation begriff "
    "übersetzung".split()
)
# Words that alone would match almost every sentence.
GERMAN_STOP_WORDS = frozenset(
    "der die das den dem des ein eine einer eines einem einen und oder aber in im an am "
    "auf aus bei mit nach von vom zu zum zur für über unter vor durch gegen ohne um ist "
    "sind war wird werden hat haben nicht auch als wie so es er sie wir ihr ich du man "
    "sich dass daß noch nur schon sehr".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@dataclass(frozen=True)
class Term:
    """One glossary entry, with where it was read (file:line) for messages."""

    german: str
    english: str
    origin: str


@dataclass(frozen=True)
class TermHit:
    """A term found in a German segment: the form found there, where (character offsets
    in the segment), and whether the English holds the term's English."""

    term: Term
    found: str
    kept: bool
    start: int = 0
    end: int = 0

    def record(self) -> dict[str, object]:
        """The hit as the JSON records list it."""
        return {
            "term": self.term.german,
            "english": self.term.english,
            "found": self.found,
            "start": self.start,
            "end": self.end,
            "kept": self.kept,
            "glossary": self.term.origin,
        }


def _decoded(data: bytes, name: str) -> str:
    if len(data) > MAX_GLOSSARY_BYTES:
        raise InputError(
            f"{name} is {len(data) / 1024 / 1024:.1f} MB; a glossary may be at most "
            f"{MAX_GLOSSARY_BYTES // 1024 // 1024} MB"
        )
    if b"\x00" in data:
        raise InputError(f"{name} is a binary file, not a glossary (TSV or CSV text)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")  # Excel's CSV on Windows
        except UnicodeDecodeError:
            raise InputError(f"{name} is not UTF-8 text; save the glossary as UTF-8") from None


def _rows(text: str, name: str) -> list[tuple[int, list[str]]]:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise InputError(f"{name} is empty; write one term a line: German<TAB>English")
    delimiter = "\t" if "\t" in lines[0] else ","
    rows = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for row in reader:
        cells = [cell.strip() for cell in row]
        if any(cells):
            rows.append((reader.line_num, cells))
    return rows


def _is_header(cells: list[str]) -> bool:
    return all(cell.lower() in _HEADER_WORDS for cell in cells[:2])


def parse_glossary(data: bytes, name: str) -> list[Term]:
    """The terms of one glossary file (TSV or CSV); a one-line InputError for a file
    that is no glossary."""
    rows = _rows(_decoded(data, name), name)
    if rows and _is_header(rows[0][1]):
        rows = rows[1:]
    terms = []
    for line, cells in rows:
        cells = cells[:2] + [cell for cell in cells[2:] if cell]
        if len(cells) < 2 or not cells[1]:
            raise InputError(
                f"{name}:{line} has one column ({cells[0][:40]!r}); write German<TAB>English "
                "or German,English"
            )
        if len(cells) not in (2, 4) or (len(cells) == 4 and cells[2:] != ["de", "en"]):
            raise InputError(
                f"{name}:{line} has {len(cells)} columns; write German and English (and, "
                "as DeepL's CSV, de,en)"
            )
        german, english = cells[0], cells[1]
        if not german:
            raise InputError(f"{name}:{line} has no German term")
        words = [word.lower() for word in _WORD.findall(german)]
        if not words or all(word in GERMAN_STOP_WORDS for word in words):
            raise InputError(
                f"{name}:{line}: {german!r} is only stop words; it would match nearly "
                "every sentence"
            )
        terms.append(Term(" ".join(german.split()), " ".join(english.split()), f"{name}:{line}"))
        if len(terms) > MAX_TERMS:
            raise InputError(f"{name} has more than {MAX_TERMS:,} terms")
    if not terms:
        raise InputError(f"{name} holds no terms, only a header; write German<TAB>English")
    return terms


@dataclass(frozen=True)
class Glossary:
    """Terms from one or more files, each German term once, longest first (so that
    Europäische Zentralbank is found before Zentralbank)."""

    terms: tuple[Term, ...]

    def spans(self, german: str) -> list[tuple[int, int, Term]]:
        """Where each term stands in `german`, in order, longer terms first where two
        overlap."""
        taken: list[tuple[int, int, Term]] = []
        folded = german.casefold()
        for term in self.terms:
            # A term's pattern starts with its first word's letters: a term they are not
            # in cannot match, and is neither compiled nor run (a glossary of thousands
            # of terms would otherwise cost seconds a segment).
            if _leading_letters(term.german) not in folded:
                continue
            for start, end in find_terms(term.german, german):
                if not any(start < b and a < end for a, b, _ in taken):
                    taken.append((start, end, term))
        return sorted(taken, key=lambda span: span[0])

    def code_switched(self, german: str) -> str:
        """`german` with each term's German replaced by its English (code-switching: a
        translation model copies words it does not take for German, so the English
        term comes through). A compound whose head is a term (Ampelkoalition) is left
        as written: English inside a German word would garble it."""
        out, position = [], 0
        for start, end, term in self.spans(german):
            if not _term_pattern(term.german, GERMAN_ENDINGS, False).fullmatch(german[start:end]):
                continue  # a compound with the term as its head: left to the model
            out += [german[position:start], term.english]
            position = end
        out.append(german[position:])
        return "".join(out)

    def updated(self, terms: Sequence[Term]) -> Glossary:
        """This glossary with `terms` (checked as one glossary) added, each replacing a
        term of this one with the same German: a user's own terms over built-in ones,
        a request's over a server's."""
        added = merge_glossaries([terms])
        replaced = {term.german.casefold() for term in added.terms}
        kept = [term for term in self.terms if term.german.casefold() not in replaced]
        return merge_glossaries([kept, added.terms])

    def hits(self, german: str, english: str) -> list[TermHit]:
        """Every place `german` holds a term, in order, with whether `english` keeps the
        term's English; a term inside a longer term's match is left to the longer one."""
        kept: dict[str, bool] = {}
        hits = []
        for start, end, term in self.spans(german):
            if term.german not in kept:
                kept[term.german] = english_has(term.english, english)
            hits.append(TermHit(term, german[start:end], kept[term.german], start, end))
        return hits


def merge_glossaries(parts: Iterable[Sequence[Term]]) -> Glossary:
    """One glossary of several files' terms; a German term given two different English
    terms (in one file or two) is a one-line InputError."""
    chosen: dict[str, Term] = {}
    for terms in parts:
        for term in terms:
            key = term.german.casefold()
            earlier = chosen.get(key)
            if earlier is not None and earlier.english != term.english:
                raise InputError(
                    f"{term.german!r} is given two English terms: {earlier.english!r} "
                    f"({earlier.origin}) and {term.english!r} ({term.origin}); keep one"
                )
            chosen.setdefault(key, term)
    ordered = sorted(chosen.values(), key=lambda term: (-len(term.german), term.german))
    return Glossary(tuple(ordered))


def read_glossaries(paths: Sequence[str]) -> Glossary:
    """The glossary of the files at `paths`, merged; a one-line InputError for a file
    that is missing or no glossary."""
    parts = []
    for path in paths:
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_GLOSSARY_BYTES + 1)
        except FileNotFoundError:
            raise InputError(f"glossary {path} does not exist") from None
        except IsADirectoryError:
            raise InputError(f"glossary {path} is a folder, not a file") from None
        except OSError as error:
            raise InputError(f"glossary {path} cannot be read ({error.strerror})") from None
        parts.append(parse_glossary(data, str(path)))
    return merge_glossaries(parts)


def _endings(endings: Sequence[str]) -> str:
    return "(?:" + "|".join(re.escape(e) for e in sorted(endings, key=len, reverse=True)) + ")"


@lru_cache(maxsize=65536)
def _leading_letters(term: str) -> str:
    """What any match of `term` holds, case folded: its first word up to a hyphen."""
    return term.split()[0].split("-")[0].casefold()


@lru_cache(maxsize=4096)
def _term_pattern(term: str, endings: tuple[str, ...], compounds: bool) -> re.Pattern[str]:
    """Each word of `term` as written, a hyphen in it optional (Ampel-Koalition,
    Ampelkoalition), the words apart by spaces or hyphens; the last with one of
    `endings` and, with `compounds`, after another word's letters."""
    words = term.split()
    parts = [re.escape(word).replace(r"\-", "[-\\s]?") for word in words]
    if compounds and len(words[-1]) >= MIN_COMPOUND_HEAD:
        parts[-1] = rf"(?:[^\W\d_]{{{MIN_COMPOUND_PREFIX},}}-?)?{parts[-1]}"
    parts = [part + _endings(endings) for part in parts]
    return re.compile(r"(?<![\w-])" + r"[\s-]+".join(parts) + r"(?!\w)", re.IGNORECASE)


def find_terms(term: str, german: str) -> list[tuple[int, int]]:
    """Where the German `term` stands in `german`, inflected or as a compound's head."""
    return [found.span() for found in _term_pattern(term, GERMAN_ENDINGS, True).finditer(german)]


def find_term(term: str, german: str) -> tuple[int, int] | None:
    """Where the German `term` first stands in `german`, or None."""
    spans = find_terms(term, german)
    return spans[0] if spans else None


def english_has(term: str, english: str) -> bool:
    """Whether `english` holds the English `term`, case ignored, its words with a
    plural or possessive ending (coalitions, Zelensky's)."""
    return _term_pattern(term, ENGLISH_ENDINGS, compounds=False).search(english) is not None


def english_spans(term: str, english: str) -> list[tuple[int, int]]:
    """Where the English `term` stands in `english` (as `english_has` finds it)."""
    pattern = _term_pattern(term, ENGLISH_ENDINGS, compounds=False)
    return [found.span() for found in pattern.finditer(english)]
