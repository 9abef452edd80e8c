"""What residents of the demo's Musterstadt say: realistic contributions per area, each with a
topic that matches its text, a status that fits its kind and the answers that led there.

`SUBJECTS[area slug]` lists (kind, topic slug, title, text, outcome); areas the demo does not
know (a city's own, tests) get `GENERIC`. An outcome is a status and the answers on the way
there, oldest first: ("planned", ["Wir prüfen …", "Ist eingeplant …"]) means one answer moving
to under review, then one moving to planned. Strengths stay published (a strength is not
"planned" or "not feasible"), and may get a thank-you answer without a status change.
"""

PUBLISHED = ("published", [])
PENDING = ("pending", [])


def rejected(reason):
    return ("rejected", [reason])


def thanked(text):
    return ("published", [text])


def reviewing(text):
    return ("under_review", [text])


def planned(*texts):
    return ("planned", list(texts))


def realised(*texts):
    return ("realised", list(texts))


def not_feasible(*texts):
    return ("not_feasible", list(texts))


IDEA, STRENGTH, WEAKNESS = "idea", "strength", "weakness"

SUBJECTS = {
    "innenstadt": [
        (
            IDEA,
            "gruen-spielen",
            "Mehr Bänke am Alten Markt",
            "Auf dem Alten Markt gibt es nur zwei Bänke, und die stehen in der prallen Sonne. "
            "Gerade ältere Menschen brauchen beim Einkaufen eine Pause im Schatten.",
            realised(
                "Danke! Wir klären mit dem Tiefbauamt, wo Bänke im Schatten Platz haben.",
                "Vier Bänke unter den Linden sind bestellt und kommen im Frühjahr.",
                "Die vier Bänke stehen. Schauen Sie gern vorbei!",
            ),
        ),
        (
            STRENGTH,
            "kultur",
            "Der Wochenmarkt auf dem Alten Markt",
            "Dienstags und samstags trifft sich hier die halbe Innenstadt. Man kauft ein, "
            "trinkt einen Kaffee und hört, was es Neues gibt.",
            thanked(
                "Danke – der Markt ist auch für uns ein wichtiger Treffpunkt. Wir sind "
                "samstags mit einem Infostand dort."
            ),
        ),
        (
            WEAKNESS,
            "sauberkeit",
            "Überquellende Mülleimer am Busbahnhof",
            "Freitags und samstags quellen die Mülleimer am Busbahnhof über. Am Sonntagmorgen "
            "liegt der Müll auf dem ganzen Platz.",
            realised(
                "Wir haben das an die Stadtreinigung weitergegeben.",
                "Die Stadtreinigung leert am Wochenende jetzt zusätzlich samstags um 22 Uhr.",
            ),
        ),
        (
            IDEA,
            "wohnen",
            "Leerstehende Läden als Zwischennutzung",
            "In der Fußgängerzone stehen fünf Läden leer. Vereine, Künstlerinnen oder ein "
            "Repair-Café könnten sie nutzen, bis sich neue Mieter finden.",
            planned(
                "Eine gute Idee, die wir mit der Wirtschaftsförderung besprechen.",
                "Zwei Eigentümer machen mit: Bald gibt es zwei Läden zur Zwischennutzung.",
            ),
        ),
        (
            WEAKNESS,
            "verkehr",
            "Radweg am Ring endet im Nichts",
            "Der Radweg am Ring hört an der Post einfach auf. Wer weiter zum Bahnhof will, muss "
            "zwischen Bussen auf die Straße.",
            reviewing("Das Planungsamt prüft eine durchgehende Radspur bis zum Bahnhof."),
        ),
        (
            IDEA,
            "kultur",
            "Open-Air-Kino im Rathaushof",
            "Im Sommer steht der Rathaushof abends leer. Ein paar Filmabende mit Liegestühlen "
            "würden die Innenstadt beleben.",
            not_feasible(
                "Wir haben das mit dem Ordnungsamt geprüft.",
                "Leider lässt der Lärmschutz für die Wohnungen am Rathaushof keine "
                "Abendveranstaltungen nach 22 Uhr zu. Wir suchen einen anderen Ort.",
            ),
        ),
        (
            STRENGTH,
            "nachbarschaft",
            "Die Stadtteilbibliothek am Kirchplatz",
            "Freundlich, offen und mit gutem Programm: Vorlesestunden für Kinder, "
            "Sprachcafé und ein Ort zum Lernen für Studierende.",
            PUBLISHED,
        ),
        (
            WEAKNESS,
            "sicherheit",
            "Dunkle Passage zwischen Markt und Parkhaus",
            "Die Passage vom Markt zum Parkhaus ist abends kaum beleuchtet. Viele gehen lieber "
            "den Umweg über die Hauptstraße.",
            planned(
                "Danke für den Hinweis. Wir haben uns die Passage bei einem Rundgang angesehen.",
                "Die Stadtwerke tauschen die Leuchten gegen hellere LED-Lampen aus.",
            ),
        ),
        (
            IDEA,
            "gruen-spielen",
            "Trinkbrunnen am Alten Markt",
            "Im Sommer fehlt in der Innenstadt kostenloses Trinkwasser. Ein Trinkbrunnen am "
            "Markt würde allen helfen.",
            PUBLISHED,
        ),
        (
            IDEA,
            "soziales",
            "Sitzecke ohne Konsumzwang im Rathaus-Foyer",
            "Wer sich aufwärmen oder kurz ausruhen will, muss in ein Café. Ein paar Stühle im "
            "Foyer des Rathauses wären ein Anfang.",
            PENDING,
        ),
        (
            WEAKNESS,
            "wohnen",
            "Lärm aus den Bars am Wochenende",
            "Rund um die Kneipenmeile ist es freitags und samstags bis drei Uhr laut.",
            reviewing("Wir laden Wirtinnen, Wirte und Anwohnende zu einem Runden Tisch ein."),
        ),
        (
            STRENGTH,
            "kultur",
            "Das Sommerfest im Rathaushof",
            "Einmal im Jahr feiert die ganze Innenstadt zusammen – mit Musik von Gruppen aus dem "
            "Quartier.",
            PUBLISHED,
        ),
        (
            IDEA,
            "sauberkeit",
            "Aschenbecher an den Haltestellen",
            "An jeder Haltestelle liegen Kippen. Aschenbecher an den Mülleimern würden helfen.",
            rejected(
                "Der Beitrag enthielt eine Beschimpfung. Schreiben Sie uns gern noch einmal "
                "sachlich – die Idee selbst nehmen wir gern auf."
            ),
        ),
    ],
    "nordstadt": [
        (
            WEAKNESS,
            "soziales",
            "Kein Supermarkt mehr in der Nordstadt",
            "Seit der Supermarkt an der Nordstraße zu ist, fahren viele Ältere mit dem Bus zum "
            "Einkaufen in die Innenstadt.",
            planned(
                "Wir sprechen mit Händlern über einen Dorfladen.",
                "Bald gibt es jeden Donnerstag einen Wochenmarkt am Sonnenhang.",
            ),
        ),
        (
            IDEA,
            "verkehr",
            "Abendbus bis zur Kanalsiedlung",
            "Nach 20 Uhr fährt kein Bus mehr in die Kanalsiedlung. Wer Spätschicht hat, muss "
            "laufen oder ein Taxi nehmen.",
            reviewing("Die Verkehrsbetriebe prüfen einen Rufbus am Abend."),
        ),
        (
            STRENGTH,
            "gruen-spielen",
            "Die Kleingartenanlage Sonnenhang",
            "Die Gärten sind offen für alle: Man kann durchspazieren, und im Sommer gibt es "
            "einen Tag der offenen Gärten.",
            thanked(
                "Danke! Der Kleingartenverein lädt auch zum nächsten Quartiersspaziergang ein."
            ),
        ),
        (
            IDEA,
            "nachbarschaft",
            "Treffpunkt für Seniorinnen und Senioren",
            "In der Nordstadt fehlt ein Ort, an dem sich Ältere einfach so treffen können – mit "
            "Kaffee und ohne Anmeldung.",
            realised(
                "Wir suchen gemeinsam mit dem Seniorenbüro einen Raum.",
                "Das Gemeindehaus St. Marien stellt dienstags einen Raum zur Verfügung.",
                "Der Seniorentreff läuft jetzt jeden Dienstag von 14 bis 17 Uhr.",
            ),
        ),
        (
            WEAKNESS,
            "verkehr",
            "Gefährliche Querung an der Nordstraße",
            "An der Bushaltestelle Nordstraße gibt es keinen Überweg. Kinder rennen auf dem Weg "
            "zur Schule zwischen den Autos durch.",
            planned(
                "Danke! Das Straßenverkehrsamt hat den Verkehr dort gezählt.",
                "Eine Mittelinsel mit Zebrastreifen ist für den Sommer geplant.",
            ),
        ),
        (
            STRENGTH,
            "nachbarschaft",
            "Der Sportverein Nord 08",
            "Fußball, Gymnastik und ein Vereinsheim, in dem auch Nachbarn willkommen sind.",
            PUBLISHED,
        ),
        (
            IDEA,
            "wohnen",
            "Barrierefreie Wohnungen in den Siedlungen",
            "Viele Ältere möchten in der Nordstadt bleiben, kommen aber die Treppen nicht mehr "
            "hoch. Bei Sanierungen sollten Aufzüge mitgeplant werden.",
            not_feasible(
                "Wir haben das mit der Wohnungsgesellschaft besprochen.",
                "Aufzüge lassen sich in die Häuser von 1962 nicht einbauen. Die "
                "Wohnungsgesellschaft plant aber barrierefreie Neubauten am Kanal.",
            ),
        ),
        (
            WEAKNESS,
            "sauberkeit",
            "Sperrmüll an den Glascontainern",
            "An den Containern am Kanal wird immer wieder Sperrmüll abgeladen.",
            realised(
                "Wir haben die Stadtreinigung informiert.",
                "Der Platz wird jetzt wöchentlich kontrolliert, ein Schild weist auf den "
                "kostenlosen Sperrmüll-Termin hin.",
            ),
        ),
        (
            IDEA,
            "gruen-spielen",
            "Bolzplatz hinter der Grundschule öffnen",
            "Der Bolzplatz der Grundschule ist nachmittags abgeschlossen. Kinder könnten ihn "
            "nach dem Unterricht nutzen.",
            PUBLISHED,
        ),
        (
            STRENGTH,
            "kultur",
            "Das Nordstadtfest im September",
            "Ein Fest, bei dem alle mitmachen: Vereine, Kleingärtner, Kirche und Moschee.",
            PUBLISHED,
        ),
        (
            IDEA,
            "sicherheit",
            "Beleuchtung am Kanalweg",
            "Der Weg am Kanal ist eine wichtige Abkürzung, aber im Winter ab fünf Uhr stockdunkel.",
            PENDING,
        ),
        (
            WEAKNESS,
            "soziales",
            "Zu wenige Kita-Plätze",
            "Junge Familien in den Neubauten finden keinen Kita-Platz in der Nähe.",
            reviewing("Das Jugendamt prüft eine neue Kita-Gruppe im Gemeindehaus."),
        ),
    ],
    "suedstadt": [
        (
            IDEA,
            "soziales",
            "Mehr Angebote für Jugendliche am Nachmittag",
            "In der ganzen Südstadt gibt es nach der Schule wenig für Jugendliche außer dem "
            "Jugendzentrum – und das ist oft voll.",
            planned(
                "Danke! Wir sprechen mit Jugendzentrum und Schulen.",
                "Ab dem neuen Schuljahr öffnet die Turnhalle am Park freitags für offenen Sport.",
            ),
        ),
        (
            WEAKNESS,
            "wohnen",
            "Steigende Mieten nach der Sanierung",
            "Nach der Sanierung der Häuser an der Bahnhofstraße haben sich die Mieten fast "
            "verdoppelt. Alteingesessene ziehen weg.",
            reviewing(
                "Wir haben die Mietberatung der Stadt eingeladen; sie berät jetzt einmal im "
                "Monat im Quartierstreff."
            ),
        ),
        (
            STRENGTH,
            "nachbarschaft",
            "Hilfsbereite Nachbarschaft",
            "Man kennt sich, man grüßt sich, und wenn jemand krank ist, kauft die Nachbarin ein.",
            PUBLISHED,
        ),
        (
            IDEA,
            "kultur",
            "Ein gemeinsamer Südstadt-Kalender",
            "Vereine, Moschee, Kirchen und Jugendzentrum machen viel – aber jeder für sich. Ein "
            "gemeinsamer Kalender würde helfen.",
            realised(
                "Gute Idee! Wir bauen das ins Portal ein.",
                "Alle Treffen der Südstadt stehen jetzt unter „Treffen“ – auch als Kalender-Abo.",
            ),
        ),
    ],
    "suedstadt-am-park": [
        (
            STRENGTH,
            "gruen-spielen",
            "Der Spielplatz am Teich",
            "Schattig, gepflegt und mit einem Wasserspiel, das Kinder lieben.",
            thanked("Danke! Wir geben das Lob an das Grünflächenamt weiter."),
        ),
        (
            WEAKNESS,
            "sicherheit",
            "Unbeleuchtete Wege im Stadtpark",
            "Abends ist der Weg vom Teich zur Parksiedlung dunkel. Viele Frauen meiden ihn.",
            realised(
                "Wir haben den Park mit dem Grünflächenamt bei Dunkelheit begangen.",
                "Acht neue Leuchten sind beauftragt.",
                "Die Leuchten brennen – mit Bewegungsmelder, damit die "
                "Fledermäuse ihre Ruhe haben.",
            ),
        ),
        (
            IDEA,
            "gruen-spielen",
            "Gemeinschaftsgarten auf der Brache an der Parkstraße",
            "Die Brachfläche an der Parkstraße könnte ein Garten für die ganze Nachbarschaft "
            "werden – mit Hochbeeten auch für Ältere.",
            planned(
                "Die Fläche gehört der Stadt; wir klären die Nutzung.",
                "Der Garten kommt: Im Frühjahr bauen wir gemeinsam die ersten Hochbeete.",
            ),
        ),
        (
            WEAKNESS,
            "sauberkeit",
            "Hundekot auf der Liegewiese",
            "Auf der großen Wiese im Park liegen überall Hundehaufen.",
            planned(
                "Danke für den Hinweis.",
                "Zwei Beutelspender und zusätzliche Mülleimer werden aufgestellt.",
            ),
        ),
        (
            STRENGTH,
            "nachbarschaft",
            "Das Parkcafé am Teich",
            "Hier trifft man immer jemanden – und die Betreiberin kennt alle Hunde mit Namen.",
            PUBLISHED,
        ),
        (
            IDEA,
            "verkehr",
            "Tempo 30 an der Parksiedlung",
            "Die Parkallee wird als Abkürzung genutzt, und viele fahren viel zu schnell.",
            not_feasible(
                "Das Straßenverkehrsamt hat gemessen.",
                "Die Parkallee ist eine Hauptverkehrsstraße; Tempo 30 ist dort rechtlich "
                "nicht möglich. Stattdessen kommt eine Tempo-Anzeige.",
            ),
        ),
        (
            IDEA,
            "soziales",
            "Bücherschrank am Parkeingang",
            "Ein offener Bücherschrank am Eingang zum Park: Bücher bringen, Bücher mitnehmen.",
            PUBLISHED,
        ),
        (
            WEAKNESS,
            "gruen-spielen",
            "Kaputte Schaukel am Spielplatz Lindenweg",
            "Die große Schaukel ist seit Wochen abgesperrt.",
            realised("Wir haben das Grünflächenamt informiert.", "Die Schaukel ist repariert."),
        ),
    ],
    "suedstadt-bahnhofsviertel": [
        (
            IDEA,
            "nachbarschaft",
            "Quartierstreff am Bahnhof",
            "Rund um den Bahnhof gibt es keinen Ort, an dem sich Nachbarn treffen können. Der "
            "leere Kiosk an der Bahnhofstraße wäre ideal.",
            planned(
                "Wir sprechen mit der Bahn über den leeren Kiosk.",
                "Der Mietvertrag ist unterschrieben: Der Quartierstreff öffnet bald.",
            ),
        ),
        (
            STRENGTH,
            "kultur",
            "Der Kiosk an der Bahnhofstraße",
            "Seit 40 Jahren da, mit Zeitungen in sechs Sprachen und immer einem guten Wort.",
            PUBLISHED,
        ),
        (
            WEAKNESS,
            "sicherheit",
            "Dunkle Unterführung zum Bahnhof",
            "Abends ist die Unterführung unheimlich, die Beleuchtung fällt oft aus.",
            reviewing("Die Bahn ist für die Unterführung zuständig; wir haben sie angeschrieben."),
        ),
        (
            IDEA,
            "verkehr",
            "Sichere Fahrradständer am Bahnhof",
            "Überdachte Bügel statt wilder Abstellplätze – und eine abschließbare Sammelanlage "
            "für Pendlerinnen und Pendler.",
            realised(
                "Das Planungsamt prüft Standorte.",
                "Die Fahrradstation mit 120 Plätzen ist im Bau.",
                "Die Fahrradstation ist eröffnet; 40 Plätze sind überdacht und kostenlos.",
            ),
        ),
        (
            WEAKNESS,
            "sauberkeit",
            "Verschmutzter Vorplatz",
            "Der Bahnhofsvorplatz ist morgens voller Scherben und Müll.",
            planned(
                "Danke – wir haben das an die Stadtreinigung gegeben.",
                "Ab nächstem Monat wird der Vorplatz täglich um sechs Uhr gereinigt.",
            ),
        ),
        (
            IDEA,
            "soziales",
            "Sprachcafé für Neuzugezogene",
            "Deutsch üben bei Kaffee und Kuchen, und dabei Leute aus der Nachbarschaft "
            "kennenlernen.",
            PUBLISHED,
        ),
        (
            WEAKNESS,
            "wohnen",
            "Schimmel in den Häusern an der Gleisstraße",
            "In vielen Wohnungen an der Gleisstraße ist Schimmel. Der Vermieter reagiert nicht.",
            reviewing(
                "Wir haben die Wohnungsaufsicht eingeschaltet und vermitteln die Mietberatung."
            ),
        ),
        (
            IDEA,
            "kultur",
            "Wandbild an der Bahnbrücke",
            "Die graue Bahnbrücke könnte mit Jugendlichen aus dem Viertel bemalt werden.",
            PENDING,
        ),
    ],
    "suedstadt-am-hafen": [
        (
            STRENGTH,
            "kultur",
            "Die Hafenspeicher mit ihren Ateliers",
            "In den alten Speichern arbeiten Künstlerinnen und Handwerker; einmal im Monat sind "
            "die Türen offen.",
            PUBLISHED,
        ),
        (
            IDEA,
            "gruen-spielen",
            "Liegewiese am Hafenbecken",
            "Am Hafenbecken ist nur Beton. Ein Stück Rasen mit ein paar Bäumen würde den Platz "
            "verwandeln.",
            reviewing("Das Grünflächenamt prüft, ob auf der Kaimauer Pflanzkübel möglich sind."),
        ),
        (
            WEAKNESS,
            "verkehr",
            "Lkw-Verkehr durch die Wohnstraßen",
            "Lkw zum Gewerbegebiet fahren durch die Speicherstraße statt über die Hafenallee.",
            planned(
                "Wir haben mit den Firmen im Gewerbegebiet gesprochen.",
                "Ein Durchfahrtsverbot für Lkw über 7,5 t kommt im Frühjahr.",
            ),
        ),
        (
            IDEA,
            "nachbarschaft",
            "Hafenfest für alle",
            "Ein kleines Fest am Kai, bei dem die Ateliers, die Anwohnenden und die Firmen am "
            "Hafen zusammenkommen.",
            realised(
                "Eine schöne Idee – wir suchen Mitstreiter.",
                "Das erste Hafenfest hatte über 300 Gäste. Danke an alle!",
            ),
        ),
        (
            WEAKNESS,
            "wohnen",
            "Kaum bezahlbare Wohnungen am Hafen",
            "Die neuen Lofts am Hafen kann sich hier niemand leisten.",
            not_feasible(
                "Wir haben die Frage an die Stadtplanung weitergegeben.",
                "Die Lofts sind privat gebaut; die Stadt kann die Mieten dort nicht "
                "festlegen. Beim nächsten Baugebiet gilt eine Quote von 30 Prozent "
                "gefördertem Wohnraum.",
            ),
        ),
        (
            IDEA,
            "sicherheit",
            "Geländer an der Kaimauer",
            "An der Kaimauer fehlt auf 50 Metern ein Geländer – gefährlich für Kinder.",
            realised(
                "Danke! Das haben wir sofort an das Hafenamt gegeben.", "Das Geländer ist montiert."
            ),
        ),
        (
            STRENGTH,
            "gruen-spielen",
            "Der Blick vom Kai bei Sonnenuntergang",
            "Der schönste Ort der Südstadt, besonders im Sommer.",
            PUBLISHED,
        ),
    ],
}

