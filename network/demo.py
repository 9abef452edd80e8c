"""Demo partners, cooperations and join requests. Idempotent: partners by name, cooperations by
title, join requests by organisation name. Areas are used only if the neighbourhoods demo
created them (Innenstadt, Südstadt, Nordstadt and their social spaces)."""

import datetime

from django.utils import timezone

from neighbourhoods.models import Area

from .models import (
    ContactPerson,
    Cooperation,
    FieldOfWork,
    JoinRequest,
    Partner,
    PartnerKind,
    TargetGroup,
)
from .services import cooperation_create, partner_create, partner_locate

K = PartnerKind
# name, kind, quarter, fields of work, target groups, description
PARTNERS = [
    (
        "Bürgerverein Innenstadt e. V.",
        K.ASSOCIATION,
        "innenstadt",
        ["nachbarschaft", "kultur"],
        ["alle"],
        "Stadtteilfeste, Bürgersprechstunde und der Adventsmarkt am Rathaus.",
    ),
    (
        "Sportverein Blau-Weiß Südstadt",
        K.ASSOCIATION,
        "suedstadt",
        ["gruen-spielen", "gesundheit"],
        ["kinder", "jugendliche"],
        "Fußball, Turnen und offene Bewegungsangebote im Park.",
    ),
    (
        "Heimatverein Nordstadt",
        K.ASSOCIATION,
        "nordstadt",
        ["kultur", "nachbarschaft"],
        ["senioren"],
        "Erzählcafé, Stadtteilgeschichte und Führungen.",
    ),
    (
        "Moscheegemeinde Südstadt",
        K.RELIGIOUS,
        "suedstadt",
        ["soziales", "bildung"],
        ["migration", "familien"],
        "Hausaufgabenhilfe, Frauenfrühstück und interreligiöser Dialog.",
    ),
    (
        "Jüdische Gemeinde Musterstadt",
        K.RELIGIOUS,
        "innenstadt",
        ["kultur", "bildung"],
        ["alle"],
        "Begegnungsabende und Führungen durch die Synagoge.",
    ),
    (
        "Alevitische Gemeinde Nordstadt",
        K.RELIGIOUS,
        "nordstadt",
        ["kultur", "nachbarschaft"],
        ["familien", "migration"],
        "Kulturabende und Nachbarschaftsfrühstück.",
    ),
    (
        "Familienzentrum Sonnenschein",
        K.SOCIAL,
        "suedstadt",
        ["soziales", "bildung"],
        ["familien", "alleinerziehende"],
        "Beratung, Elterncafé und Krabbelgruppen.",
    ),
    (
        "Jugendtreff Nordlicht",
        K.SOCIAL,
        "nordstadt",
        ["soziales", "kultur"],
        ["jugendliche"],
        "Offener Treff mit Werkstatt, Musikraum und Bewerbungshilfe.",
    ),
    (
        "Seniorenbegegnungsstätte Am Markt",
        K.SOCIAL,
        "innenstadt",
        ["soziales", "gesundheit"],
        ["senioren"],
        "Mittagstisch, Gymnastik und Computerkurse.",
    ),
    (
        "Stadtteilbüro Südstadt",
        K.SOCIAL,
        "suedstadt",
        ["nachbarschaft", "wohnen"],
        ["alle"],
        "Anlaufstelle für Fragen rund ums Wohnen und Mitmachen.",
    ),
    (
        "Caritasverband Musterstadt",
        K.WELFARE,
        "innenstadt",
        ["soziales", "wohnen"],
        ["armut", "migration"],
        "Sozialberatung, Schuldnerberatung und Kleiderkammer.",
    ),
    (
        "Diakonie Nordstadt",
        K.WELFARE,
        "nordstadt",
        ["soziales", "gesundheit"],
        ["senioren", "behinderung"],
        "Pflegeberatung und ambulante Dienste.",
    ),
    (
        "AWO Ortsverein Südstadt",
        K.WELFARE,
        "suedstadt",
        ["soziales"],
        ["senioren", "familien"],
        "Begegnung, Beratung und Ferienfreizeiten.",
    ),
    (
        "Paritätischer Wohlfahrtsverband",
        K.WELFARE,
        None,
        ["soziales"],
        ["behinderung"],
        "Dachverband vieler Initiativen im ganzen Stadtgebiet.",
    ),
    (
        "Amt für Jugend und Familie",
        K.CITY,
        None,
        ["soziales", "bildung"],
        ["familien", "kinder", "jugendliche"],
        "Frühe Hilfen, Kinderschutz und Jugendarbeit.",
    ),
    (
        "Grünflächenamt",
        K.CITY,
        None,
        ["gruen-spielen", "sauberkeit"],
        ["alle"],
        "Pflege der Parks, Spielplätze und Straßenbäume.",
    ),
    (
        "Amt für Wohnen und Stadterneuerung",
        K.CITY,
        "nordstadt",
        ["wohnen", "verkehr"],
        ["alle"],
        "Stadterneuerung und Wohnberatung.",
    ),
    (
        "Ordnungsamt – Bezirksdienst",
        K.CITY,
        "innenstadt",
        ["sicherheit", "sauberkeit"],
        ["alle"],
        "Ansprechpartner für Sicherheit und Ordnung vor Ort.",
    ),
    (
        "Ev. Kirchengemeinde St. Petri",
        K.PARISH,
        "innenstadt",
        ["nachbarschaft", "soziales"],
        ["senioren", "familien"],
        "Gemeindecafé, Tafelausgabe und Konzerte.",
    ),
    (
        "Kath. Pfarrei St. Marien",
        K.PARISH,
        "suedstadt",
        ["soziales", "kultur"],
        ["familien", "armut"],
        "Kindergarten, Caritaskreis und Gemeindefeste.",
    ),
    (
        "Ev. Lukasgemeinde Nordstadt",
        K.PARISH,
        "nordstadt",
        ["nachbarschaft"],
        ["senioren", "kinder"],
        "Kinderchor, Seniorenkreis und Quartiersfrühstück.",
    ),
    (
        "Initiative Essbare Südstadt",
        K.INITIATIVE,
        "suedstadt",
        ["gruen-spielen", "nachbarschaft"],
        ["alle"],
        "Gemeinschaftsgärten und Pflanzbeete an der Straße.",
    ),
    (
        "Nachbarschaftshilfe Nordstadt",
        K.INITIATIVE,
        "nordstadt",
        ["nachbarschaft", "soziales"],
        ["senioren", "behinderung"],
        "Einkaufshilfe, Begleitung und Reparaturcafé.",
    ),
    (
        "Radentscheid Musterstadt",
        K.INITIATIVE,
        None,
        ["verkehr", "sicherheit"],
        ["alle"],
        "Für sichere Radwege in allen Quartieren.",
    ),
    (
        "Willkommensinitiative Innenstadt",
        K.INITIATIVE,
        "innenstadt",
        ["soziales", "bildung"],
        ["migration"],
        "Sprachcafé, Patenschaften und Begleitung zu Ämtern.",
    ),
    (
        "Grundschule am Park",
        K.SCHOOL,
        "suedstadt",
        ["bildung"],
        ["kinder", "familien"],
        "Offene Ganztagsschule mit Schulgarten.",
    ),
    (
        "Kita Regenbogen",
        K.SCHOOL,
        "nordstadt",
        ["bildung"],
        ["kinder", "familien"],
        "Familienzentrum mit Sprachförderung.",
    ),
    (
        "Gesamtschule Innenstadt",
        K.SCHOOL,
        "innenstadt",
        ["bildung", "kultur"],
        ["jugendliche"],
        "Schule mit Theater-AG und Schülerfirma.",
    ),
    (
        "Wohnungsgenossenschaft Nordstadt eG",
        K.BUSINESS,
        "nordstadt",
        ["wohnen", "nachbarschaft"],
        ["familien", "senioren"],
        "Gemeinschaftsräume und Mieterfeste.",
    ),
    (
        "Werbegemeinschaft Innenstadt",
        K.BUSINESS,
        "innenstadt",
        ["kultur", "sauberkeit"],
        ["alle"],
        "Händlerinnen und Händler für eine lebendige Innenstadt.",
    ),
    (
        "Stadtteilbibliothek Südstadt",
        K.OTHER,
        "suedstadt",
        ["bildung", "kultur"],
        ["kinder", "senioren"],
        "Lesungen, Sprachkurse und offene Lernplätze.",
    ),
]

