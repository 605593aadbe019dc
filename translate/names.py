"""Proper names: which words of a German segment are names, and whether the English kept them.

German capitalises every noun, so capitalisation alone does not mark a name. A capitalised
German word counts as a name when it is not a common noun: the lexicon is the ~100,000
nouns of German Wiktionary with all their inflected forms (the `german-nouns` package,
CC BY-SA 4.0), where people, places and organisations are tagged apart from common nouns.
Compounds missing from the lexicon are recognised by their last part (a Grenzschutzbehörde
ends in Behörde). At the start of a sentence, where every word is capitalised, only words
the lexicon or the table below knows as names count.

English spells many names differently (Moskau / Moscow, Lukaschenko / Lukashenko), so a
name is found in the English when it appears as it is, through the table of exonyms, or
after transliteration close enough to a capitalised English word (fuzzy matching).
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
import re
from collections.abc import Iterator
from difflib import SequenceMatcher

# German exonyms and spellings that neither transliteration nor fuzzy matching can
# bridge (Weißrussland / Belarus), or bridge only loosely (Russland / Russia). Keys are
# German words as written; values the English forms a faithful translation may use,
# matched at the start of an English word, so "Russia" also finds "Russian": English
# often turns a country into its adjective (Deutschlands Wirtschaft, the German economy).
NAME_VARIANTS: dict[str, tuple[str, ...]] = {
    "Ägypten": ("Egypt",),
    "Bayern": ("Bavaria", "Bayern"),
    "BRD": ("FRG", "Germany"),
    "Brüssel": ("Brussels",),
    "Dänemark": ("Denmark", "Danish"),
    "DDR": ("GDR", "East German"),
    "Deutschland": ("German",),  # Germany, German, Germans
    "Estland": ("Estonia",),
    "Europa": ("Europe",),
    "Europäische": ("European",),
    "Europäischen": ("European",),
    "EuGH": ("ECJ", "European Court of Justice", "Court of Justice"),
    "EZB": ("ECB",),
    "Frankreich": ("France", "French"),
    "Genf": ("Geneva",),
    "Griechenland": ("Greece", "Greek"),
    "GUS": ("CIS", "Commonwealth of Independent States"),
    "Großbritannien": ("Britain", "British", "UK", "United Kingdom"),
    "Indien": ("India",),
    "Irak": ("Iraq",),
    "IWF": ("IMF", "International Monetary Fund"),
    "Italien": ("Italy", "Italian"),
    "Kiew": ("Kyiv", "Kiev"),
    "Köln": ("Cologne",),
    "Kroatien": ("Croatia",),
    "Lettland": ("Latvia",),
    "Litauen": ("Lithuania",),
    "Lukaschenko": ("Lukashenko",),
    "Minsk": ("Minsk",),
    "Mittelmeer": ("Mediterranean",),
    "Moskau": ("Moscow",),
    "München": ("Munich",),
    "Niederlande": ("Netherlands", "Holland", "Dutch"),
    "Niedersachsen": ("Lower Saxony",),
    "Nordrhein-Westfalen": ("North Rhine-Westphalia",),
    "Norwegen": ("Norway", "Norwegian"),
    "NS": ("Nazi", "National Socialist"),
    "OSZE": ("OSCE",),
    "Ostsee": ("Baltic",),
    "Peking": ("Beijing", "Peking"),
    "Österreich": ("Austria",),
    "Polen": ("Poland", "Polish"),
    "Prag": ("Prague",),
    "Rom": ("Rome", "Roman"),
    "Rumänien": ("Romania",),
    "Russland": ("Russia",),
    "Sachsen": ("Saxony", "Saxon"),
    "Sankt": ("St", "Saint"),
    "Schweden": ("Sweden", "Swedish"),
    "Schweiz": ("Switzerland", "Swiss"),
    "Serbien": ("Serbia",),
    "Sowjetunion": ("Soviet Union",),
    "Spanien": ("Spain", "Spanish"),
    "Syrien": ("Syria",),
    "Tschechien": ("Czech",),
    "Türkei": ("Turkey", "Türkiye", "Turkish"),
    "UdSSR": ("USSR", "Soviet Union"),
    "Ungarn": ("Hungary",),
    "UNO": ("UN", "United Nations"),
    "USA": ("US", "USA", "United States", "America"),
    "Vereinigten": ("United",),
    "Vereinigte": ("United",),
    "Warschau": ("Warsaw",),
    "Weißrussland": ("Belarus", "Byelorussia", "White Russia"),
    "Wien": ("Vienna",),
}
# Longer words are not names (and the compound and fuzzy tests cost the square of a
# word's length): the longest German compounds run to about 60 letters.
LONGEST_NAME = 64
# Below this similarity (difflib's ratio, 0-1) a transliterated name and an English word
# are different names: Lukaschenko/Lukashenko and Selenskyj/Zelensky score 0.92 and
# above; of 5,301 pairs of a German name and another capitalised English word in the
# test sentences, 99.9% score under 0.7 and none 0.8.
NAME_SIMILARITY = 0.8
# Abbreviations of common nouns, written like the acronyms of names but spelled out in
# English (Atomkraftwerk, nuclear power plant; Bruttoinlandsprodukt, GDP).
COMMON_ABBREVIATIONS = frozenset("AKW BIP EM WM PKW LKW ÖPNV KI MdB OB GG StGB BGB ABM".split())
# German's closed word classes (articles, pronouns, prepositions, conjunctions, common
# adverbs), capitalised at the start of a sentence or as the polite pronoun. Some are
# also rare first names in the lexicon (Am), so they are ruled out before it is asked.
FUNCTION_WORDS = frozenset(
    """Der Die Das Dem Den Des Ein Eine Einem Einen Einer Eines Kein Keine Er Sie Es Wir
    Ich Du Ihr Ihre Ihrem Ihren Ihrer Ihres Ihnen Uns Man Wer Was Wie Wo Wann Warum Als
    Am Im In Ins An Ans Auf Aus Bei Beim Bis Durch Für Gegen Mit Nach Neben Ohne Seit
    Über Um Unter Vom Von Vor Während Wegen Zum Zur Zu Zwischen Trotz Laut Dank Und Oder
    Aber Doch Denn Dass Ob Weil Wenn Falls Obwohl Damit Daher Deshalb Dann Danach Dort Hier
    Heute Gestern Morgen Nun Jetzt Auch Noch Schon Nur Sogar Zudem Jedoch Allerdings
    Außerdem Trotzdem Schließlich Später Dies Diese Dieser Dieses Jene Jener Alle Viele
    Einige Manche Mehr So Nicht Ja Nein Mein Meine Dein Deine Sein Seine Seinen Seinem
    Seiner Seines Unser Unsere Euer Eure Beide Beiden Jeder Jede Jedes""".split()
)
# Words before which a capitalised adjective or verb is a noun made from it (das Neue,
# zum Erliegen, den Befragten), not a name.
_NOMINALISING = frozenset(
    """das dem den des der ein einem einen eines zum zur beim im vom am ins aufs ans
    etwas nichts viel viele vieles wenig alles allem allen""".split()
)
_INFLECTED_ENDING = re.compile(r"(e|en|er|es|em)$")
# Tags German Wiktionary gives to proper nouns.
_NAME_TAGS = frozenset({"Toponym", "Nachname", "Vorname", "Eigenname", "Straßenname"})
_WORD = re.compile(r"[^\W\d_]+")
_OPENING = "\"'„“‚‘»«›‹([{–—-"
_SENTENCE_END = ".!?:;"
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


@functools.cache
def german_lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """(common noun forms, proper names) of German Wiktionary, read once (about 1 s)."""
    common: set[str] = set()
    names: set[str] = set()
    data = importlib.resources.files("german_nouns").joinpath("nouns.csv")
    with data.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        for row in rows:
            tags = set(row[1].split(","))
            if tags & _NAME_TAGS:
                names.add(row[0])
            else:
                common.add(row[0])
                common.update(form for form in row[7:] if form)
    return frozenset(common), frozenset(names)


def _is_common_noun(word: str, common: frozenset[str]) -> bool:
    if word in common:
        return True
    # A compound ends in a noun the lexicon knows: Grenzschutz|behörde, Regierungs|sprecher.
    # Heads of five letters or more, so that Ham|burg and Dort|mund stay names.
    # The lexicon sometimes lists only the long genitive (-es) of a short one (-s).
    return any(
        head in common or head + "es" in common or head.removesuffix("s") in common
        for head in (word[cut].upper() + word[cut + 1 :] for cut in range(3, len(word) - 4))
    )


def _words_starting_sentences(text: str) -> list[tuple[re.Match[str], bool]]:
    """The words of `text`, each with whether it starts a sentence: nothing but
    whitespace and opening quotes or brackets lies between it and the text's start or a
    sentence-final mark. Only the gap after the previous word is read, so a long text
    costs linear time."""
    words = []
    previous_end = 0
    for match in _WORD.finditer(text):
        gap = text[previous_end : match.start()].rstrip().rstrip(_OPENING).rstrip()
        # An empty gap leaves the previous word (a letter) before this one, or nothing.
        starts = gap[-1] in _SENTENCE_END if gap else not words
        words.append((match, starts))
        previous_end = match.end()
    return words


def _known_name(word: str, names: frozenset[str]) -> bool:
    return any(form in names or form in NAME_VARIANTS for form in (word, word.removesuffix("s")))


def _is_name(words: list[tuple[re.Match[str], bool]], index: int) -> bool:
    common, names = german_lexicon()
    match, starts_sentence = words[index]
    word = match.group()
    if not 2 <= len(word) <= LONGEST_NAME or not word[0].isupper() or word in FUNCTION_WORDS:
        return False
    if word in COMMON_ABBREVIATIONS:
        return False
    if word in NAME_VARIANTS or sum(letter.isupper() for letter in word) >= 2:
        return True  # in the table, or an acronym: EU, CDU, AfD
    # Before the names: institutions built of common nouns are names in the lexicon
    # (Bundesverfassungsgericht) but English translates them (Federal Constitutional Court).
    if _is_common_noun(word, common):
        return False
    if _known_name(word, names):
        return True
    if starts_sentence:
        return False
    if not _INFLECTED_ENDING.search(word):
        return True
    # An inflected word that the lexicon does not know: a noun made from an adjective or
    # a verb after an article (das Neue), or an adjective inside the name of an
    # institution, which English translates (das Auswärtige Amt, the Foreign Office).
    before = [previous.group().lower() for previous, _ in words[max(0, index - 2) : index]]
    if any(previous in _NOMINALISING for previous in before):
        return False
    following = words[index + 1][0].group() if index + 1 < len(words) else ""
    return not (following[:1].isupper() and _is_common_noun(following, common))


def german_names(text: str) -> list[str]:
    """The proper names of a German text, in order, as written (with any genitive -s)."""
    words = _words_starting_sentences(text)
    return [match.group() for index, (match, _) in enumerate(words) if _is_name(words, index)]


def transliterate(word: str) -> str:
    """A German spelling in English letters, lowercase: Lukaschenko -> lukashenko."""
    word = word.lower()
    for german, english in _TRANSLITERATION:
        word = word.replace(german, english)
    return word


def _english_words(text: str) -> Iterator[str]:
    return (match.group() for match in _WORD.finditer(text))


def name_in_english(name: str, english: str) -> bool:
    """Whether the German `name` reappears in `english`, allowing the usual variants."""
    words = list(_english_words(english))
    lowered = {word.lower() for word in words}
    spoken = " ".join(words).lower()
    forms = [name, name.removesuffix("s")] if name.endswith("s") else [name]
    for form in forms:
        if form.lower() in lowered:
            return True
        for variant in NAME_VARIANTS.get(form, ()):
            # Short forms (US, UN) must be whole words, or "us" would be found in "use".
            end = r"\b" if len(variant) < 4 else ""
            if re.search(rf"\b{re.escape(variant.lower())}{end}", spoken):
                return True
    capitalised = [word.lower() for word in words if word[0].isupper()]
    for form in forms:
        spelled = transliterate(form)
        stem = _ADJECTIVE_ENDING.sub("", spelled)
        adjective = stem != spelled and len(stem) >= 4  # Europäische: europ..., European
        if adjective and any(word.startswith(stem[:-1]) for word in capitalised):
            return True
        # A name turned adjective or demonym: China / Chinese, Japan / Japanese.
        if len(spelled) >= 5 and any(word.startswith(spelled[:-1]) for word in capitalised):
            return True
        for word in capitalised:
            if SequenceMatcher(None, spelled, transliterate(word)).ratio() >= NAME_SIMILARITY:
                return True
    return False


def missing_names(german: str, english: str) -> list[str]:
    """The names of `german` that `english` lost, each once, in order."""
    return [
        name for name in dict.fromkeys(german_names(german)) if not name_in_english(name, english)
    ]


def english_names(text: str) -> list[str]:
    """Capitalised English words that do not start a sentence: the names of an English text."""
    return [
        match.group()
        for match, starts_sentence in _words_starting_sentences(text)
        if match.group()[0].isupper() and match.group() != "I" and not starts_sentence
    ]
