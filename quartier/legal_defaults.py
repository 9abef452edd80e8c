# ruff: noqa: E501 - long lines are paragraphs of the page text
"""Default texts of the legal pages: Musterstadt placeholders that staff replace in the admin.

Used by the data migration that creates the pages, and as the fallback when a page is missing.
"""

IMPRINT = """Quartier ist das Beteiligungsportal der Quartiersarbeit der Stadt Musterstadt.

## Anbieterin
Stadt Musterstadt
Der Oberbürgermeister
Amt für Soziales und Quartiersentwicklung
Musterstraße 1
12345 Musterstadt

Die Stadt Musterstadt ist eine Körperschaft des öffentlichen Rechts. Sie wird vertreten durch den Oberbürgermeister.

## Kontakt
Telefon: 01234 567-0
E-Mail: quartier@musterstadt.example

## Verantwortlich für den Inhalt
Verantwortlich nach § 18 Absatz 2 Medienstaatsvertrag: Erika Mustermann, Leiterin der Quartierskoordination, Anschrift wie oben.

## Beiträge von Bewohnerinnen und Bewohnern
Ideen, Kommentare und Rückmeldungen geben die Meinung der Verfasserinnen und Verfasser wieder. Das Quartiersmanagement prüft Beiträge, bevor sie erscheinen.

## Haftung für Links
Für die Inhalte verlinkter Seiten anderer Anbieter sind allein deren Betreiber verantwortlich."""

PRIVACY = """Der Schutz Ihrer Daten ist uns wichtig. Hier erfahren Sie, welche Daten das Portal verarbeitet, wozu und welche Rechte Sie haben.

## Verantwortliche Stelle
Stadt Musterstadt, Amt für Soziales und Quartiersentwicklung, Musterstraße 1, 12345 Musterstadt, E-Mail: quartier@musterstadt.example

## Datenschutzbeauftragte
Die behördliche Datenschutzbeauftragte der Stadt Musterstadt erreichen Sie unter: datenschutz@musterstadt.example

## Welche Daten wir verarbeiten
- Beim Aufruf einer Seite: technisch nötige Daten (IP-Adresse, Zeitpunkt, aufgerufene Adresse). Sie werden nur für den sicheren Betrieb verwendet und nach spätestens 7 Tagen gelöscht.
- Wenn Sie ein Konto anlegen: Benutzername, E-Mail-Adresse und, wenn Sie möchten, Ihr Name.
- Wenn Sie etwas beitragen (Idee, Kommentar, Rückmeldung, Anmeldung zu einem Treffen): den Beitrag selbst und die Angaben, die Sie dazu machen.
- Wenn Sie eine Barriere melden: Ihre Meldung und, wenn Sie sie angeben, Name und E-Mail-Adresse.

## Zweck und Rechtsgrundlage
Wir verarbeiten die Daten, um die Beteiligung im Quartier zu ermöglichen (Artikel 6 Absatz 1 Buchstabe e DSGVO in Verbindung mit dem Landesdatenschutzgesetz) und, soweit Sie eingewilligt haben, auf Grundlage Ihrer Einwilligung (Artikel 6 Absatz 1 Buchstabe a DSGVO).

## Cookies
Das Portal setzt nur technisch nötige Cookies: eines für die Sitzung, wenn Sie angemeldet sind, und eines zum Schutz von Formularen. Es gibt keine Cookies zur Analyse oder Werbung.

## Karten
Die Hintergrundkarten kommen von einem anderen Server. Sie werden erst geladen, wenn Sie auf „Karte laden“ klicken. Dabei wird Ihre IP-Adresse an diesen Server übertragen. Ohne Ihren Klick werden keine Daten übertragen.

## Wie lange wir Daten speichern
Konto-Daten, bis Sie Ihr Konto löschen. Beiträge, solange sie für die Quartiersarbeit gebraucht werden; beim Löschen Ihres Kontos werden sie anonymisiert.

## Ihre Rechte
- Auskunft über Ihre Daten (angemeldet können Sie sie selbst herunterladen)
- Berichtigung und Löschung
- Einschränkung der Verarbeitung und Widerspruch
- Widerruf einer Einwilligung für die Zukunft
- Beschwerde bei der Aufsichtsbehörde: der oder dem Landesbeauftragten für Datenschutz"""