# title, kind, partner names, since (year, month)
COOPERATIONS = [
    (
        "Stadtteilfest Innenstadt",
        Cooperation.Kind.EVENT,
        [
            "Bürgerverein Innenstadt e. V.",
            "Werbegemeinschaft Innenstadt",
            "Ev. Kirchengemeinde St. Petri",
        ],
        (2019, 6),
    ),
    (
        "Arbeitskreis Südstadt",
        Cooperation.Kind.WORKING_GROUP,
        [
            "Stadtteilbüro Südstadt",
            "AWO Ortsverein Südstadt",
            "Familienzentrum Sonnenschein",
            "Kath. Pfarrei St. Marien",
        ],
        (2017, 2),
    ),
    (
        "Hausaufgabenhilfe",
        Cooperation.Kind.PROJECT,
        ["Moscheegemeinde Südstadt", "Grundschule am Park"],
        (2021, 9),
    ),
    (
        "Gemeinschaftsgarten am Park",
        Cooperation.Kind.PROJECT,
        ["Initiative Essbare Südstadt", "Grünflächenamt", "Grundschule am Park"],
        (2022, 4),
    ),
    (
        "Sprachcafé",
        Cooperation.Kind.PROJECT,
        ["Willkommensinitiative Innenstadt", "Caritasverband Musterstadt"],
        (2016, 1),
    ),
    (
        "Netzwerk Frühe Hilfen",
        Cooperation.Kind.AGREEMENT,
        ["Amt für Jugend und Familie", "Familienzentrum Sonnenschein", "Kita Regenbogen"],
        (2018, 1),
    ),
    (
        "Nachbarschaftsfrühstück Nordstadt",
        Cooperation.Kind.EVENT,
        [
            "Ev. Lukasgemeinde Nordstadt",
            "Alevitische Gemeinde Nordstadt",
            "Nachbarschaftshilfe Nordstadt",
        ],
        (2023, 3),
    ),
    (
        "Quartiersbüro in der Genossenschaft",
        Cooperation.Kind.AGREEMENT,
        ["Wohnungsgenossenschaft Nordstadt eG", "Amt für Wohnen und Stadterneuerung"],
        (2020, 5),
    ),
    (
        "Jugendkulturwoche",
        Cooperation.Kind.EVENT,
        ["Jugendtreff Nordlicht", "Gesamtschule Innenstadt", "Heimatverein Nordstadt"],
        (2024, 7),
    ),
    (
        "Pflegestammtisch",
        Cooperation.Kind.WORKING_GROUP,
        [
            "Diakonie Nordstadt",
            "Seniorenbegegnungsstätte Am Markt",
            "Paritätischer Wohlfahrtsverband",
        ],
        (2019, 10),
    ),
    (
        "Interreligiöser Dialog",
        Cooperation.Kind.WORKING_GROUP,
        [
            "Jüdische Gemeinde Musterstadt",
            "Moscheegemeinde Südstadt",
            "Ev. Kirchengemeinde St. Petri",
            "Kath. Pfarrei St. Marien",
        ],
        (2015, 11),
    ),
    (
        "Sichere Schulwege",
        Cooperation.Kind.PROJECT,
        ["Radentscheid Musterstadt", "Grundschule am Park", "Ordnungsamt – Bezirksdienst"],
        (2024, 2),
    ),
    (
        "Lesepaten",
        Cooperation.Kind.PROJECT,
        ["Stadtteilbibliothek Südstadt", "Kita Regenbogen"],
        (2022, 1),
    ),
    (
        "Bewegter Park",
        Cooperation.Kind.PROJECT,
        ["Sportverein Blau-Weiß Südstadt", "Grünflächenamt"],
        (2023, 5),
    ),
    (
        "Tafel und Kleiderkammer",
        Cooperation.Kind.AGREEMENT,
        ["Ev. Kirchengemeinde St. Petri", "Caritasverband Musterstadt"],
        (2014, 3),
    ),
]

