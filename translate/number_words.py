"""Numbers written in words, German and English, for translate/numbers.py: "zehn",
"einundzwanzig", "Dreijährige", "zweiten", "Juni"; "sixty-two", "a hundred million",
"second", "June", "noon". Each is a `Mention` whose plain reading is nothing, so a word
never shows as missing or added by itself; its other reading is the number it names,
which it may stand for when the other language writes that number in digits.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

Reading = tuple[str, ...]


@dataclass(frozen=True)
class Mention:
    """One number in a text and the ways it can be read (canonical strings), the plain
    reading first; an empty reading stands for nothing (a number word)."""

    text: str
    readings: tuple[Reading, ...]


# Scale words after a number: "3,5 Millionen" may be written "3,500,000". German
# "Billion" is English "trillion".
GERMAN_SCALES = {
    "tausend": 10**3,
    "mio": 10**6,
    "million": 10**6,
    "millionen": 10**6,
    "mrd": 10**9,
    "milliarde": 10**9,
    "milliarden": 10**9,
    "billion": 10**12,
    "billionen": 10**12,
}
ENGLISH_SCALES = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "millions": 10**6,
    "m": 10**6,
    "mn": 10**6,
    "billion": 10**9,
    "billions": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
}
# Scales abbreviated after digits (5bn, 20k): no number words on their own.
_SCALE_ABBREVIATIONS = frozenset({"k", "m", "mn", "bn"})
SCALE_AFTER = re.compile(r"\s*([A-Za-z]+)\b\.?")

# Number words. German glues them into compounds (einundzwanzig, zweihundert,
# zehnseitig, Dreijährige) and ordinals (zweiten, dritte, achten), so a German word
# counts when it starts with one; the articles ein, eine, einen ... are left out.
_GERMAN_UNITS = {
    "eins": 1,
    "ein": 1,
    "zwei": 2,
    "zwo": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "sieb": 7,
    "acht": 8,
    "neun": 9,
}
_GERMAN_TEENS = {
    "zehn": 10,
    "elf": 11,
    "zwölf": 12,
    "dreizehn": 13,
    "vierzehn": 14,
    "fünfzehn": 15,
    "sechzehn": 16,
    "siebzehn": 17,
    "achtzehn": 18,
    "neunzehn": 19,
}
_GERMAN_TENS = {
    "zwanzig": 20,
    "dreißig": 30,
    "vierzig": 40,
    "fünfzig": 50,
    "sechzig": 60,
    "siebzig": 70,
    "achtzig": 80,
    "neunzig": 90,
}
_GERMAN_ORDINAL_STEMS = {"erst": 1, "zweit": 2, "dritt": 3, "siebt": 7, "acht": 8}
_GERMAN_ARTICLES = {"ein", "eine", "einen", "einem", "einer", "eines"}
# "einhalb": and a half (achteinhalb, zweieinhalb).
_HALF = "einhalb"

_ENGLISH_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
    "once": 1,
    "twice": 2,
    "single": 1,
    "double": 2,
    "triple": 3,
    "half": 0.5,
}
_ENGLISH_MULTIPLIERS = {"hundred": 100, "hundredth": 100, "thousand": 1000, "thousandth": 1000}
# A date's month may be written as a number in one language and a name in the other
# ("am 26.12." / "on December 26th").
# Times of day in words.
_ENGLISH_TIMES = {"noon": 12, "midday": 12, "midnight": 0}
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+")
_ENGLISH_JOINERS = {"-", " ", " and ", "-and-", " and a ", "-and-a-"}


@functools.cache
def _months() -> dict[str, int]:
    """Month names, German (Austrian Jänner too) and English, full and abbreviated as
    CLDR gives them through Babel (März, Sept., Okt.; March, Sep), lowercase -> number."""
    from babel import Locale

    months: dict[str, int] = {}
    for locale, widths in (("de", ("wide", "abbreviated")), ("de_AT", ("wide",))):
        for width in widths:
            for number, name in Locale(locale).months["format"][width].items():
                months[name.lower().rstrip(".")] = number
    for width in ("wide", "abbreviated"):
        for number, name in Locale("en").months["format"][width].items():
            months[name.lower()] = number
    return months


# The starts a German number word can have: most words have none, and the parser
# below is not asked about them (it would find nothing).
_GERMAN_NUMBER_START = re.compile(
    "|".join(
        sorted(
            [
                *_GERMAN_UNITS,
                *_GERMAN_TEENS,
                *_GERMAN_TENS,
                *_GERMAN_ORDINAL_STEMS,
                "hundert",
                "tausend",
            ],
            key=len,
            reverse=True,
        )
    )
)


def canonical(value: Decimal | int | float) -> str:
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _german_number_prefix(word: str) -> tuple[float, int] | None:
    """The value of the number word `word` starts with, and how many letters it
    takes (zweihundertfünfzig, dreijährige, zweiten), or None."""

    def below_hundred(start: int) -> tuple[int, int] | None:
        best = None
        for name, value in _GERMAN_TEENS.items() | _GERMAN_TENS.items():
            if word.startswith(name, start):
                best = max(best or (0, 0), (value, start + len(name)), key=lambda b: b[1])
        for name, value in _GERMAN_UNITS.items():
            if not word.startswith(name, start):
                continue
            end = start + len(name)
            if word.startswith("und", end):
                for tens, tens_value in _GERMAN_TENS.items():
                    if word.startswith(tens, end + 3):
                        candidate = (value + tens_value, end + 3 + len(tens))
                        best = max(best or candidate, candidate, key=lambda b: b[1])
            if best is None or end > best[1]:
                best = (value, end)
        return best

    def times(
        start: int, head_of: Callable, marker: str, factor: int, rest_of: Callable
    ) -> tuple[int, int] | None:
        """A head (or none: "hundert" is 100), the marker, the rest: zwei|hundert|fünf."""
        head = head_of(start)
        at = head[1] if head else start
        if not word.startswith(marker, at):
            return head
        rest = rest_of(at + len(marker))
        value = (head[0] if head else 1) * factor + (rest[0] if rest else 0)
        return value, rest[1] if rest else at + len(marker)

    def below_thousand(start: int) -> tuple[int, int] | None:
        return times(start, below_hundred, "hundert", 100, below_hundred)

    value = times(0, below_thousand, "tausend", 1000, below_thousand)
    if value is None:
        for stem, stem_value in _GERMAN_ORDINAL_STEMS.items():
            if word.startswith(stem):
                return float(stem_value), len(stem)
        return None
    number, end = value
    if word.startswith(_HALF, end):
        return number + 0.5, end + len(_HALF)
    return float(number), end


def german_word_mentions(text: str) -> list[Mention]:
    """The numbers German `text` writes in words, each read as nothing or as itself."""
    mentions = []
    for match in _WORD.finditer(text):
        word = match[0].lower()
        if word in _months():
            mentions.append(Mention(match[0], ((), (str(_months()[word]),))))
            continue
        if word in _GERMAN_ARTICLES or word.startswith(("einig", "einzel", "einmal")):
            continue
        found = _german_number_prefix(word) if _GERMAN_NUMBER_START.match(word) else None
        leads_a_word = found is not None and found[0] == 1.0 and found[1] < len(word)
        if found is None or (leads_a_word and not word.startswith(("einhundert", "eint"))):
            continue  # "ein(s)" leading a word (Einheit, Einspruch, einsam) is not "one"
        mentions.append(Mention(match[0], ((), (canonical(found[0]),))))
    return mentions


def _english_value(words: Sequence[str]) -> float | None:
    """The value of a run of English number words (sixty-two, one hundred and five)."""
    total = current = 0.0
    seen = False
    for word in words:
        if word in _ENGLISH_WORDS:
            current += _ENGLISH_WORDS[word]
            seen = True
        elif word in _ENGLISH_MULTIPLIERS:
            current = (current or 1) * _ENGLISH_MULTIPLIERS[word]
            if _ENGLISH_MULTIPLIERS[word] >= 1000:
                total, current = total + current, 0.0
            seen = True
        elif word in ENGLISH_SCALES and word not in _SCALE_ABBREVIATIONS:
            total, current = (total + (current or 1)) * ENGLISH_SCALES[word], 0.0
            seen = True
    return total + current if seen else None


def english_word_mentions(text: str) -> list[Mention]:
    """The numbers English `text` writes in words (runs such as "sixty-two" read as one
    number), each read as nothing or as itself; "noon" and "midnight" as times."""
    mentions: list[Mention] = []
    run: list[str] = []
    previous_end = 0

    def close() -> None:
        if run:
            value = _english_value(run)
            if value is not None:
                readings: list[Reading] = [(), (canonical(value),)]
                if len(run) > 1 and run[-1] in ENGLISH_SCALES:  # "a hundred million": 100
                    head = _english_value(run[:-1])
                    readings.append((canonical(head),) if head is not None else ())
                mentions.append(Mention(" ".join(run), tuple(dict.fromkeys(readings))))
            run.clear()

    for match in _WORD.finditer(text):
        word = match[0].lower()
        gap = text[previous_end : match.start()].lower()
        previous_end = match.end()
        if word in _months():
            close()
            mentions.append(Mention(match[0], ((), (str(_months()[word]),))))
            continue
        if word in _ENGLISH_TIMES:
            close()
            hour = _ENGLISH_TIMES[word]
            readings: tuple[Reading, ...] = ((), (f"{hour}:00",), (str(hour),))
            if hour == 0:  # midnight is also 24:00 ("24 Uhr"); noon is not
                readings += (("24:00",),)
            mentions.append(Mention(match[0], readings))
            continue
        is_number = word not in _SCALE_ABBREVIATIONS and (
            word in _ENGLISH_WORDS or word in _ENGLISH_MULTIPLIERS or word in ENGLISH_SCALES
        )
        if is_number and run and gap in _ENGLISH_JOINERS:
            run.append(word)
        elif word in {"and", "a"} and run and gap in _ENGLISH_JOINERS:
            continue
        else:
            close()
            if is_number:
                run.append(word)
    close()
    return mentions
