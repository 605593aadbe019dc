"""Numbers in German and English text, in one canonical form, so they can be compared.

German writes "3,5" and "1.200" where English writes "3.5" and "1,200"; "14.30 Uhr" is
"14:30" or "2.30 pm"; "am 9. August" is "on 9 August" or "August 9". Each number is
reduced to a canonical string (integers without separators, decimals with a point,
times as 24-hour H:MM) and a text to the multiset of them, so a translation that lost
or invented a number shows as a difference of two multisets. Pure functions, no model.

German also groups thousands with spaces (12 000, as the Duden allows).
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

# Alternatives in order of precedence: a time before a decimal, grouped thousands
# before a plain integer. A digit glued to letters (G7, COVID-19) still counts.
_GERMAN = re.compile(
    r"""
    (?P<time>\b\d{1,2}[.:]\d{2}\s*Uhr\b|\b\d{1,2}\s+Uhr\b|\b\d{1,2}:\d{2}\b)
  | (?P<decimal>\d{1,3}(?:\.\d{3})+,\d+|\d+,\d+)
  | (?P<grouped>\d{1,3}(?:\.\d{3})+(?!\d)|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,.]))
  | (?P<integer>\d+)
    """,
    re.VERBOSE,
)
_ENGLISH = re.compile(
    r"""
    (?P<time>\b\d{1,2}(?:[.:]\d{2})?\s*[ap]\.?\s?m\b\.?|\b\d{1,2}:\d{2}\b)
  | (?P<decimal>\d{1,3}(?:,\d{3})+\.\d+|\d+\.\d+)
  | (?P<grouped>\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,.]))
  | (?P<integer>\d+)
    """,
    re.VERBOSE | re.IGNORECASE,
)
# The parts of a time either pattern found: hour, minutes, and English am or pm.
_TIME_PARTS = re.compile(r"(\d{1,2})(?:[.:](\d{2}))?\s*(?:([ap])\.?\s?m)?", re.IGNORECASE)


def _time(text: str) -> str:
    hour_text, minute_text, half = _TIME_PARTS.match(text).groups()
    hour = int(hour_text)
    if half:
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    return f"{hour}:{int(minute_text or 0):02d}"


def _decimal(text: str) -> str:
    value = Decimal(text)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _numbers(
    text: str, pattern: re.Pattern[str], group_mark: str, decimal_mark: str
) -> Counter[str]:
    found: Counter[str] = Counter()
    for match in pattern.finditer(text):
        if match["time"]:
            found[_time(match["time"])] += 1
        else:
            number = match[0].replace(group_mark, "").replace(decimal_mark, ".")
            number = re.sub(r"[ \u00a0\u202f]", "", number)  # 12 000: grouped by spaces
            found[_decimal(number)] += 1
    return found


def german_numbers(text: str) -> Counter[str]:
    """The numbers of German `text`, canonical, with how often each occurs."""
    return _numbers(text, _GERMAN, group_mark=".", decimal_mark=",")


def english_numbers(text: str) -> Counter[str]:
    """The numbers of English `text`, canonical, with how often each occurs."""
    return _numbers(text, _ENGLISH, group_mark=",", decimal_mark=".")


def number_mismatch(german: str, english: str) -> tuple[Counter[str], Counter[str]]:
    """Numbers of the German missing from the English, and numbers the English added."""
    source, translation = german_numbers(german), english_numbers(english)
    return source - translation, translation - source
