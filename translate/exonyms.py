"""The English forms of German names: a table of exonyms and spellings, and CLDR's names
of countries, territories, languages, time-zone cities and months through Babel
(Südafrika / South Africa, Hongkong / Hong Kong, März / March)."""

from __future__ import annotations

import functools

from translate.lexicon import german_lexicon

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
    "Christus": ("Christ",),
    "Dänemark": ("Denmark", "Danish"),
    "DDR": ("GDR", "East German"),
    "Deutschland": ("German",),  # Germany, German, Germans
    "Estland": ("Estonia",),
    "Europa": ("Europe",),
    "Europäische": ("European",),
    "Europäischen": ("European",),
    "EuGH": ("ECJ", "European Court of Justice", "Court of Justice"),
    "EZB": ("ECB",),
    "Fed": ("Federal Reserve",),
    "Franziskus": ("Francis",),
    "Frankreich": ("France", "French"),
    "Genf": ("Geneva",),
    "Griechenland": ("Greece", "Greek"),
    "GUS": ("CIS", "Commonwealth of Independent States"),
    "Großbritannien": ("Britain", "British", "UK", "United Kingdom"),
    "England": ("English", "Britain", "British", "UK"),
    "Indien": ("India",),
    "Irak": ("Iraq",),
    "IWF": ("IMF", "International Monetary Fund"),
    "Italien": ("Italy", "Italian"),
    "Kiew": ("Kyiv", "Kiev"),
    "Köln": ("Cologne",),
    "Krim": ("Crimea",),
    "Kroatien": ("Croatia",),
    "Lettland": ("Latvia",),
    "Litauen": ("Lithuania",),
    "Lukaschenko": ("Lukashenko",),
    "Minsk": ("Minsk",),
    "Mittelmeer": ("Mediterranean",),
    "Mekka": ("Mecca",),
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
    "Plejaden": ("Pleiades",),
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
    "St": ("Saint", "Street"),  # St. Louis, St Louis, Saint Louis
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


@functools.cache
def name_variants() -> dict[str, tuple[str, ...]]:
    """The table NAME_VARIANTS, with the German and English names CLDR gives countries,
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
        if code != "001":  # Welt / World: "die Welt" is rather "the globe", "born"
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
