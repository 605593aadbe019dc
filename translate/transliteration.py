"""Names from Russian, Ukrainian and Belarusian as German writes them and as English
does: Selenskyj / Zelensky, Nawalny / Navalny, Jelzin / Yeltsin, Lukaschenko /
Lukashenko, Charkiw / Kharkiv.

German news transliterates Cyrillic the Duden way, English news its own way, and the
two differ letter by letter: German sch is English sh (ш) or zh (ж), tsch is ch, w is v,
z is ts, ch is kh, j before a vowel is y, a voiced s is z, -ow and -ew are -ov and -ev
(-ev after sh, ch and zh: Gorbatschow / Gorbachev), -ij and -yj end in y, iy or yy.
Where a German letter stands for two Cyrillic ones (sch, s), both English spellings are
made; `english_spellings` gives them all. Names that English does not spell by any rule
(Kiew / Kyiv, Klitschko, Timoschenko / Tymoshenko) are in ATTESTED, with the spellings
English news uses.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

from translate.glossary import Glossary, Term, merge_glossaries

# The English spellings English-language news gives these names, where no rule makes
# them (or the rules make others too): a Ukrainian name spelled from Ukrainian, a name
# that kept its German form, an older spelling still in use.
ATTESTED: dict[str, tuple[str, ...]] = {
    "Kiew": ("Kyiv", "Kiev"),
    "Charkiw": ("Kharkiv", "Kharkov"),
    "Odessa": ("Odesa", "Odessa"),
    "Lwiw": ("Lviv",),
    "Lemberg": ("Lviv",),
    "Saporischschja": ("Zaporizhzhia", "Zaporizhzhya", "Zaporozhye"),
    "Dnipro": ("Dnipro", "Dnipropetrovsk"),
    "Tschernihiw": ("Chernihiv",),
    "Mykolajiw": ("Mykolaiv",),
    "Klitschko": ("Klitschko",),
    "Timoschenko": ("Tymoshenko",),
    "Janukowitsch": ("Yanukovych", "Yanukovich"),
    "Juschtschenko": ("Yushchenko",),
    "Poroschenko": ("Poroshenko",),
    "Selenskyj": ("Zelensky", "Zelenskyy", "Zelenskiy"),
    "Tichanowskaja": ("Tsikhanouskaya", "Tikhanovskaya"),
    "Chruschtschow": ("Khrushchev",),
    "Gorbatschow": ("Gorbachev",),
    "Tschaikowski": ("Tchaikovsky",),
    "Dostojewski": ("Dostoevsky", "Dostoyevsky"),
    "Tolstoi": ("Tolstoy",),
    "Jelzin": ("Yeltsin",),
    "Schoigu": ("Shoigu",),
    "Gerassimow": ("Gerasimov",),
    "Prigoschin": ("Prigozhin",),
    "Kadyrow": ("Kadyrov",),
    "Tschetschenien": ("Chechnya",),
    "Sewastopol": ("Sevastopol",),
    "Jekaterinburg": ("Yekaterinburg",),
    "Wolgograd": ("Volgograd",),
    "Moskau": ("Moscow",),
}
# German letters and the English ones each may stand for, longest first; each match is
# replaced once, left to right.
_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("schtsch", ("shch",)),
    ("schsch", ("zhzh", "shsh")),
    ("tsch", ("ch",)),
    ("sch", ("sh", "zh")),
    ("ch", ("kh",)),
    ("ss", ("s",)),
    ("z", ("ts", "z")),  # Donezk / Donetsk; Wladikawkaz / Vladikavkaz
    ("w", ("v",)),
    ("x", ("ks",)),
)
_VOWELS = "aeiouy"
# No name needs more; a name with many ambiguous letters keeps its first spellings.
MAX_SPELLINGS = 64


def _choices(name: str) -> list[tuple[str, ...]]:
    """The name as pieces, each with its English spellings."""
    lower = name.lower()
    pieces: list[tuple[str, ...]] = []
    index = 0
    while index < len(lower):
        previous = lower[index - 1] if index else ""
        following = lower[index + 1] if index + 1 < len(lower) else ""
        for german, english in _RULES:
            if lower.startswith(german, index):
                pieces.append(english)
                index += len(german)
                break
        else:
            letter = lower[index]
            if letter == "j" and (following in _VOWELS or not following):
                # after i it may be silent in English: Fanijew / Faniev, Arsenij / Arseni
                pieces.append(("y", "") if previous in "iy" else ("y",))
            elif letter == "j":
                pieces.append(("y", "i"))  # Schojgu / Shoigu
            elif letter == "s" and (not previous or previous in _VOWELS) and following in _VOWELS:
                pieces.append(("s", "z"))  # a voiced s: Selenskyj / Zelensky
            elif letter == "e" and (not previous or previous in _VOWELS) and index:
                pieces.append(("e", "ye"))  # Dostojewski / Dostoyevsky
            else:
                pieces.append((letter,))
            index += 1
    return pieces


def _endings(spelling: str) -> list[str]:
    """English endings where German's differ: -ow -> -ov (-ev after a sibilant), -ew ->
    -ev, -ski -> -sky, -ij/-yj -> -y, -iy, -yy."""
    spelling = re.sub(r"(?<=[sz]h|ch)ov\b", "ev", spelling)
    spelling = re.sub(r"ski\b", "sky", spelling)
    forms = [spelling]
    for ending, english in (("iy", ("y", "iy", "i")), ("yy", ("y", "yy", "iy")), ("yi", ("y",))):
        if spelling.endswith(ending):
            forms = [spelling[: -len(ending)] + choice for choice in english]
    return forms


@lru_cache(maxsize=4096)
def english_spellings(name: str) -> tuple[str, ...]:
    """The English spellings of a German spelling of a Cyrillic name, lowercase, the
    attested ones first: Selenskyj -> zelensky, zelenskyy, zelenskiy, selensky, ..."""
    attested = tuple(spelling.lower() for spelling in ATTESTED.get(name, ()))
    made: list[str] = []
    for combination in product(*_choices(name)):
        for spelling in _endings("".join(combination)):
            if spelling not in made:
                made.append(spelling)
        if len(made) >= MAX_SPELLINGS:
            break
    return attested + tuple(spelling for spelling in made if spelling not in attested)


def spelling_in(name: str, english_words: set[str]) -> str | None:
    """The English spelling of `name` (a German genitive s taken off, an English plural
    or possessive s allowed) that is among `english_words` (lowercase), or None."""
    for spelling in english_spellings(name) + english_spellings(name.removesuffix("s")):
        if spelling in english_words or spelling + "s" in english_words:
            return spelling
    return None


def spelled_in(name: str, english_words: set[str]) -> bool:
    """Whether an English spelling of `name` is among `english_words` (lowercase)."""
    return spelling_in(name, english_words) is not None


NAMES_GLOSSARY_ORIGIN = "debrief's names"


def names_glossary() -> Glossary:
    """ATTESTED as a glossary (German spelling -> the first English one), for
    `--english-names`: code-switched before translation, checked after."""
    return merge_glossaries(
        [
            [
                Term(german, spellings[0], f"{NAMES_GLOSSARY_ORIGIN}:{german}")
                for german, spellings in ATTESTED.items()
                if spellings[0] != german
            ]
        ]
    )
