"""Numbers in German and English text, in one canonical form, so they can be compared.

German writes "3,5" and "1.200" where English writes "3.5" and "1,200"; "14.30 Uhr" is
"14:30" or "2.30 pm"; "am 9. August" is "on 9 August" or "August 9". Each number is
reduced to a canonical string (integers without separators, decimals with a point,
times as 24-hour H:MM) and a text to the multiset of them, so a translation that lost
or invented a number shows as a difference of two multisets. Pure functions, no model.

This is the ground for issue 6's faithfulness checks; nothing calls it yet.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

# Alternatives in order of precedence: a time before a decimal, grouped thousands
# before a plain integer. A digit glued to letters (G7, COVID-19) still counts.
_GERMAN = re.compile(
    r"""
    (?P<time>\b(?P<hour>\d{1,2})[.:](?P<minute>\d{2})\s*Uhr\b)
  | (?P<hour_only>\b(?P<whole_hour>\d{1,2})\s+Uhr\b)
  | (?P<clock>\b(?P<clock_hour>\d{1,2}):(?P<clock_minute>\d{2})\b)
  | (?P<decimal>\d{1,3}(?:\.\d{3})+,\d+|\d+,\d+)
  | (?P<grouped>\d{1,3}(?:\.\d{3})+(?!\d))
  | (?P<integer>\d+)
    """,
    re.VERBOSE,
)
_ENGLISH = re.compile(
    r"""
    (?P<time>\b(?P<hour>\d{1,2})[.:](?P<minute>\d{2})\s*(?P<half>[ap])\.?\s?m\b\.?)
  | (?P<hour_only>\b(?P<whole_hour>\d{1,2})\s*(?P<half_only>[ap])\.?\s?m\b\.?)
  | (?P<clock>\b(?P<clock_hour>\d{1,2}):(?P<clock_minute>\d{2})\b)
  | (?P<decimal>\d{1,3}(?:,\d{3})+\.\d+|\d+\.\d+)
  | (?P<grouped>\d{1,3}(?:,\d{3})+(?!\d))
  | (?P<integer>\d+)
    """,
    re.VERBOSE | re.IGNORECASE,
)


def _clock(hour: int, minute: int) -> str:
    return f"{hour}:{minute:02d}"


def _twelve_hour(hour: int, minute: int, half: str) -> str:
    hour %= 12
    if half.lower() == "p":
        hour += 12
    return _clock(hour, minute)


def _decimal(text: str) -> str:
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the patterns only pass digits
        return text
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def german_numbers(text: str) -> Counter[str]:
    """The numbers of German `text`, canonical, with how often each occurs."""
    found: Counter[str] = Counter()
    for match in _GERMAN.finditer(text):
        if match["time"]:
            found[_clock(int(match["hour"]), int(match["minute"]))] += 1
        elif match["hour_only"]:
            found[_clock(int(match["whole_hour"]), 0)] += 1
        elif match["clock"]:
            found[_clock(int(match["clock_hour"]), int(match["clock_minute"]))] += 1
        elif match["decimal"]:
            found[_decimal(match["decimal"].replace(".", "").replace(",", "."))] += 1
        elif match["grouped"]:
            found[_decimal(match["grouped"].replace(".", ""))] += 1
        else:
            found[_decimal(match["integer"])] += 1
    return found


def english_numbers(text: str) -> Counter[str]:
    """The numbers of English `text`, canonical, with how often each occurs."""
    found: Counter[str] = Counter()
    for match in _ENGLISH.finditer(text):
        if match["time"]:
            found[_twelve_hour(int(match["hour"]), int(match["minute"]), match["half"])] += 1
        elif match["hour_only"]:
            found[_twelve_hour(int(match["whole_hour"]), 0, match["half_only"])] += 1
        elif match["clock"]:
            found[_clock(int(match["clock_hour"]), int(match["clock_minute"]))] += 1
        elif match["decimal"]:
            found[_decimal(match["decimal"].replace(",", ""))] += 1
        elif match["grouped"]:
            found[_decimal(match["grouped"].replace(",", ""))] += 1
        else:
            found[_decimal(match["integer"])] += 1
    return found


def number_mismatch(german: str, english: str) -> tuple[Counter[str], Counter[str]]:
    """Numbers of the German missing from the English, and numbers the English added."""
    source, translation = german_numbers(german), english_numbers(english)
    return source - translation, translation - source
