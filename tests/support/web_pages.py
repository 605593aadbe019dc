"""What each saved page in tests/pages/ must give: its title, its paragraphs exactly, and
the boilerplate that must not appear anywhere in the extraction.

The pages were written for these tests in the shapes of German news sites (no real
site's page is copied): a paywalled teaser, a live blog, an article under a long comment
section, one with an embedded video and its caption, one with a photo gallery, and
cp1252 and UTF-8 pages with and without a charset declaration.
"""

from __future__ import annotations

from pathlib import Path

PAGES = Path(__file__).resolve().parent / "pages"

# name -> (title, paragraphs, absent); paragraphs None: no article text to be found.
EXPECTED: dict[str, tuple[str | None, list[str] | None, list[str]]] = {
    "paywall-teaser.html": (
        None,
        None,
        [],
    ),
    "liveblog.html": (
        "Proteste in Belarus: Der Liveblog zum Nachlesen",
        [
            "Lukaschenko spricht vor Anhängern",
            "Präsident Alexander Lukaschenko hat vor mehreren Tausend Anhängern in Minsk "
            "gesprochen und eine Wiederholung der Wahl abgelehnt. Er werde das Land nicht "
            "aufgeben, sagte er.",
            "Zehntausende beim Marsch der Freiheit",
            "Am Nachmittag haben sich nach Schätzungen unabhängiger Beobachter mehr als "
            "100.000 Menschen zum sogenannten Marsch der Freiheit im Zentrum der Hauptstadt "
            "versammelt.",
            "EU bereitet Sanktionen vor",
            "Die Außenminister der Europäischen Union wollen in der kommenden Woche über "
            "Sanktionen gegen Verantwortliche für Wahlfälschung und Gewalt beraten.",
        ],
        [
            "Liveblog aktualisieren",
            "Teilen",
            "Link kopieren",
            "Mehr zum Thema",
            "Tichanowskaja",
            "Cookies",
            "Impressum",
            "dataLayer",
        ],
    ),
    "comments.html": (
        "Bundestag beschließt Heizungsgesetz nach langem Streit",
        [
            "Nach monatelangem Streit in der Koalition hat der Bundestag das "
            "Gebäudeenergiegesetz verabschiedet. Für das Gesetz stimmten 399 Abgeordnete, "
            "275 votierten dagegen, fünf enthielten sich.",
            "Das Gesetz sieht vor, dass neu eingebaute Heizungen künftig zu mindestens 65 "
            "Prozent mit erneuerbaren Energien betrieben werden müssen. Für bestehende "
            "Gebäude gelten lange Übergangsfristen.",
            "Wirtschaftsminister Robert Habeck sprach von einem wichtigen Schritt für den "
            "Klimaschutz. Die Opposition kritisierte das Verfahren als überhastet und "
            "kündigte an, die Regeln nach einem Regierungswechsel zu ändern.",
        ],
        [
            "Diskussion",
            "Heizer_1963",
            "Wer soll das bezahlen",
            "Wärmepumpe",
            "Alle Beiträge anzeigen",
            "personenbezogene Daten",
            "Akzeptieren",
            "SPIEGEL+",
            "Von Paul Becker",
        ],
    ),
    "video.html": (
        "Hochwasser in Süddeutschland: Pegel steigen weiter",
        [
            "In Bayern und Baden-Württemberg steigen die Pegel vieler Flüsse weiter. Der "
            "Deutsche Wetterdienst warnt vor anhaltendem Starkregen bis in die Nacht.",
            "In mehreren Landkreisen wurde der Katastrophenfall ausgerufen. Feuerwehr und "
            "Technisches Hilfswerk sind mit Tausenden Einsatzkräften im Einsatz, Hunderte "
            "Menschen mussten ihre Häuser verlassen.",
            "Ministerpräsident Markus Söder besuchte am Vormittag die betroffenen Gebiete und "
            "sagte schnelle Hilfe des Freistaats zu.",
        ],
        [
            "Video wird geladen",
            "2:31 Min.",
            "Abspielen",
            "Untertitel",
            "Vollbild",
            "Das könnte Sie auch interessieren",
            "Bayerischer Rundfunk",
        ],
    ),
    "gallery.html": (
        "Mauerfall vor 35 Jahren: Berlin erinnert an den 9. November",
        [
            "Mit einer Lichtinstallation entlang des früheren Mauerstreifens erinnert Berlin "
            "an den Fall der Mauer vor 35 Jahren. Tausende Menschen kamen am Abend an die "
            "Bernauer Straße.",
            "Bundespräsident Frank-Walter Steinmeier sagte bei der zentralen "
            "Gedenkveranstaltung, die friedliche Revolution sei ein Geschenk, das man "
            "verteidigen müsse.",
            "Am 9. November 1989 hatte die DDR-Führung überraschend die Grenzen geöffnet. Noch "
            "in der Nacht strömten Zehntausende Ost-Berliner in den Westen der Stadt.",
        ],
        ["Bildergalerie", "Bild 1 von 12", "dpa/Kay Nietfeld", "Zurück", "Weiter", "Impressum"],
    ),
    **{
        name: (
            "Stadtrat beschließt höhere Parkgebühren",
            [
                "Der Stadtrat hat am Donnerstagabend mit knapper Mehrheit höhere Parkgebühren "
                "in der Innenstadt beschlossen. Eine Stunde kostet künftig 2,50 € statt "
                "bisher 1,50 €.",
                "„Wir müssen den Verkehr in der Altstadt verringern“, sagte "
                "Oberbürgermeisterin Gabriele Förster. Die Einnahmen sollen in den Ausbau von "
                "Radwegen und Buslinien fließen.",
                "Händler in der Fußgängerzone äußerten sich besorgt. Sie fürchten, dass Kunden "
                "künftig häufiger in die Einkaufszentren am Stadtrand ausweichen.",
            ],
            ["Meistgelesen", "Unfall auf der B 27", "AGB", "Startseite", "Ã"],
        )
        for name in ("cp1252-charset.html", "cp1252-no-charset.html")
    },
    "utf8-no-charset.html": (
        "Nobelpreis für Literatur geht an Schriftstellerin aus Südkorea",
        [
            "Der Literaturnobelpreis geht in diesem Jahr an die südkoreanische "
            "Schriftstellerin Han Kang. Das gab die Schwedische Akademie am Donnerstag in "
            "Stockholm bekannt.",
            "Die Akademie würdigte ihre „intensive poetische Prosa, die sich historischen "
            "Traumata stellt und die Zerbrechlichkeit des menschlichen Lebens offenlegt“. Die "
            "Auszeichnung ist mit elf Millionen Kronen dotiert, umgerechnet knapp eine "
            "Million Euro.",
            "Han Kang wurde 1970 in Gwangju geboren. International bekannt wurde sie mit dem "
            "Roman „Die Vegetarierin“, für den sie 2016 den International Booker Prize "
            "erhielt.",
        ],
        ["Weitere Artikel", "Preisträger", "Datenschutz", "Kontakt", "Ã"],
    ),
}