ACCESSIBILITY = """Die Stadt Musterstadt möchte, dass alle Menschen dieses Portal nutzen können. Diese Erklärung gilt für das Beteiligungsportal Quartier.

## Stand der Vereinbarkeit mit den Anforderungen
Das Portal soll die Anforderungen der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und der WCAG 2.1 auf Stufe AA erfüllen. Wir prüfen jede Seite bei der Entwicklung automatisch und von Hand.

Das Portal ist weitgehend barrierefrei.

## Nicht barrierefreie Inhalte
- Die Karten sind mit der Maus einfacher zu bedienen als mit der Tastatur. Alle Inhalte der Karten gibt es auch als Liste, und Orte lassen sich auch ohne Karte angeben.
- Fotos, die Bewohnerinnen und Bewohner hochladen, haben nicht immer eine gute Bildbeschreibung.

## Erstellung dieser Erklärung
Diese Erklärung beruht auf einer Selbstbewertung. Das Datum der letzten Änderung steht am Ende dieser Erklärung.

## Barrieren melden: Feedback und Kontakt
Sind Ihnen Barrieren aufgefallen? Dann schreiben Sie uns mit dem Formular auf dieser Seite oder per E-Mail an barrierefreiheit@musterstadt.example. Wir antworten in der Regel innerhalb von zwei Wochen.

## Schlichtungsverfahren
Wenn Sie auf Ihre Meldung keine zufriedenstellende Antwort bekommen, können Sie sich an die Schlichtungsstelle des Landes wenden. Das Verfahren ist kostenlos, und Sie brauchen keinen Rechtsbeistand.
Schlichtungsstelle für barrierefreie Informationstechnik des Landes, Musterallee 10, 12345 Landeshauptstadt, E-Mail: schlichtung@land.example"""

EASY_LANGUAGE = """Das ist die Internet-Seite Quartier.
Die Seite ist von der Stadt Musterstadt.

## Was ist ein Quartier?
Ein Quartier ist ein Teil von der Stadt.
Zum Beispiel: Ihre Straße und die Straßen in der Nähe.
Dort wohnen Sie.
Dort kaufen Sie ein.
Dort treffen Sie Nachbarn.

## Was können Sie hier machen?
- Sie können Ideen für Ihr Quartier aufschreiben.
- Sie können sagen: Das ist gut in meinem Quartier.
- Sie können sagen: Das ist schlecht in meinem Quartier.
- Sie können zu Treffen gehen.
- Sie können sehen: Diese Vereine und Gruppen helfen im Quartier.

## Wer liest Ihre Ideen?
Das Quartiers-Team liest Ihre Ideen.
Das Team arbeitet für die Stadt.
Das Team antwortet Ihnen.
Das Team spricht mit anderen Menschen über Ihre Idee.
Vielleicht wird Ihre Idee dann gemacht.

## Brauchen Sie Hilfe?
Sie können das Quartiers-Team anrufen.
Die Telefon-Nummer ist: 01234 567-0
Sie können auch eine E-Mail schreiben.
Die E-Mail-Adresse ist: quartier@musterstadt.example"""

PAGES = [
    ("impressum", "Impressum", IMPRINT),
    ("datenschutz", "Datenschutzerklärung", PRIVACY),
    ("barrierefreiheit", "Erklärung zur Barrierefreiheit", ACCESSIBILITY),
    ("leichte-sprache", "Quartier in Leichter Sprache", EASY_LANGUAGE),
]

DEFAULTS = {key: (title, body) for key, title, body in PAGES}
