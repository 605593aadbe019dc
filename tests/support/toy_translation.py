"""A small MarianMT trained here to really translate a toy German, for measuring how
well glossaries are enforced (benchmarks/glossary_eval.py, tests/test_glossary_rate.py).

A random model says nothing about enforcement: whether a code-switched English term
comes through depends on a model that translates the rest and copies what it does not
take for German. No real model can be downloaded here, so this one is trained on
sentences from a small grammar of German news: subjects (people's names, noun phrases
with adjectives), verbs, objects in the accusative, prepositions with the dative and
accusative, time adverbs that move the verb before the subject (Heute besucht der
Minister die Stadt: Today the minister visits the city), subordinate clauses with the
verb at the end (..., dass die Regierung den Plan kritisiert: ... that the government
criticises the plan), weak nouns (den Präsidenten), single-word compounds with
multi-word English (Bundesnetzagentur: Federal Network Agency). Names and English
loanwords (das Update) are copied, as in real news; both are made-up strings, so the
English words a glossary puts into the German were never seen in training.

It is a toy: 60-odd nouns, a dozen verbs. It shows what code-switching does on a model
that translates and copies as Marian models do; it is no measure of opus-mt's rate.

    python tests/support/toy_translation.py DIR [--steps N]   # train, save, print accuracy
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Noun:
    german: str
    gender: str  # m, f or n
    english: str
    weak: bool = False  # a weak noun: -en in every case but the nominative


NOUNS = tuple(
    Noun(*fields)
    for fields in (
        ("Minister", "m", "minister"),
        ("Regierung", "f", "government"),
        ("Stadt", "f", "city"),
        ("Partei", "f", "party"),
        ("Kanzler", "m", "chancellor"),
        ("Bericht", "m", "report"),
        ("Plan", "m", "plan"),
        ("Gesetz", "n", "law"),
        ("Vertrag", "m", "treaty"),
        ("Gericht", "n", "court"),
        ("Polizei", "f", "police"),
        ("Armee", "f", "army"),
        ("Bürgermeister", "m", "mayor"),
        ("Firma", "f", "company"),
        ("Schule", "f", "school"),
        ("Zeitung", "f", "newspaper"),
        ("Wahl", "f", "election"),
        ("Haushalt", "m", "budget"),
        ("Koalition", "f", "coalition"),
        ("Behörde", "f", "authority"),
        ("Botschafter", "m", "ambassador"),
        ("Gipfel", "m", "summit"),
        ("Krieg", "m", "war"),
        ("Streik", "m", "strike"),
        ("Hafen", "m", "port"),
        ("Flughafen", "m", "airport"),
        ("Rathaus", "n", "town hall"),
        ("Ministerium", "n", "ministry"),
        ("Parlament", "n", "parliament"),
        ("Urteil", "n", "verdict"),
        ("Abkommen", "n", "agreement"),
        ("Verbot", "n", "ban"),
        ("Konzern", "m", "group"),
        ("Verband", "m", "association"),
        ("Gewerkschaft", "f", "union"),
        ("Opposition", "f", "opposition"),
        ("Kommission", "f", "commission"),
        ("Richter", "m", "judge"),
        ("Sprecher", "m", "spokesman"),
        ("Antrag", "m", "motion"),
        ("Reform", "f", "reform"),
        ("Steuer", "f", "tax"),
        ("Grenze", "f", "border"),
        ("Präsident", "m", "president", True),
        ("Kandidat", "m", "candidate", True),
        ("Journalist", "m", "journalist", True),
        ("Bundesnetzagentur", "f", "Federal Network Agency"),
        ("Verfassungsgericht", "n", "constitutional court"),
        ("Zentralbank", "f", "central bank"),
        ("Finanzminister", "m", "finance minister"),
        ("Außenminister", "m", "foreign minister"),
        ("Landtag", "m", "state parliament"),
        ("Gesundheitsamt", "n", "health office"),
        ("Arbeitsagentur", "f", "employment agency"),
        ("Kartellamt", "n", "cartel office"),
        ("Innenministerium", "n", "interior ministry"),
        ("Bundesrat", "m", "Federal Council"),
        ("Rechnungshof", "m", "audit office"),
    )
)
# German present tense (third person singular) and English.
VERBS = (
    ("besucht", "visits"),
    ("kritisiert", "criticises"),
    ("unterstützt", "supports"),
    ("lobt", "praises"),
    ("prüft", "examines"),
    ("verklagt", "sues"),
    ("fordert", "demands"),
    ("blockiert", "blocks"),
    ("stoppt", "stops"),
    ("informiert", "informs"),
    ("warnt", "warns"),
    ("berät", "advises"),
)
ADJECTIVES = (
    ("neu", "new"),
    ("alt", "old"),
    ("groß", "large"),
    ("klein", "small"),
    ("deutsch", "German"),
    ("lokal", "local"),
    ("zuständig", "responsible"),
)
TIMES = (
    ("Heute", "Today"),
    ("Am Montag", "On Monday"),
    ("Am Dienstag", "On Tuesday"),
    ("Am Freitag", "On Friday"),
    ("Morgen", "Tomorrow"),
    ("Jetzt", "Now"),
)
# Prepositions and the case each takes here.
PREPOSITIONS = (
    ("mit", "dat", "with"),
    ("nach", "dat", "after"),
    ("für", "acc", "for"),
    ("gegen", "acc", "against"),
    ("ohne", "acc", "without"),
)
SAYING = (("sagt", "says"), ("meint", "believes"), ("berichtet", "reports"))
ARTICLES = {
    ("nom", "m"): "der",
    ("nom", "f"): "die",
    ("nom", "n"): "das",
    ("acc", "m"): "den",
    ("acc", "f"): "die",
    ("acc", "n"): "das",
    ("dat", "m"): "dem",
    ("dat", "f"): "der",
    ("dat", "n"): "dem",
}
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_SYLLABLES = (
    "ka lo mi ra ten bor vel sun dri mak fen tal ri po nu ge sa bel dor wim kar lis ton "
    "ha ze mo rup ba fi gan lek no trav qui pel"
).split()


def made_up_word(generator: random.Random, capitalized: bool) -> str:
    """A word from no language, a name (capitalized) or a loanword: 2-3 syllables, or
    4-10 letters of any kind (so that the model learns to copy pieces it never saw
    together, as a real model copies names and English words)."""
    if generator.random() < 0.5:
        word = "".join(generator.choice(_SYLLABLES) for _ in range(generator.randint(2, 3)))
    else:
        word = "".join(generator.choice(_LETTERS) for _ in range(generator.randint(4, 10)))
    return word.capitalize() if capitalized else word


def noun_phrase(
    generator: random.Random, case: str, noun: Noun | None = None, english: str | None = None
) -> tuple[str, str]:
    """A German noun phrase in `case` and its English: a name, a loanword with das, or
    an article, maybe an adjective, and a noun (`noun` if given, in English `english`
    if given)."""
    if noun is None:
        roll = generator.random()
        if roll < 0.2:
            name = f"{made_up_word(generator, True)} {made_up_word(generator, True)}"
            return name, name
        if roll < 0.4:
            # German capitalizes a loanword as a noun, or quotes it as written.
            word = made_up_word(generator, False)
            written = word.capitalize() if generator.random() < 0.5 else word
            return f"{ARTICLES[(case, 'n')]} {written}", f"the {word}"
        noun = generator.choice(NOUNS)
    article = ARTICLES[(case, noun.gender)]
    german_noun = noun.german + ("en" if noun.weak and case != "nom" else "")
    english = english or noun.english
    if generator.random() < 0.3:
        adjective, english_adjective = generator.choice(ADJECTIVES)
        weak_e = case == "nom" or (case == "acc" and noun.gender != "m")
        ending = "e" if weak_e else "en"
        return f"{article} {adjective}{ending} {german_noun}", f"the {english_adjective} {english}"
    return f"{article} {german_noun}", f"the {english}"


def _capital(text: str) -> str:
    return text[0].upper() + text[1:]


def toy_pair(
    generator: random.Random, noun: Noun | None = None, english: str | None = None
) -> tuple[str, str]:
    """One German sentence and its English; `noun`, when given, is the subject's or the
    object's noun, in English `english` when given (a glossary's term)."""
    as_subject = noun is not None and generator.random() < 0.5
    subject, subject_en = noun_phrase(generator, "nom", *((noun, english) if as_subject else ()))
    verb, verb_en = generator.choice(VERBS)
    object_, object_en = noun_phrase(generator, "acc", *(() if as_subject else (noun, english)))
    shape = generator.random()
    if generator.random() < 0.3:
        preposition, case, preposition_en = generator.choice(PREPOSITIONS)
        extra, extra_en = noun_phrase(generator, case)
        object_, object_en = (
            f"{object_} {preposition} {extra}",
            f"{object_en} {preposition_en} {extra_en}",
        )
    if shape < 0.4:
        return (
            f"{_capital(subject)} {verb} {object_}.",
            f"{_capital(subject_en)} {verb_en} {object_en}.",
        )
    if shape < 0.7:
        time_, time_en = generator.choice(TIMES)
        return (
            f"{time_} {verb} {subject} {object_}.",
            f"{time_en} {subject_en} {verb_en} {object_en}.",
        )
    speaker, speaker_en = noun_phrase(generator, "nom")
    says, says_en = generator.choice(SAYING)
    return (
        f"{_capital(speaker)} {says}, dass {subject} {object_} {verb}.",
        f"{_capital(speaker_en)} {says_en} that {subject_en} {verb_en} {object_en}.",
    )


def toy_pairs(count: int, seed: int) -> list[tuple[str, str]]:
    """`count` sentence pairs, reproducible by `seed`."""
    generator = random.Random(seed)
    return [toy_pair(generator) for _ in range(count)]


def _write_tokenizer(directory: Path):
    from support.tiny_models import shared_marian_tokenizer

    text = "\n".join(side for pair in toy_pairs(6000, seed=1) for side in pair)
    return shared_marian_tokenizer(directory, text, vocab_size=1000, model_max_length=128)


def train_toy_translator(
    directory: Path, steps: int = 2500, seed: int = 0, batch_size: int = 64
) -> dict:
    """Train a 3+3-layer Marian (d_model 128) on toy pairs, `batch_size` a step; save
    it to `directory`. Returns the training figures: steps, seconds, final loss."""
    from support.tiny_models import train_marian

    directory = Path(directory)
    tokenizer = _write_tokenizer(directory)

    def batch(step: int) -> list[tuple[str, str]]:
        return toy_pairs(batch_size, seed=1000 + seed * 1_000_000 + step)

    return train_marian(
        directory,
        tokenizer,
        batch,
        steps=steps,
        seed=seed,
        d_model=128,
        layers=3,
        ffn_dim=512,
        max_length=64,
        learning_rate=1e-3,
    )


def accuracy(directory: Path, samples: int = 200, seed: int = 7) -> float:
    """The fraction of held-out toy sentences the model translates exactly."""
    from debrief.runtime.settings import Runtime
    from translate.marian import load_translator

    translator = load_translator(str(directory), runtime=Runtime(backend="torch", device="cpu"))
    pairs = toy_pairs(samples, seed=seed)
    outputs = translator.translate_batch([german for german, _ in pairs])
    return sum(out == english for out, (_, english) in zip(outputs, pairs, strict=True)) / samples


# The glossary measured: English for toy nouns that differs from what the model learned
# and never occurs in its training (the model must copy it), single words and phrases,
# lower case and proper names.
GLOSSARY_TERMS = {
    "Minister": "secretary",
    "Stadt": "town",
    "Bericht": "dossier",
    "Gesetz": "statute",
    "Vertrag": "accord",
    "Firma": "firm",
    "Wahl": "ballot",
    "Haushalt": "spending plan",
    "Koalition": "alliance",
    "Behörde": "agency",
    "Streik": "walkout",
    "Urteil": "ruling",
    "Abkommen": "pact",
    "Konzern": "conglomerate",
    "Gewerkschaft": "trade union",
    "Sprecher": "spokesperson",
    "Antrag": "proposal",
    "Präsident": "head of state",
    "Kandidat": "nominee",
    "Bundesnetzagentur": "network regulator",
    "Zentralbank": "Bundesbank",
    "Finanzminister": "treasury chief",
    "Kartellamt": "competition watchdog",
    "Rechnungshof": "Court of Auditors",
}


def glossary_cases(per_term: int, seed: int) -> list[tuple[str, str, str]]:
    """(German, English with the glossary's term, the term's German) for held-out
    sentences, `per_term` for each glossary term."""
    generator = random.Random(seed)
    by_german = {noun.german: noun for noun in NOUNS}
    cases = []
    for german, english in GLOSSARY_TERMS.items():
        for _ in range(per_term):
            source, target = toy_pair(generator, by_german[german], english)
            cases.append((source, target, german))
    return cases


def glossary_rates(directory: Path, per_term: int = 10, seed: int = 11) -> dict:
    """How often the English holds the glossary's term, on held-out toy sentences: the
    model alone, with the terms code-switched (no retry), and with the retries; and how
    often the whole sentence came out as the reference with the term (the rest still
    translated). Uses debrief's own pipeline (translate_articles) and checks."""
    from debrief.runtime.settings import Runtime
    from translate.article import Article
    from translate.glossary import Term, english_has, merge_glossaries
    from translate.marian import load_translator
    from translate.pipeline import translate_articles

    translator = load_translator(str(directory), runtime=Runtime(backend="torch", device="cpu"))
    glossary = merge_glossaries(
        [[Term(german, english, f"toy:{german}") for german, english in GLOSSARY_TERMS.items()]]
    )
    cases = glossary_cases(per_term, seed)
    articles = [Article((german,)) for german, _, _ in cases]
    report: dict = {"sentences": len(cases), "terms": len(GLOSSARY_TERMS)}
    runs = {
        "model alone": {"glossary": None, "retry": False},
        "code-switched": {"glossary": glossary, "retry": False},
        "code-switched, retried": {"glossary": glossary, "retry": True},
    }
    for label, options in runs.items():
        translated = translate_articles(articles, translator, **options)
        english = [article.paragraphs[0].translation for article in translated]
        kept = [
            english_has(GLOSSARY_TERMS[term], text)
            for text, (_, _, term) in zip(english, cases, strict=True)
        ]
        report[label] = {
            "term kept": sum(kept) / len(cases),
            "whole sentence as the reference": sum(
                text == reference for text, (_, reference, _) in zip(english, cases, strict=True)
            )
            / len(cases),
            "flagged glossary": sum(
                any(check.kind == "glossary" for check in article.checks) for article in translated
            )
            / len(cases),
            "retried": sum(bool(article.retries) for article in translated) / len(cases),
            # The term lost and no glossary check saying so: what a reader would miss.
            "term lost unflagged": sum(
                not is_kept and not any(check.kind == "glossary" for check in article.checks)
                for is_kept, article in zip(kept, translated, strict=True)
            )
            / len(cases),
        }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the toy German-English model.")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--steps", type=int, default=2500)
    args = parser.parse_args(argv)
    print(json.dumps(train_toy_translator(args.directory, steps=args.steps)))
    print(json.dumps({"exact": accuracy(args.directory)}))
    print(json.dumps(glossary_rates(args.directory), indent=2))
    return 0


if __name__ == "__main__":
    # Run as a script, tests/ must be on the path for the `support.` imports.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())