GENERIC = [
    (
        IDEA,
        "sauberkeit",
        "Aschenbecher an den Haltestellen",
        "An jeder Haltestelle liegen Kippen. Aschenbecher an den Mülleimern würden helfen.",
        rejected(
            "Der Beitrag enthielt eine Beschimpfung. Schreiben Sie uns gern noch einmal sachlich."
        ),
    ),
    (
        IDEA,
        "gruen-spielen",
        "Mehr Bänke auf dem Quartiersplatz",
        "Ältere Menschen brauchen beim Einkaufen Pausen im Schatten.",
        planned("Wir prüfen Standorte.", "Drei Bänke sind bestellt."),
    ),
    (
        STRENGTH,
        "nachbarschaft",
        "Hilfsbereite Nachbarschaft",
        "Man kennt sich und hilft sich.",
        PUBLISHED,
    ),
    (
        WEAKNESS,
        "sauberkeit",
        "Müll an den Glascontainern",
        "Die Glascontainer quellen ständig über.",
        realised(
            "Wir haben die Stadtreinigung informiert.",
            "Sie werden jetzt zweimal pro Woche geleert.",
        ),
    ),
    (
        IDEA,
        "kultur",
        "Nachbarschaftsfest im Sommer",
        "Einmal im Jahr alle an einen Tisch.",
        PUBLISHED,
    ),
    (
        WEAKNESS,
        "verkehr",
        "Gefährliche Kreuzung an der Schule",
        "Die Ampelphase für Fußgänger ist viel zu kurz.",
        reviewing("Das Straßenverkehrsamt prüft die Ampelschaltung."),
    ),
    (STRENGTH, "gruen-spielen", "Der Spielplatz im Park", "Schattig und gepflegt.", PUBLISHED),
    (
        IDEA,
        "soziales",
        "Sprachcafé für Neuzugezogene",
        "Deutsch üben bei Kaffee und Kuchen.",
        PENDING,
    ),
    (
        WEAKNESS,
        "sicherheit",
        "Dunkler Fußweg zum Bahnhof",
        "Abends ist der Weg unbeleuchtet.",
        not_feasible(
            "Wir haben das geprüft.", "Der Weg gehört der Bahn; wir haben sie angeschrieben."
        ),
    ),
]

COMMENTS = {
    IDEA: [
        "Sehr gute Idee, da helfe ich gern mit.",
        "Das wünschen wir uns in unserer Straße schon lange.",
        "Wer kümmert sich dann um die Pflege? Das sollte man gleich mitplanen.",
        "Unsere Kinder würden sich riesig freuen.",
        "Bitte auch an Menschen mit Rollator denken!",
    ],
    STRENGTH: [
        "Stimmt! Deshalb wohne ich gern hier.",
        "Das sollte unbedingt so bleiben.",
        "Da war ich letzte Woche mit meinen Enkeln – herrlich.",
        "Ein echtes Stück Heimat.",
    ],
    WEAKNESS: [
        "Das erlebe ich genauso, besonders abends.",
        "Habe das auch schon beim Ordnungsamt gemeldet – bisher ohne Antwort.",
        "Danke, dass das endlich jemand anspricht.",
        "Betrifft auch die Nebenstraßen.",
    ],
}
