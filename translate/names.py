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
    "September": ("Sept",),  # besides CLDR's September and Sep
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
    "US": ("US", "USA", "United States", "America"),
    "Vereinigten": ("United", "US", "UK", "America", "Britain", "British"),
    "Vereinigte": ("United", "US", "UK", "America", "Britain", "British"),
    "Vereinten": ("United", "UN"),
    "Vereinte": ("United", "UN"),
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
COMMON_ABBREVIATIONS = frozenset(
    """AKW BIP EM WM PKW LKW ÖPNV KI MdB OB GG StGB BGB ABM PS TV SMS Kfz WG PKV GKV""".split()
)
# Abbreviations of units, numbers, currencies and titles, which English writes its own
# way (Mrd. / billion, Nr. / No., USD 5 / $5, Co. / Co): never names to look for.
UNIT_ABBREVIATIONS = frozenset(
    """Mrd Mio Mill Tsd Nr Ref Tel Abs Anm Jh Jhd Co Str Bd Hr Fr Dr Prof St Kap
    USD EUR CHF GBP JPY Std Min Sek""".split()
)
# Acronyms are at most this long; a longer word in capitals is a shouted word (GESCHEHEN).
LONGEST_ACRONYM = 5
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
    Seiner Seines Unser Unsere Euer Eure Beide Beiden Jeder Jede Jedes Dir Dich Mir Mich
    Euch Bin Bist Ist Sind War Waren Anders Anstatt Statt Sonst Also Etwa Bitte Danke
    Tausende Hunderte Dutzende""".split()
)
# Words before which a capitalised adjective or verb is a noun made from it (das Neue,
# zum Erliegen, den Befragten), not a name.
_NOMINALISING = frozenset(
    """das dem den des der ein einem einen eines zum zur beim im vom am ins aufs ans
    etwas nichts viel viele vieles wenig alles allem allen""".split()
)
_INFLECTED_ENDING = re.compile(r"(e|en|er|es|em)$")
# Endings of German common nouns (Abholung, Verlangsamung, Staatlichkeit, Schmelzerei) and
# of adjectives and adverbs written with a capital (Problemlos, Ehrlich): a word the
# lexicon does not know that ends so is no name. Names with these endings that German
# Wiktionary knows (Leipzig) are found before this is asked.
_COMMON_ENDING = re.compile(
    r"(ung|ungen|heit|heiten|keit|keiten|schaft|schaften|tion|tionen|ität|itäten|ismus|"
    r"erei|ereien|nis|nisse|tum|tümer|ling|linge|chen|los|lich|ig|isch|bar|sam|haft|"
    r"ende|enden|ierte|ierten)$"
)
# Tags German Wiktionary gives to proper nouns.
_NAME_TAGS = frozenset({"Toponym", "Nachname", "Vorname", "Eigenname", "Straßenname"})
_WORD = re.compile(r"[^\W\d_]+")
_OPENING = "\"'„“‚‘»«›‹([{–—-"
_SENTENCE_END = ".!?:;"
_QUOTES_OPENING = '"„“»«‚'
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
# The linking elements of German compounds (Arbeit|s|amt, Planet|en|weg).
_LINKS = ("s", "es", "n", "en", "er", "e", "ns")
# Compass points that German glues to a name and English writes apart (Nordsee, North Sea;
# Osteuropa, Eastern Europe).
_COMPASS = {"Nord": "north", "Süd": "south", "Ost": "east", "West": "west"}
# U.S., U.K., E.U.: English writes some acronyms with periods.
_ACRONYM_WITH_PERIODS = re.compile(r"\b(?:[A-Z]\.){2,}")


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
        raw_gap = text[previous_end : match.start()]
        gap = raw_gap.rstrip().rstrip(_OPENING).rstrip()
        # An empty gap leaves the previous word (a letter) before this one, or nothing. A
        # quotation opened after a space starts a sentence of its own (sagte: „Hat er).
        mark = raw_gap.rstrip()[-1:]
        opens_quote = bool(words) and bool(mark) and mark in _QUOTES_OPENING
        opens_quote = opens_quote and raw_gap[:1].isspace()
        starts = (gap[-1] in _SENTENCE_END if gap else not words) or opens_quote
        words.append((match, starts))
        previous_end = match.end()
    return words


def _known_name(word: str, names: frozenset[str]) -> bool:
    variants = _name_variants()
    return any(form in names or form in variants for form in (word, word.removesuffix("s")))


def _compound_of_nouns(word: str, common: frozenset[str]) -> bool:
    """Whether `word` is a noun the lexicon knows (2 letters or more) with a short noun it
    knows after it (Garantie|zeit, Präsident|en|amt, Öl|firma), with the linking elements
    of German compounds between them."""
    for cut in range(2, len(word) - 2):
        head = word[cut].upper() + word[cut + 1 :]
        if head not in common:
            continue
        first = word[:cut]
        linked = {first[: -len(link)] for link in _LINKS if first.endswith(link)}
        if any(len(form) >= 2 and form in common for form in {first, *linked}):
            return True
    return False


def _part_of_a_compound(match: re.Match[str]) -> bool:
    """A word cut off before a hyphen and a space (Arbeits- und Sozialminister), or a noun
    after a number and a hyphen (70-Jährige): parts of compounds, not names."""
    text = match.string
    after = text[match.end() : match.end() + 2]
    if after[:1] == "-" and (after[1:] == "" or after[1:].isspace()):
        return True
    return (
        match.start() >= 2 and text[match.start() - 1] == "-" and text[match.start() - 2].isdigit()
    )


@functools.cache
def _name_variants() -> dict[str, tuple[str, ...]]:
    """The table above, with the German and English names CLDR gives countries,
    territories, languages, time-zone cities and months (Südafrika / South Africa,
    Hongkong / Hong Kong, März / March), through Babel. A date that loses its month
    has lost what a name would."""
    from babel import Locale

    german, english = Locale("de"), Locale("en")
    common = german_lexicon()[0]
    variants: dict[str, set[str]] = {}

    def add(german_name: str | None, english_name: str | None, same: bool = False) -> None:
        if not german_name or not english_name or (german_name == english_name and not same):
            return
        english_name = english_name.removesuffix(" SAR China").split(" (")[0]
        names = {german_name}
        last = german_name.split()[-1]
        if last not in common:  # Hongkong of "Sonderverwaltungsregion Hongkong", not Ozean
            names.add(last)
        for name in names:
            if name[:1].isupper():
                variants.setdefault(name, set()).add(english_name)

    for code, name in german.territories.items():  # regions too: 142 Asien / Asia
        add(name, english.territories.get(code))
    for code, name in german.languages.items():
        add(name.capitalize(), english.languages.get(code))
    for zone, names in german.time_zones.items():
        add(names.get("city"), english.time_zones.get(zone, {}).get("city"))
    for number, name in german.months["format"]["wide"].items():
        add(name, english.months["format"]["wide"][number], same=True)
        add(name, english.months["format"]["abbreviated"][number], same=True)  # Sep, Aug
    add("Jänner", "January")
    for name, forms in NAME_VARIANTS.items():
        variants.setdefault(name, set()).update(forms)
    return {name: tuple(sorted(forms)) for name, forms in variants.items()}


def _is_name(words: list[tuple[re.Match[str], bool]], index: int) -> bool:
    common, names = german_lexicon()
    match, starts_sentence = words[index]
    word = match.group()
    if not 2 <= len(word) <= LONGEST_NAME or not word[0].isupper() or word in FUNCTION_WORDS:
        return False
    if word in COMMON_ABBREVIATIONS or word in UNIT_ABBREVIATIONS:
        return False
    if _part_of_a_compound(match):
        return False
    capitals = sum(letter.isupper() for letter in word)
    if capitals >= 2 and word.isupper() and len(word) > 2:
        shouted = word.capitalize()  # WENN, WAS, GESCHEHEN: shouted words, not acronyms
        if len(word) > LONGEST_ACRONYM or shouted in FUNCTION_WORDS or shouted in common:
            return False
    if word in _name_variants() or capitals >= 2:
        return True  # in the tables (countries, cities, months), or an acronym: EU, AfD
    # Before the names: institutions built of common nouns are names in the lexicon
    # (Bundesverfassungsgericht) but English translates them (Federal Constitutional Court).
    if _is_common_noun(word, common):
        return False
    if _known_name(word, names):
        return True
    if starts_sentence:
        return False
    if _COMMON_ENDING.search(word) or _compound_of_nouns(word, common):
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


def latinised(spelled: str) -> str:
    """A transliterated German place name as English often writes the Latin form:
    kalifornien -> california, kolumbien -> columbia."""
    spelled = re.sub(r"ien$", "ia", spelled)
    return "c" + spelled[1:] if spelled.startswith("k") else spelled


def _english_words(text: str) -> Iterator[str]:
    return (match.group() for match in _WORD.finditer(text))


def name_in_english(name: str, english: str) -> bool:
    """Whether the German `name` reappears in `english`, allowing the usual variants."""
    english = _ACRONYM_WITH_PERIODS.sub(lambda found: found.group().replace(".", ""), english)
    words = list(_english_words(english))
    lowered = {word.lower() for word in words}
    spoken = " ".join(words).lower()
    forms = [name, name.removesuffix("s")] if name.endswith("s") else [name]
    variants = _name_variants()
    for form in forms:
        if form.lower() in lowered or form.lower() in spoken.replace(" ", ""):
            return True  # as written, or written apart (Hongkong / Hong Kong)
        if _compass_name_in(form, spoken):
            return True
        for variant in variants.get(form, ()):
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