CONTACTS = [
    ("Bürgerverein Innenstadt e. V.", "Hanna Becker", "Vorsitzende", True),
    ("Familienzentrum Sonnenschein", "Murat Yılmaz", "Leitung", True),
    ("Jugendtreff Nordlicht", "Lea Schmitt", "Jugendarbeiterin", False),
    ("Caritasverband Musterstadt", "Thomas Wagner", "Quartiersprojekte", True),
    ("Initiative Essbare Südstadt", "Jana Krüger", "Sprecherin", False),
    ("Kath. Pfarrei St. Marien", "Pfarrer Michael Hoffmann", "Pfarrer", False),
    ("Grünflächenamt", "Sabine Richter", "Sachgebiet Spielplätze", True),
]

JOIN_REQUESTS = [
    (
        "Repair-Café Südstadt",
        K.INITIATIVE,
        "suedstadt",
        "Wir reparieren einmal im Monat mit Nachbarinnen und Nachbarn Geräte, Fahrräder "
        "und Kleidung.",
        "Peter Lang",
    ),
    (
        "Tanzschule Schwung",
        K.BUSINESS,
        "innenstadt",
        "Wir möchten kostenlose Tanznachmittage für Seniorinnen und Senioren anbieten.",
        "Maria Santos",
    ),
]


