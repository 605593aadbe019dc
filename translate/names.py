"""Proper names: which words of a German segment are names, and whether the English kept them.

German capitalises every noun, so capitalisation alone does not mark a name. A capitalised
German word counts as a name when it is not a common noun: the lexicon is the ~100,000
nouns of German Wiktionary with all their inflected forms (the `german-nouns` package,
CC BY-SA 4.0), where people, places and organisations are tagged apart from common nouns.
Compounds missing from the lexicon are recognised by their last part (a Grenzschutzbehörde
ends in Behörde). At the start of a sentence, where every word is capitalised, only words
the lexicon or the exonym table (translate/exonyms.py) knows as names count.

Whether the English kept a name, in whatever form English gives it, is
translate/name_forms.py's question; `missing_names` puts the two together.
"""

from __future__ import annotations

import re

from translate.exonyms import name_variants
from translate.lexicon import (
    common_german_word,
    english_cognate,
    english_word_in_german,
    frequent_in_english,
    german_lexicon,
    german_places,
)
from translate.name_forms import LONGEST_ACRONYM, WORD, name_in_english

# Longer words are not names (and the compound and fuzzy tests cost the square of a
# word's length): the longest German compounds run to about 60 letters.
LONGEST_NAME = 64
# Abbreviations of common nouns, written like the acronyms of names but spelled out in
# English (Atomkraftwerk, nuclear power plant; Bruttoinlandsprodukt, GDP).
COMMON_ABBREVIATIONS = frozenset(
    """AKW BIP EM WM PKW LKW ÖPNV KI MdB OB GG StGB BGB ABM PS TV SMS Kfz WG PKV GKV""".split()
)
# Abbreviations of units, numbers, currencies and titles, which English writes its own
# way (Mrd. / billion, Nr. / No., USD 5 / $5, Co. / Co): never names to look for. St.
# is a name, with its English forms in translate/exonyms.py (St. Louis, St Louis).
UNIT_ABBREVIATIONS = frozenset(
    """Mrd Mio Mill Tsd Nr Ref Tel Abs Anm Jh Jhd Co Str Bd Hr Fr Dr Prof Kap
    USD EUR CHF GBP JPY Std Min Sek""".split()
)
# Names of German Wiktionary up to this long are names though they end in a common
# noun (Schu|macher, Neuge|bauer); longer ones are mostly institutions that English
# translates (Bundesverfassungsgericht).
LONGEST_LEXICON_NAME_COMPOUND = 10
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
    Tausende Hunderte Dutzende Allen Allem Alles Eures Eurem Euren Eurer Unseren Unserem
    Unserer Unseres Deinen Deinem Deiner Deines Meinen Meinem Meiner Meines Solche
    Solchen Solcher Welche Welchen Welcher Welches Jenen Jenem""".split()
)
# Words before which a capitalised adjective or verb is a noun made from it (das Neue,
# zum Erliegen, den Befragten), not a name.
_NOMINALISING = frozenset(
    """das dem den des der ein einem einen eines zum zur beim im vom am ins aufs ans
    etwas nichts viel viele vieles wenig alles allem allen""".split()
)
# Determiners before a common noun (die Halle, seinem Bauch, kein Winter).
_DETERMINERS = frozenset(
    """der die das dem den des ein eine einem einen einer eines kein keine keinem keinen
    keiner mein meine meinem meinen meiner dein deine sein seine seinem seinen seiner ihr
    ihre ihrem ihren ihrer unser unsere euer eure dieser diese dieses diesem diesen jeder
    jede jedes jedem jeden""".split()
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
_UMLAUTS = {"ae": "ä", "oe": "ö", "ue": "ü"}
_DIGRAPH = re.compile("ae|oe|ue")
_OPENING = "\"'„“‚‘»«›‹([{–—-"
_SENTENCE_END = ".!?:;"
_QUOTES_OPENING = '"„“»«‚'
# The linking elements of German compounds (Arbeit|s|amt, Planet|en|weg).
_LINKS = ("s", "es", "n", "en", "er", "e", "ns")
# Endings of German place names (Rockenhausen, Kallstadt, Geisingen, Urbach): a word
# the lexicon does not know that ends so is a place, though it splits like a compound
# (Rocken|hausen).
_PLACE_ENDING = re.compile(
    r"(hausen|ingen|heim|dorf|stadt|burg|berg|bach|feld|born|brunn|rode|leben|hofen|"
    r"kirchen|weiler|hagen|stedt|büttel|ow|itz)$"
)
# The place endings that also end inflected words, but hardly any common one (Dingen,
# Lieferungen and Häusern are in the lexicon).
_PLACE_ENDING_IN_EN = re.compile(r"(hausen|ingen|kirchen|hofen)$")
# Short nouns that also end English and German names (Sand|ers, Anis|ton, Ziegel|man,
# Black|burn): not read as the head of a compound.
_NAME_ENDINGS = frozenset("Ers Ton Man Son Ham Ley Ell Ing Erg Orf".split())
# Titles written abbreviated (Mr. Trump, Dr. Müller).
_ABBREVIATED_TITLES = frozenset("Mr Mrs Ms Dr Prof".split())
# Abbreviations whose full stop does not end a sentence (Mr. Trump, St. Pauli, ca. 30).
_ABBREVIATED = _ABBREVIATED_TITLES | frozenset(
    "St Hr Fr Jr Sr Nr ca bzw vgl usw geb Gen Col Sen Rep Gov".split()
)
# Prepositions before a place's name (in Halle, aus China, nach Paris).
_PLACE_PREPOSITIONS = frozenset({"in", "aus", "nach"})
# Titles and forms of address before a surname (Herr Müller, Frau Richter, Mr. Trump).
_TITLES = _ABBREVIATED_TITLES | frozenset("Herr Herrn Frau Sir Lady Lord Senator".split())
# Titles and roles before a name that are English words too, but which English often
# words its own way (Premier Li, Prime Minister Li; Trainer Klopp, coach Klopp).
_TITLES_BEFORE_NAMES = _TITLES | frozenset(
    """Premier Professor Pastor Boss Minister Trainer Coach Manager General Captain
    Sheriff Agent Sergeant Inspector Detective Director Partner Reporter Star Model
    Designer Goalie Doktor Kardinal Bischof Papst Prinz König Graf Baron Mister Miss
    Madame Monsieur""".split()
)


def _is_common_noun(word: str, common: frozenset[str]) -> bool:
    if word in common:
        return True
    # Swiss and pre-1996 spellings: Fussball for Fußball, Anschluß for Anschluss.
    if ("ss" in word and word.replace("ss", "ß") in common) or (
        "ß" in word and word.replace("ß", "ss") in common
    ):
        return True
    # Umlauts typed as two letters (Rueckruf for Rückruf), as keyboards without them do.
    if _DIGRAPH.search(word):
        umlauted = _DIGRAPH.sub(lambda pair: _UMLAUTS[pair[0]], word)
        if umlauted in common and umlauted not in german_lexicon()[1]:  # Mueller: a name
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
    for match in WORD.finditer(text):
        raw_gap = text[previous_end : match.start()]
        gap = raw_gap.rstrip().rstrip(_OPENING).rstrip()
        # An empty gap leaves the previous word (a letter) before this one, or nothing. A
        # quotation opened after a space starts a sentence of its own (sagte: „Hat er).
        mark = raw_gap.rstrip()[-1:]
        opens_quote = bool(words) and bool(mark) and mark in _QUOTES_OPENING
        opens_quote = opens_quote and raw_gap[:1].isspace()
        starts = (gap[-1] in _SENTENCE_END if gap else not words) or opens_quote
        if starts and gap == "." and words and _abbreviation(words[-1][0].group()):
            starts = opens_quote  # Donald J. Trump, Mr. Trump, Dr. Müller: no new sentence
        words.append((match, starts))
        previous_end = match.end()
    return words


def _typed_capitals(word: str) -> bool:
    """Two capitals and then a long lowercase run (BEstätigung, DIenstag): a typing slip,
    not an acronym such as AfD, EuGH or UdSSR."""
    return bool(re.fullmatch(r"[A-ZÄÖÜ]{2}[a-zäöüß]{4,}", word))


def _abbreviation(word: str) -> bool:
    """An initial (J.) or an abbreviated title or word that a full stop follows without
    ending the sentence."""
    return (len(word) == 1 and word.isupper()) or word in _ABBREVIATED


def _known_name(word: str, names: frozenset[str]) -> bool:
    variants = name_variants()
    return any(form in names or form in variants for form in (word, word.removesuffix("s")))


def _compound_of_nouns(word: str, common: frozenset[str], depth: int = 0) -> bool:
    """Whether `word` is a noun the lexicon knows (2 letters or more) with a short noun it
    knows after it (Garantie|zeit, Präsident|en|amt, Öl|firma), with the linking elements
    of German compounds between them; the first part may be a compound itself
    (Landes|denkmal|amt) or a frequent German word (Direkt|kauf)."""
    for cut in range(2, len(word) - 2):
        head = word[cut].upper() + word[cut + 1 :]
        if head not in common or (len(head) == 3 and head in _NAME_ENDINGS):
            continue
        first = word[:cut]
        linked = {first[: -len(link)] for link in _LINKS if first.endswith(link)}
        forms = {form for form in {first, *linked} if len(form) >= 2}
        if any(form in common for form in forms):
            return True
        if any(len(form) >= 4 and common_german_word(form) for form in forms):
            return True
        if depth < 2 and any(
            len(form) >= 6 and _compound_of_nouns(form, common, depth + 1) for form in forms
        ):
            return True
    return False


def _currency_prefix(match: re.Match[str]) -> bool:
    """US of US-Dollar, which English writes $ or dollars."""
    return match.string.startswith("-Dollar", match.end())


def _part_of_a_compound(match: re.Match[str]) -> bool:
    """A word cut off before a hyphen and a space (Arbeits- und Sozialminister), or a noun
    after a number and a hyphen (70-Jährige): parts of compounds, not names."""
    text = match.string
    after = text[match.end() : match.end() + 2]
    # Fern-, Regional- und S-Bahn-Verkehr: the part is elided before a comma too.
    if after[:1] == "-" and (after[1:] == "" or after[1:].isspace() or after[1:] in ",;/)"):
        return True
    return (
        match.start() >= 2 and text[match.start() - 1] == "-" and text[match.start() - 2].isdigit()
    )


def name_evidence(words: list[tuple[re.Match[str], bool]], index: int) -> str | None:
    """Why word `index` of `words` (from `_words_starting_sentences`) is a name, or None:
    "table" (CLDR or the exonym table), "acronym", "neighbours" (a name that is also a
    common noun, told by its context), "english" (an English word in the German), "lexicon"
    (a name in German Wiktionary), or "unknown" (a word no lexicon knows that is no common
    noun by its form)."""
    common, names = german_lexicon()
    match, starts_sentence = words[index]
    word = match.group()
    if not 2 <= len(word) <= LONGEST_NAME or not word[0].isupper() or word in FUNCTION_WORDS:
        return None
    if {word, word.removesuffix("s")} & (COMMON_ABBREVIATIONS | UNIT_ABBREVIATIONS):
        return None
    if _part_of_a_compound(match) or _currency_prefix(match):
        return None
    capitals = sum(letter.isupper() for letter in word)
    if capitals >= 2 and _typed_capitals(word):
        word, capitals = word[0] + word[1:].lower(), 1  # BEstätigung: a slip of the shift key
    if capitals >= 2 and word.isupper() and len(word) > 2:
        shouted = word.capitalize()  # WENN, WAS, GESCHEHEN: shouted words, not acronyms
        if len(word) > LONGEST_ACRONYM or shouted in FUNCTION_WORDS or shouted in common:
            return None
    if word in name_variants():
        return "table"  # countries, cities, months
    if capitals >= 2:
        return "acronym"  # EU, AfD
    if word in names and word in common:
        if word not in _TITLES and _ambiguous_is_name(words, index, common, names):
            return "neighbours"
        return None
    if not starts_sentence and word in common and english_word_in_german(word):
        return "english"  # County Court, Agency: an English body's name kept in German
    # Before the names: institutions built of common nouns are names in the lexicon
    # (Bundesverfassungsgericht) but English translates them (Federal Constitutional Court).
    if word in names and len(word) <= LONGEST_LEXICON_NAME_COMPOUND:
        return "lexicon"  # Schumacher, Neugebauer: surnames that split like compounds
    if _is_common_noun(word, common):
        return None
    if _known_name(word, names):
        return "lexicon"
    if starts_sentence:
        return None
    if _PLACE_ENDING.search(word) and (
        not _INFLECTED_ENDING.search(word)
        or (_PLACE_ENDING_IN_EN.search(word) and not common_german_word(word))
    ):
        return "unknown"  # Urbach, Rockenhausen: places, though they split as compounds
    if _COMMON_ENDING.search(word) or _compound_of_nouns(word, common):
        return None
    # A verb made a noun, in the genitive (des Schenkens, des Radelns).
    if common_german_word(word) or (
        word.endswith(("ens", "lns", "rns"))
        and (word[:-1] in common or common_german_word(word[:-1]))
    ):
        return None
    if _first_part_of_hyphenated(words, index, common, names):
        return None
    if not _INFLECTED_ENDING.search(word):
        return "unknown"
    # An inflected word that the lexicon does not know: a noun made from an adjective or
    # a verb after an article (das Neue), or an adjective inside the name of an
    # institution, which English translates (das Auswärtige Amt, the Foreign Office).
    before = [previous.group().lower() for previous, _ in words[max(0, index - 2) : index]]
    if any(previous in _NOMINALISING for previous in before):
        return None
    following = words[index + 1][0].group() if index + 1 < len(words) else ""
    if following[:1].isupper() and _is_common_noun(following, common):
        return None
    return "unknown"


def _first_part_of_hyphenated(
    words: list[tuple[re.Match[str], bool]],
    index: int,
    common: frozenset[str],
    names: frozenset[str],
) -> bool:
    """The first part of a compound written with a hyphen, with the linking s of a common
    noun (Erpressungs-Software) or before a common noun (Elektro-Zustellfahrzeug,
    Ausspäh-Aktionen): no name unless the lexicon knows it as one."""
    match = words[index][0]
    word, text = match.group(), match.string
    if not text.startswith("-", match.end()):
        return False
    if word.endswith("s") and (
        _is_common_noun(word[:-1], common) or _COMMON_ENDING.search(word[:-1])
    ):
        return True
    following = words[index + 1][0] if index + 1 < len(words) else None
    if following is None or following.start() != match.end() + 1:
        return False
    rest = following.group()
    return rest[:1].isupper() and _is_common_noun(rest, common) and rest not in names


def _ambiguous_is_name(
    words: list[tuple[re.Match[str], bool]],
    index: int,
    common: frozenset[str],
    names: frozenset[str],
) -> bool:
    """A word German Wiktionary knows both as a name and as a common noun (Müller and
    der Müller, Halle and die Halle, Paris, Winter, Henry) by its neighbours: after an
    article, a determiner or an inflected adjective it is the noun; otherwise a place
    is a place after "in", "aus" or "nach", and any name needs a title or another name
    beside it (Herr Richter, Henry Kissinger, Thomas Müller)."""
    word = words[index][0].group()
    previous = words[index - 1][0].group() if index else ""
    adjacent_previous = index and words[index - 1][0].end() + 1 == words[index][0].start()
    before = previous.lower()
    if (
        before in _DETERMINERS
        or before in _NOMINALISING
        or (previous[:1].islower() and _INFLECTED_ENDING.search(before))
    ):
        return False
    if word in german_places() and previous in _PLACE_PREPOSITIONS:
        return True  # in Halle, aus China, nach Paris
    if frequent_in_english(word):
        return True  # Paris, Henry, Maria: names English uses a lot
    following = words[index + 1][0].group() if index + 1 < len(words) else ""
    adjacent_following = following and words[index][0].end() + 1 == words[index + 1][0].start()

    def name_like(position: int) -> bool:
        other = words[position][0].group()
        return other in names and other not in common

    return bool(
        previous in _TITLES
        or (adjacent_previous and name_like(index - 1))
        or (adjacent_following and name_like(index + 1))
    )


def _beside(words: list[tuple[re.Match[str], bool]], first: int, second: int) -> bool:
    """Whether words `first` and `second` are written with one space between them."""
    left, right = words[first][0], words[second][0]
    return right.start() == left.end() + 1 and left.string[left.end()] == " "


def _part_of_a_name(words: list[tuple[re.Match[str], bool]], index: int, named: list[bool]) -> bool:
    """A German common noun that is an English word (News, Post, City, League, Bank)
    written beside a name (`named`: which words are names by their own evidence) is a
    part of that name, English's own: ABC News, Washington Post, New York City, Radio
    Wien. A title before a name is not (Premier, Professor: English translates it)."""
    match, starts_sentence = words[index]
    word = match.group()
    if starts_sentence or word in FUNCTION_WORDS or word not in german_lexicon()[0]:
        return False
    if not english_cognate(word):
        return False
    after_a_name = index > 0 and named[index - 1] and _beside(words, index - 1, index)
    before_a_name = (
        index + 1 < len(words)
        and named[index + 1]
        and word not in _TITLES_BEFORE_NAMES
        and _beside(words, index, index + 1)
    )
    return after_a_name or before_a_name


def german_names(text: str) -> list[str]:
    """The proper names of a German text, in order, as written (with any genitive -s)."""
    words = _words_starting_sentences(text)
    named = [name_evidence(words, index) is not None for index in range(len(words))]
    return [
        match.group()
        for index, (match, _) in enumerate(words)
        if named[index] or _part_of_a_name(words, index, named)
    ]


_ACRONYM = re.compile(r"\b[A-ZÄÖÜ][A-ZÄÖÜ0-9]{1,4}s?\b")


def _is_acronym(word: str) -> bool:
    return bool(_ACRONYM.fullmatch(word)) and sum(letter.isupper() for letter in word) >= 2


def missing_names(german: str, english: str) -> list[str]:
    """The names of `german` that `english` lost, each once, in order. A German acronym
    the English lacks is matched, one for one, with an acronym the English has and the
    German does not: the English one of the same body (GB / UK, IHK / CCI)."""
    names = list(dict.fromkeys(german_names(german)))
    missing = [name for name in names if not name_in_english(name, english)]
    if not any(_is_acronym(name) for name in missing):
        return missing
    german_words = set(WORD.findall(german))
    english_acronyms = [  # not the English form of a German name (US for USA)
        word
        for word in dict.fromkeys(_ACRONYM.findall(english))
        if _is_acronym(word)
        and word not in german_words
        and not any(name_in_english(name, word) for name in names)
    ]
    kept = []
    for name in missing:
        if _is_acronym(name) and english_acronyms:
            english_acronyms.pop(0)
            continue
        kept.append(name)
    return kept


def english_names(text: str) -> list[str]:
    """Capitalised English words that do not start a sentence: the names of an English text."""
    return [
        match.group()
        for match, starts_sentence in _words_starting_sentences(text)
        if match.group()[0].isupper() and match.group() != "I" and not starts_sentence
    ]
