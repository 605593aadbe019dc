"""Numbers in German and English text, in one canonical form, so they can be compared.

German writes "3,5" and "1.200" where English writes "3.5" and "1,200"; "14.30 Uhr" is
"14:30" or "2.30 pm"; "am 9. August" is "on 9 August" or "August 9". Each number is
reduced to a canonical string (integers without separators, decimals with a point,
times as 24-hour H:MM), and a text to the multiset of them, so a translation that lost
or invented a number shows as a difference of two multisets. Pure functions, no model.

A number may be read more than one way, and translators choose: "zehn Monate" is "10
months", "62 Prozent" is "Sixty-two percent", "um 17 und 20 Uhr" is "at 5 pm and 8 pm",
"16:32 (8:13)" a score written "16-32 (8-13)", "3,5 Millionen" is "3,500,000", "15 Uhr"
is "3 in the afternoon" or just "15h". So each number found is a `Mention` with its
readings, the plain one first; a number written in words (or an ordinal, "zweiten",
"second") has "nothing" as its plain reading, so it never shows as missing or added by
itself, but it may stand for the digits the other language has. `number_mismatch`
picks the readings that make the two texts agree best and reports what is left.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal

from translate.number_words import (
    ENGLISH_SCALES,
    GERMAN_SCALES,
    SCALE_AFTER,
    Mention,
    Reading,
    canonical,
    english_word_mentions,
    german_word_mentions,
)

# Alternatives in order of precedence: a time before a decimal, grouped thousands
# before a plain integer. A digit glued to letters (G7, COVID-19) still counts. A
# grouped number ends where no digit follows (a comma or full stop may: "255 001,").
_GERMAN = re.compile(
    r"""
    (?P<time>\b\d{1,2}[.:]\d{2}\s*Uhr\b|\b\d{1,2}\s*(?:Uhr\b|h\b)|\b\d{1,2}:\d{2}\b)
  | (?P<decimal>\d{1,3}(?:\.\d{3})+,\d+|\d+,\d+)
  | (?P<grouped>\d{1,3}(?:\.\ ?\d{3}|\ \.\d{3})+(?!\d)
               |\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d]|[,.]\d))
  | (?P<dotted>(?<![\d.,])\d{1,2}\.\d{1,2}(?!\d|\.\d))
  | (?P<integer>\d+)
    """,
    re.VERBOSE,
)
_ENGLISH = re.compile(
    r"""
    (?P<time>\b\d{1,2}(?:[.:]\d{2})?\s*[ap]\.?\s?m\b\.?|\b\d{1,2}:\d{2}\b)
  | (?P<decimal>\d{1,3}(?:,\d{3})+\.\d+|\d+\.\d+)
  | (?P<grouped>\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d]|[,.]\d))
  | (?P<integer>\d+)
    """,
    re.VERBOSE | re.IGNORECASE,
)
# A time written with a point in English text (6.30, 11.45).
_CLOCK = re.compile(r"(?:[01]?\d|2[0-4])\.[0-5]\d")
# A day and month written the German way in English text (18.01, 26.12).
_DAY_MONTH = re.compile(r"([0-3]?\d)\.([01]?\d)")
# The parts of a time either pattern found: hour, minutes, and English am or pm.
_TIME_PARTS = re.compile(r"(\d{1,2})(?:[.:](\d{2}))?\s*(?:([ap])\.?\s?m)?", re.IGNORECASE)


def _decimal(text: str) -> str:
    return canonical(Decimal(text))


def _time(text: str) -> tuple[int, int, bool]:
    """Hour (24-hour), minutes, and whether the text said am or pm."""
    hour_text, minute_text, half = _TIME_PARTS.match(text).groups()
    hour = int(hour_text)
    if half:
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    return hour, int(minute_text or 0), bool(half)


def _time_readings(text: str) -> tuple[Reading, ...]:
    """A time as H:MM first; then, for a full hour, the hour alone (15 Uhr, "at 15"),
    as written on a 12-hour clock ("3 in the afternoon"); a H:MM without "Uhr" may be
    a score, two numbers (16:32, "16-32")."""
    hour, minutes, said_half = _time(text)
    readings: list[Reading] = [(f"{hour}:{minutes:02d}",)]
    if not said_half:  # a clock without am or pm may be either half of the day
        other = hour + 12 if hour < 12 else hour - 12
        readings.append((f"{other}:{minutes:02d}",))
    if minutes == 0:
        readings += [(str(hour),), (str(hour % 12 or 12),)]
    if ":" in text and not said_half and "uhr" not in text.lower():
        first, second = text.split(":")
        readings.append((_decimal(first), _decimal(second.strip()[:2])))
    return tuple(dict.fromkeys(readings))


def _scaled(value: str, text: str, end: int, scales: dict[str, int]) -> tuple[Reading, ...]:
    """The value and, when a scale word follows it (Millionen, billion), the value
    times the scale."""
    scale = SCALE_AFTER.match(text, end)
    multiplier = scales.get(scale.group(1).lower()) if scale else None
    if multiplier is None:
        return ((value,),)
    return ((value,), (canonical(Decimal(value) * multiplier),))


def _digit_mentions(text: str, english: bool) -> list[Mention]:
    pattern, scales = (_ENGLISH, ENGLISH_SCALES) if english else (_GERMAN, GERMAN_SCALES)
    group_mark, decimal_mark = (",", ".") if english else (".", ",")
    mentions = []
    for match in pattern.finditer(text):
        found = match[0]
        if match["time"]:
            readings = _time_readings(found)
        elif match.groupdict().get("dotted"):
            # "8.8", "4.5", "22.42", "9.8.": a version, a time, a date, or a decimal
            # written the English way in German text.
            first, second = found.split(".")
            readings = ((_decimal(first), _decimal(second)), (_decimal(found),))
            if int(first) < 24 and len(second) == 2 and int(second) < 60:
                readings += ((f"{int(first)}:{second}",),)
        else:
            number = found.replace(f" {group_mark}", group_mark).replace(f"{group_mark} ", "")
            number = number.replace(group_mark, "").replace(decimal_mark, ".")
            spaced = re.split(r"[ \u00a0\u202f]", number)
            value = _decimal("".join(spaced))  # 12 000: grouped by spaces
            readings = _scaled(value, text, match.end(), scales)
            clock = _CLOCK.fullmatch(found)
            if clock and english:  # "at 6.30": a time written with a point
                readings += _time_readings(found.replace(".", ":"))
            day_month = _DAY_MONTH.fullmatch(found)
            if day_month and english:  # "on 18.01.": a date copied from German
                readings += ((_decimal(day_month[1]), _decimal(day_month[2])),)
            if len(spaced) > 1:  # or two numbers side by side ("Boss 302 440 hp")
                readings += (tuple(_decimal(part) for part in spaced),)
        mentions.append(Mention(found, readings))
    return mentions


def _german_digits(text: str) -> list[Mention]:
    return _digit_mentions(text, english=False)


def _english_digits(text: str) -> list[Mention]:
    return _digit_mentions(text, english=True)


def german_mentions(text: str) -> list[Mention]:
    """Every number of German `text`, in digits or in words, with its readings."""
    return _german_digits(text) + german_word_mentions(text)


def english_mentions(text: str) -> list[Mention]:
    """Every number of English `text`, in digits or in words, with its readings."""
    return _english_digits(text) + english_word_mentions(text)


def _plain(mentions: Iterable[Mention]) -> Counter[str]:
    return Counter(number for mention in mentions for number in mention.readings[0])


def german_numbers(text: str) -> Counter[str]:
    """The numbers German `text` writes in digits, canonical, with how often each
    occurs (each in its plain reading; a number word's plain reading is nothing)."""
    return _plain(_german_digits(text))


def english_numbers(text: str) -> Counter[str]:
    """The numbers English `text` writes in digits, canonical, with how often each
    occurs (each in its plain reading)."""
    return _plain(_english_digits(text))


# Enough passes for every mention to change its reading once or twice; each pass that
# changes anything lowers the disagreement, so this ends well before in practice.
_MAX_PASSES = 4


def _unpaired_words(
    first: Sequence[Mention], second: Sequence[Mention]
) -> tuple[list[Mention], list[Mention]]:
    """The mentions less the number words translated by number words: "Juni" rendered
    "June", "sechs" "six" say nothing about the digits, and left in they could stand
    for a digit the translation changed ("6" for "1 June")."""
    first, second = list(first), list(second)
    for mention in [m for m in first if m.readings[0] == ()]:
        values = set(mention.readings[1:])
        partner = next(
            (m for m in second if m.readings[0] == () and values & set(m.readings[1:])), None
        )
        if partner is not None:
            first.remove(mention)
            second.remove(partner)
    return first, second


def reconcile(
    first: Sequence[Mention], second: Sequence[Mention]
) -> tuple[Counter[str], Counter[str]]:
    """The numbers of `first` missing from `second`, and those `second` adds, after
    choosing for each mention the reading that makes the two agree best (greedily,
    starting from the plain readings)."""
    first, second = _unpaired_words(first, second)
    mentions = [*first, *second]
    sides = [0] * len(first) + [1] * len(second)
    chosen = [0] * len(mentions)

    def bags() -> tuple[Counter[str], Counter[str]]:
        bag: tuple[Counter[str], Counter[str]] = (Counter(), Counter())
        for mention, side, index in zip(mentions, sides, chosen, strict=True):
            bag[side].update(mention.readings[index])
        return bag

    def cost() -> int:
        one, two = bags()
        return sum(((one - two) + (two - one)).values())

    best = cost()
    for _ in range(_MAX_PASSES):
        if best == 0:
            break
        improved = False
        for position, mention in enumerate(mentions):
            for index in range(len(mention.readings)):
                if index == chosen[position]:
                    continue
                previous, chosen[position] = chosen[position], index
                now = cost()
                if now < best:
                    best, improved = now, True
                else:
                    chosen[position] = previous
        if not improved:
            break
    one, two = bags()
    return one - two, two - one


def number_mismatch(german: str, english: str) -> tuple[Counter[str], Counter[str]]:
    """Numbers of the German missing from the English, and numbers the English added."""
    return reconcile(german_mentions(german), english_mentions(english))


def english_number_mismatch(first: str, second: str) -> tuple[Counter[str], Counter[str]]:
    """Numbers of English `first` missing from English `second`, and those it adds (two
    translations of one source compared: "three" and "3" agree)."""
    return reconcile(english_mentions(first), english_mentions(second))