def _point_in(area, index):
    """A deterministic point inside the area's boundary (or None)."""
    if not area or not area.boundary:
        return None
    from shapely.geometry import Point, shape

    geometry = shape(area.boundary)
    min_x, min_y, max_x, max_y = geometry.bounds
    for attempt in range(12):
        fx = ((index * 37 + attempt * 17) % 80 + 10) / 100
        fy = ((index * 53 + attempt * 29) % 80 + 10) / 100
        point = Point(min_x + (max_x - min_x) * fx, min_y + (max_y - min_y) * fy)
        if geometry.contains(point):
            break
    else:
        point = geometry.representative_point()
    return {"type": "Point", "coordinates": [round(point.x, 6), round(point.y, 6)]}


def _areas_for(quarter_slug, quarters):
    if quarter_slug is None:
        return list(quarters.values())
    quarter = quarters.get(quarter_slug)
    return [quarter] if quarter else []


def _leaf_for(quarter, index):
    if quarter is None:
        return None
    children = sorted(
        (child for child in Area.objects.current().filter(parent=quarter)),
        key=lambda area: area.slug,
    )
    if children:
        return children[index % len(children)]
    return quarter


def load(*, stdout):
    quarters = {
        area.slug: area
        for area in Area.objects.current().filter(slug__in=["innenstadt", "suedstadt", "nordstadt"])
    }
    fields = {field.slug: field for field in FieldOfWork.objects.all()}
    groups = {group.slug: group for group in TargetGroup.objects.all()}
    partners = {}
    for index, (name, kind, quarter_slug, field_slugs, group_slugs, text) in enumerate(PARTNERS):
        partner = Partner.objects.filter(name_key=Partner.make_name_key(name)).first()
        areas = _areas_for(quarter_slug, quarters)
        if partner is None:
            home = _leaf_for(quarters.get(quarter_slug), index) if quarter_slug else None
            partner = partner_create(
                name=name,
                kind=kind,
                description=text,
                areas=areas,
                fields_of_work=[fields[slug] for slug in field_slugs if slug in fields],
                target_groups=[groups[slug] for slug in group_slugs if slug in groups],
                address=f"Musterstraße {index + 1}, Musterstadt",
                point=_point_in(home, index),
                website=f"https://www.example.org/{index + 1}",
                email=f"kontakt{index + 1}@example.org",
                active_since=datetime.date(2010 + index % 14, 1 + index % 12, 1),
            )
        elif areas and not partner.areas.exists():
            partner.areas.set(areas)
            if partner.point is None:
                home = _leaf_for(quarters.get(quarter_slug), index) if quarter_slug else None
                partner.point = _point_in(home, index)
                partner_locate(partner=partner)
                partner.save()
        partners[name] = partner

    for name, person, role, public in CONTACTS:
        if ContactPerson.objects.filter(partner=partners[name], name=person).exists():
            continue  # the demo's, or one staff entered with the same name
        ContactPerson.objects.create(
            partner=partners[name],
            name=person,
            role=role,
            email=f"{person.split()[-1].lower()}@example.org",
            public_consent_at=timezone.now() if public else None,
        )

    for title, kind, names, (year, month) in COOPERATIONS:
        if Cooperation.objects.filter(title=title).exists():
            continue
        members = [partners[name] for name in names]
        areas = {area.pk: area for member in members for area in member.areas.all()}
        cooperation_create(
            partners=members,
            kind=kind,
            title=title,
            since=datetime.date(year, month, 1),
            text="",
            areas=list(areas.values()),
        )

    for organisation, kind, quarter_slug, text, contact in JOIN_REQUESTS:
        # Residents may have asked under the same name (even twice, before the join form
        # refused that): any request with this name, in any state, means there is nothing to do.
        if JoinRequest.objects.filter(organisation_name__iexact=organisation).exists():
            continue
        join_request = JoinRequest.objects.create(
            organisation_name=organisation,
            kind=kind,
            description=text,
            contact_name=contact,
            contact_email=f"{contact.split()[-1].lower()}@example.org",
            consent=True,
        )
        if quarter_slug in quarters:
            join_request.areas.set([quarters[quarter_slug]])
    stdout.write(
        f"Netzwerk: {Partner.objects.count()} Partner, {Cooperation.objects.count()} "
        f"Kooperationen, {JoinRequest.objects.filter(status='open').count()} offene Anfragen."
    )
