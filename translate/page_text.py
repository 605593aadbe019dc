"""The article's paragraphs and metadata from what an extractor found on a page: pure
functions over text, no HTML parsing (translate/webpage.py does that).

What extractors leave, measured on the real pages of tests/support/pages/real (German
article pages of trafilatura's test suite): the headline repeated at the top of the body
(alone, behind a kicker, or with the site's name), a dateline or byline as a paragraph
of its own, short boilerplate blocks (related articles, image credits, audio boxes), the
site's name behind the title, and bylines holding more than names (a role, the
publisher, its city, a share button's label).
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urlsplit

# Within the first blocks of a body, a block that is the headline, or part of it, or the
# headline with a few words around it (a kicker, the site), is the headline repeated.
HEADLINE_BLOCKS = 3
HEADLINE_EXTRA_CHARACTERS = 40
# Blocks at most this long that open with one of these are boilerplate, not article
# text: related-article and topic boxes, image credits, audio and video boxes, tables
# of contents, advertising labels.
BOILERPLATE_LENGTH = 120
_BOILERPLATE = re.compile(
    r"^(mehr zum thema|mehr dazu|mehr (artikel|news|beiträge) zu|lesen sie (auch|mehr|hier)"
    r"|weiterlesen|auch interessant|das könnte sie (auch )?interessieren|zum thema"
    r"|verwandte (artikel|themen)|ähnliche (artikel|beiträge)|weitere (artikel|beiträge|"
    r"informationen zum thema)|inhaltsverzeichnis|artikel anhören|audio( abspielen)?"
    r"|(jetzt )?anhören|video abspielen|(foto|fotos|bild|bilder|grafik|quelle|credits?)\s*:"
    r"|©|\(c\) |copyright\b|anzeige$|werbung$|teilen$|drucken$|kommentare?$"
    # Contact lines under an article.
    r"|(e-?mail|kontakt|tel\.?|telefon|fax)( an)?\s*:"
    # Photo galleries' counters and live blogs' controls.
    r"|(bilder)?galerie\b.*\bbild \d+ (von|/) \d+|bild \d+ (von|/) \d+$|\d+ (von|/) \d+$"
    r"|(neueste|älteste) einträge (zuerst|oben)$|liveblog aktualisieren|neue einträge laden)",
    re.IGNORECASE,
)
_DATE_WORDS = (
    r"januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember"
    r"|jan|feb|mär|apr|jun|jul|aug|sep|sept|okt|nov|dez|montag|dienstag|mittwoch|donnerstag"
    r"|freitag|samstag|sonntag|uhr|stand|aktualisiert|veröffentlicht|am|um|vom|zuletzt"
)
# A block that is only a date and time (14. Januar 2020, 16:49 Uhr; Stand: 12.10.2015).
_DATELINE = re.compile(rf"^(?:[\d.:,/–—\-\s]|\b(?:{_DATE_WORDS})\b)+$", re.IGNORECASE)
# Marks that end a sentence, a quotation or a bracket, and emoticons ending a post.
_FINISHED = re.compile(r"""([.!?:;…"'“”»«)\]]|<3|:-?\)|:-?\(|\(:|😀)$""")
_BLOCK_SEPARATORS = re.compile(r"\s+(?:[-–—|»·•]|::)\s+|:\s+")
_TITLE_SEPARATORS = re.compile(r"\s+(?:[-–—|»:·•]|::)\s+")
_LETTERS = re.compile(r"[^\w]+")
# Parts of a byline that are no person: the newsroom, an agency, the publisher.
_NOT_A_PERSON = re.compile(
    r"\b(redaktion|agentur(en)?|dpa|afp|apa|kna|epd|sid|reuters|ap|gmbh|ag|verlag|online|"
    r"media|medien|themes?|news|team|admin|gastautor(in)?|empfehlen|artikel|teilen)\b",
    re.IGNORECASE,
)
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:von|by|text|autor|autorin|autor\*in|autor:in|foto|fotos|ein beitrag von|in)"
    r"\b[:\s]*)+",
    re.IGNORECASE,
)
# Small words inside names (Justus von Daniels, Ursula von der Leyen).
_NAME_PARTICLES = frozenset("von vom van der den de da di du le la ten ter zu zur y".split())
_CAMEL_NAME = re.compile(r"^([A-ZÄÖÜ][a-zäöüß]+)([A-ZÄÖÜ][a-zäöüß]+)$")


def comparable(text: str) -> str:
    """`text` casefolded, with punctuation and runs of spaces as one space."""
    return _LETTERS.sub(" ", text.casefold()).strip()


def repeats_headline(block: str, title: str) -> bool:
    """Whether `block` is the headline again: the same words, a part of them (a kicker
    above it, Zugverkehr of "Zugverkehr: Im ICE ..."), or the headline with a few more
    words before or after it, set off by a separator (the site's name, a kicker)."""
    words = comparable(block)
    if not words:
        return False
    # The headline with and without its kicker (Zugverkehr: Im ICE ...).
    for headline in {comparable(title), comparable(title.partition(": ")[2])} - {""}:
        if words == headline or (words in headline and len(words) >= 4):
            return True
        # Framed: the headline as one part of the block, the rest a kicker or the site
        # set off by a separator; a sentence that opens with its words is no frame.
        parts = [comparable(part) for part in _BLOCK_SEPARATORS.split(block)]
        if headline in parts and len(words) <= len(headline) + HEADLINE_EXTRA_CHARACTERS:
            return True
    return False


def is_dateline(block: str) -> bool:
    """A block that is nothing but a date, a time and their words."""
    return bool(re.search(r"\d", block)) and bool(_DATELINE.match(block.strip()))


