"""Whether a German name reappears in an English translation, in any of the forms English
gives it: as written, written apart (Hongkong / Hong Kong), through the table of exonyms
(Moskau / Moscow), spelled out (FAA / Federal Aviation Administration), as an adjective
(China / Chinese), transliterated from Cyrillic the German and the English way
(translate/transliteration.py: Selenskyj / Zelensky), or close enough to a capitalised
English word (fuzzy matching). Which German words are names is
translate/names.py's question."""

from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import SequenceMatcher

from translate.exonyms import name_variants
from translate.transliteration import spelled_in

# Below this similarity (difflib's ratio, 0-1) a transliterated name and an English word
# are different names: Lukaschenko/Lukashenko and Selenskyj/Zelensky score 0.92 and
# above; of 5,301 pairs of a German name and another capitalised English word in the
# test sentences, 99.9% score under 0.7 and none 0.8.
NAME_SIMILARITY = 0.8
# Acronyms are at most this long; a longer word in capitals is a shouted word (GESCHEHEN).
LONGEST_ACRONYM = 5
# German spelling of sounds that English writes otherwise (Tschernobyl / Chernobyl,
# Jelzin / Yeltsin, Selenskyj / Zelensky), applied before fuzzy matching.
_TRANSLITERATION = (
    ("ä", "a"),
    ("ö", "o"),
    ("ü", "u"),
    ("ß", "ss"),
    ("tsch", "ch"),
    ("sch", "sh"),
    ("yj", "y"),
    ("ij", "iy"),
    ("j", "y"),
    ("w", "v"),
    ("z", "ts"),
)
_ADJECTIVE_ENDING = re.compile(r"ische[nrsm]?$")
# Compass points that German glues to a name and English writes apart (Nordsee, North Sea;
# Osteuropa, Eastern Europe).
_COMPASS = {"Nord": "north", "Süd": "south", "Ost": "east", "West": "west"}
# U.S., U.K., E.U., the U.S's: English writes some acronyms with periods.
_ACRONYM_WITH_PERIODS = re.compile(r"\b[A-Z](?:\.[A-Z])+\.?")
WORD = re.compile(r"[^\W\d_]+")


def transliterate(word: str) -> str:
    """A German spelling in English letters, lowercase: Lukaschenko -> lukashenko."""
    word = word.lower()
    for german, english in _TRANSLITERATION:
        word = word.replace(german, english)
    return word


def latinised(spelled: str) -> str:
    """A transliterated German place name as English often writes the Latin form:
    kalifornien -> california, kolumbien -> columbia, thüringen -> thuringia."""
    spelled = re.sub(r"i?en$", "ia", spelled)  # thüringen -> thuringia
    return "c" + spelled[1:] if spelled.startswith("k") else spelled


def _english_words(text: str) -> Iterator[str]:
    return (match.group() for match in WORD.finditer(text))


def name_in_english(name: str, english: str) -> bool:
    """Whether the German `name` reappears in `english`, allowing the usual variants."""
    english = _ACRONYM_WITH_PERIODS.sub(lambda found: found.group().replace(".", ""), english)
    words = list(_english_words(english))
    lowered = {word.lower() for word in words}
    spoken = " ".join(words).lower()
    lowered_words = [word.lower() for word in words]
    forms = [name, name.removesuffix("s")] if name.endswith("s") else [name]
    variants = name_variants()
    for form in forms:
        if form.lower() in lowered or _written_apart(form.lower(), lowered_words):
            return True  # as written, or written apart (Hongkong / Hong Kong)
        if _compass_name_in(form, spoken) or _spelled_out(form, words):
            return True
        for variant in variants.get(form, ()):
            # Short forms (US, UN) must be whole words, or "us" would be found in "use".
            end = r"\b" if len(variant) < 4 else ""
            if re.search(rf"\b{re.escape(variant.lower())}{end}", spoken):
                return True
    if any(spelled_in(form, lowered) for form in forms):
        return True  # Cyrillic as German and English spell it (Selenskyj / Zelensky)
    capitalised = [word.lower() for word in words if word[0].isupper()]
    for form in forms:
        spelled = transliterate(form)
        stem = _ADJECTIVE_ENDING.sub("", spelled)
        adjective = stem != spelled and len(stem) >= 4  # Europäische: europ..., European
        if adjective and any(word.startswith(stem[:-1]) for word in capitalised):
            return True
        # A name turned adjective or demonym: China / Chinese, Japan / Japanese; or a
        # word the English took over lowercase (Mesotheliom / mesothelioma).
        if len(spelled) >= 5 and any(word.startswith(spelled[:-1]) for word in capitalised):
            return True
        if len(spelled) >= 6 and any(word.startswith(spelled[:-1]) for word in lowered):
            return True
        for word in capitalised:
            english_spelling = transliterate(word)
            for german_spelling in {spelled, latinised(spelled)}:
                similarity = SequenceMatcher(None, german_spelling, english_spelling).ratio()
                if similarity >= NAME_SIMILARITY:
                    return True
    return False


# Small words an acronym's spelled-out form skips (Federal Bureau of Investigation).
_ACRONYM_SKIPS = frozenset({"of", "and", "for", "the", "on", "in", "de"})


def _spelled_out(acronym: str, words: list[str]) -> bool:
    """An acronym written out in the English as capitalised words whose initials spell
    it (FAA, Federal Aviation Administration; ACLU, American Civil Liberties Union)."""
    if not (2 <= len(acronym) <= LONGEST_ACRONYM and acronym.isupper()):
        return False
    for start, word in enumerate(words):
        if word[0] != acronym[0]:
            continue
        spelled, index = "", start
        while index < len(words) and len(spelled) < len(acronym):
            current = words[index]
            if current[0].isupper():
                spelled += current[0]
            elif current not in _ACRONYM_SKIPS:
                break
            index += 1
        if spelled == acronym:
            return True
    return False


def _written_apart(name: str, words: list[str]) -> bool:
    """`name` (lowercase) as one to three consecutive English words run together
    (Hongkong / Hong Kong, Digitaldecoder / digital decoders); a name of four letters
    or more may end inside the last word (Lynch / lynching, Gamer / gamers)."""
    for start, word in enumerate(words):
        if not name.startswith(word[: len(name)]):
            continue
        joined = ""
        for following in words[start : start + 3]:
            joined += following
            if joined == name or (len(name) >= 4 and joined.startswith(name)):
                return True
            if len(joined) >= len(name):
                break
    return False


def _compass_name_in(name: str, spoken: str) -> bool:
    """Nordsee in "the north sea", Osteuropa in "eastern europe": the compass point and
    the start of the rest, as words of the lowercased English."""
    for german, point in _COMPASS.items():
        rest = name[len(german) :]
        if name.startswith(german) and len(rest) >= 3:
            start = transliterate(rest)[:2]  # see / sea, europa / europe
            if re.search(rf"\b{point}\w*\s+{re.escape(start)}", spoken):
                return True
    return False
