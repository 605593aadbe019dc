"""Held-out German news sentences with faithful English translations, written for the checks.

Written by the team after the length band and the name rules were first set on the
parallel text of tiny_models.py, to test them on sentences they were not tuned on: names
of people, places and organisations (with exonyms and transliterations), numbers in both
conventions, nominalised verbs and adjectives, compounds, quotes and the polite pronoun.
"""

HELD_OUT_PAIRS = [
    (
        "Bundeskanzler Olaf Scholz traf sich am Dienstag in Warschau mit dem polnischen Regierungschef.",
        "Chancellor Olaf Scholz met the Polish head of government in Warsaw on Tuesday.",
    ),
    (
        "Der weißrussische Machthaber Alexander Lukaschenko ließ sich für eine sechste Amtszeit vereidigen.",
        "The Belarusian ruler Alexander Lukashenko was sworn in for a sixth term.",
    ),
    (
        "Die Oppositionspolitikerin Swetlana Tichanowskaja lebt seit August im Exil in Litauen.",
        "The opposition politician Svetlana Tikhanovskaya has been living in exile in Lithuania since August.",
    ),
    (
        "Nach Angaben des Statistischen Bundesamts stiegen die Verbraucherpreise im März um 2,4 Prozent.",
        "According to the Federal Statistical Office, consumer prices rose by 2.4 percent in March.",
    ),
    (
        "In Moskau wurden bei den Protesten am Wochenende mehr als 1.300 Menschen festgenommen.",
        "In Moscow, more than 1,300 people were arrested during the protests at the weekend.",
    ),
    (
        "Der ukrainische Präsident Wolodymyr Selenskyj bat die NATO um weitere Unterstützung.",
        "Ukrainian President Volodymyr Zelensky asked NATO for further support.",
    ),
    (
        "Das Treffen in Brüssel begann um 9.30 Uhr und dauerte bis zum späten Abend.",
        "The meeting in Brussels began at 9:30 and lasted until late in the evening.",
    ),
    (
        "Die Deutsche Bahn kündigte an, den Streik der Lokführer vor Gericht anzufechten.",
        "Deutsche Bahn announced that it would challenge the train drivers' strike in court.",
    ),
    (
        "„Wir werden uns nicht einschüchtern lassen“, sagte die Bürgermeisterin von Köln.",
        '"We will not be intimidated," said the mayor of Cologne.',
    ),
    (
        "Die Europäische Zentralbank hob den Leitzins zum zehnten Mal in Folge an.",
        "The European Central Bank raised its key interest rate for the tenth time in a row.",
    ),
    (
        "Beim Lesen der Akten fiel den Ermittlern in München ein Widerspruch auf.",
        "While reading the files, the investigators in Munich noticed a contradiction.",
    ),
    (
        "Das Neue an dem Vorschlag ist, dass die Länder selbst über die Mittel entscheiden.",
        "What is new about the proposal is that the federal states decide on the funds themselves.",
    ),
    (
        "Die Sprecherin des Auswärtigen Amts wollte sich zu den Berichten nicht äußern.",
        "The spokeswoman for the Federal Foreign Office did not want to comment on the reports.",
    ),
    (
        "Der Konzern Siemens beschäftigt weltweit rund 320.000 Menschen.",
        "The Siemens group employs around 320,000 people worldwide.",
    ),
    (
        "Am 3. Oktober feiert Deutschland den Tag der Deutschen Einheit.",
        "On October 3rd, Germany celebrates the Day of German Unity.",
    ),
    (
        "Die Grünen und die FDP stimmten im Bundestag gegen den Antrag der AfD.",
        "The Greens and the FDP voted in the Bundestag against the AfD's motion.",
    ),
    (
        "Wie Sie wissen, hat die Regierung in Wien neue Grenzkontrollen angeordnet.",
        "As you know, the government in Vienna has ordered new border controls.",
    ),
    (
        "Der Kreml bezeichnete die Vorwürfe aus Kiew als haltlos.",
        "The Kremlin described the accusations from Kyiv as baseless.",
    ),
    (
        "Im Hafen von Hamburg wurden im vergangenen Jahr 7,7 Millionen Container umgeschlagen.",
        "Last year, 7.7 million containers were handled in the port of Hamburg.",
    ),
    (
        "Die Polizei in Sachsen ermittelt wegen Volksverhetzung gegen drei Männer.",
        "The police in Saxony are investigating three men for incitement to hatred.",
    ),
    (
        "Angela Merkels Nachfolger steht vor schwierigen Entscheidungen in der Energiepolitik.",
        "Angela Merkel's successor faces difficult decisions in energy policy.",
    ),
    (
        "Der Fluss Oder bildet über weite Strecken die Grenze zwischen Deutschland und Polen.",
        "For long stretches, the river Oder forms the border between Germany and Poland.",
    ),
    (
        "Unter den Verletzten befanden sich nach Auskunft der Feuerwehr auch zwei Kinder.",
        "According to the fire brigade, two children were among the injured.",
    ),
    (
        "Die Vereinten Nationen warnen vor einer Hungersnot im Sudan.",
        "The United Nations is warning of a famine in Sudan.",
    ),
    (
        "Der Airbus-Konzern mit Sitz in Toulouse meldete einen Rekordgewinn von 4,2 Milliarden Euro.",
        "The Airbus group, based in Toulouse, reported a record profit of 4.2 billion euros.",
    ),
    (
        "Nach dem Urteil des Bundesverfassungsgerichts muss das Gesetz bis Ende 2025 geändert werden.",
        "Following the ruling of the Federal Constitutional Court, the law must be amended by the end of 2025.",
    ),
    (
        "Für die Bewohner des Dorfes kam die Evakuierung völlig überraschend.",
        "For the residents of the village, the evacuation came as a complete surprise.",
    ),
    (
        "Der Außenminister reiste anschließend weiter nach Peking, wo er Gespräche über den Handel führte.",
        "The foreign minister then travelled on to Beijing, where he held talks on trade.",
    ),
    (
        "Das Spiel zwischen Borussia Dortmund und Schalke 04 endete unentschieden.",
        "The match between Borussia Dortmund and Schalke 04 ended in a draw.",
    ),
    (
        "Laut einer Umfrage von Infratest dimap sind 58 Prozent der Befragten unzufrieden.",
        "According to a survey by Infratest dimap, 58 percent of respondents are dissatisfied.",
    ),
]