def is_byline(block: str, author: str | None) -> bool:
    """A block that only names the author (Von Caspar Schwietering)."""
    if not author:
        return False
    rest = comparable(_BYLINE_PREFIX.sub("", block.strip()))
    return bool(rest) and rest in comparable(author) and len(block) <= len(author) + 20


def is_boilerplate(block: str) -> bool:
    return len(block) <= BOILERPLATE_LENGTH and bool(_BOILERPLATE.match(block.strip()))


class Block(NamedTuple):
    """A paragraph of an extracted document: its kind ("p", "head", "item") and text."""

    kind: str
    text: str


def is_unfinished(text: str) -> bool:
    """Whether a paragraph stops inside a sentence: after a comma, or after a word with
    no mark that ends a sentence, a quotation or a bracket."""
    return not _FINISHED.search(text.rstrip())


def _joined_sentences(blocks: list[Block]) -> list[Block]:
    """Paragraphs that markup split inside a sentence (Der Kläger hat beantragt, | die
    Beklagten ...) joined again: an unfinished paragraph and one that opens in
    lowercase. List items and headings stay as they are."""
    joined: list[Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.kind == block.kind == "p"
            and is_unfinished(previous.text)
            and block.text[:1].islower()
        ):
            joined[-1] = Block("p", f"{previous.text} {block.text}")
        else:
            joined.append(block)
    return joined


def body_paragraphs(blocks: list[Block], title: str | None, author: str | None = None) -> list[str]:
    """The article's paragraphs from the extracted blocks: the headline, datelines and
    bylines at the top dropped, boilerplate blocks dropped anywhere, sentences that
    markup split joined."""
    kept = []
    for index, block in enumerate(blocks):
        at_top = index < HEADLINE_BLOCKS
        if at_top and title and repeats_headline(block.text, title):
            continue
        if at_top and (is_dateline(block.text) or is_byline(block.text, author)):
            continue
        if is_boilerplate(block.text):
            continue
        kept.append(block)
    return [block.text for block in _joined_sentences(kept)]


def _site_words(site: str | None, url: str | None) -> set[str]:
    words = set(comparable(site or "").split())
    host = (urlsplit(url).hostname or "") if url else ""
    words.update(part for part in host.split(".") if part != "www")
    return {word for word in words if len(word) > 3}


def _names_the_site(segment: str, names: set[str]) -> bool:
    words = comparable(segment).split()
    return bool(names & set(words)) or any(name in "".join(words) for name in names)


def clean_title(title: str | None, site: str | None, url: str | None) -> str | None:
    """The headline without the site's name the page appends (" - CNET.de",
    " | MODEPILOT.de", " » SciLogs - Wissenschaftsblogs", " - Martina Berg - Lady
    50plus"): cut where everything after names the site or is a word or two."""
    if not title:
        return None
    names = _site_words(site, url)
    separators = list(_TITLE_SEPARATORS.finditer(title))
    for index, separator in enumerate(separators):
        head = title[: separator.start()].strip()
        ends = [later.start() for later in separators[index + 1 :]] + [len(title)]
        starts = [separator.end()] + [later.end() for later in separators[index + 1 :]]
        segments = [title[start:end] for start, end in zip(starts, ends, strict=True)]
        if len(head) < 10 or not any(_names_the_site(part, names) for part in segments):
            continue
        if all(_names_the_site(part, names) or len(part.split()) <= 2 for part in segments):
            return head
    return title


def clean_site(site: str | None, url: str | None) -> str | None:
    """The site's own name: not a copyright line or a sentence (the host instead), nor
    its city and country (SPIEGEL ONLINE, Hamburg, Germany) or its tagline (CORRECTIV -
    Recherchen für die Gesellschaft)."""
    host = (urlsplit(url).hostname or "") if url else ""
    host = host.removeprefix("www.") or None
    if not site:
        return host
    if re.search(r"copyright|©|\d{4}", site, re.IGNORECASE) or len(site.split()) > 6:
        return host or None
    site = site.split(", ")[0]
    name, separator, tagline = site.partition(" - ")
    if separator and len(tagline.split()) > 2 and len(name) >= 3:
        return name
    return site


def _person(part: str, site_words: set[str]) -> str | None:
    part = _BYLINE_PREFIX.sub("", part.strip()).strip(" :.-")
    camel = _CAMEL_NAME.match(part)
    if camel:
        part = f"{camel.group(1)} {camel.group(2)}"  # MoritzMeyer
    words = part.split()
    # A title or role before the name (Rechtsanwalt Dennis Tölle, Dr. Anna Berg).
    while len(words) > 2 and (words[0].endswith(".") or _is_role(words[0])):
        words = words[1:]
    if not 2 <= len(words) <= 4 or _NOT_A_PERSON.search(part):
        return None
    for word in words:
        if word.lower() in _NAME_PARTICLES:
            continue
        if not word[:1].isupper() or any(character.isdigit() for character in word):
            return None
        if comparable(word) in site_words:
            return None
    if words[0].lower() in _NAME_PARTICLES or words[-1].lower() in _NAME_PARTICLES:
        return None
    return " ".join(words)


def _is_role(word: str) -> bool:
    from translate.lexicon import german_lexicon

    common, names = german_lexicon()
    return word in common and word not in names


def clean_author(author: str | None, site: str | None, url: str | None) -> str | None:
    """The people of a byline, each once, comma-separated: no newsroom, agency,
    publisher, city or button label (SPIEGEL ONLINE; Hamburg; Germany: nobody)."""
    if not author:
        return None
    site_words = _site_words(site, url)
    people: list[str] = []
    for part in re.split(r"\s*(?:;|,|\||&|/|\bund\b|\band\b)\s*", author):
        person = _person(part, site_words)
        if person and person not in people:
            people.append(person)
    return ", ".join(people) or None
