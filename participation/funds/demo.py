"""Demo funds: per quarter a Vergabejury (with the demo account `jury` as a member), an election
record, a held session with decisions and a coming one, a fund with two tranches, and
applications in every state — driven through the services, so logs, votes, agenda items and
money are what the portal itself would record. The demo's mails are not queued (its addresses
do not exist).

Called from `participation.demo.load`. Idempotent: a quarter whose demo fund exists is skipped.
Creates nothing without quarters.
"""

import datetime
from decimal import Decimal
from unittest import mock

from django.contrib.auth import get_user_model
from django.utils import timezone

from neighbourhoods.models import Area
from quartier.demo import DEMO_PASSWORD

from . import services
from .models import ApplicationStatus as S
from .models import Body, BodySession, Election, Fund, FundApplication, FundTranche, Membership

MEMBERS = [
    ("Hanna Kaya", Membership.Role.CHAIR, True),
    ("Peter Lindner", Membership.Role.DEPUTY, True),
    ("Aylin Demir", Membership.Role.MEMBER, False),
    ("Jonas Weber", Membership.Role.MEMBER, True),
]

# (title, target groups, cost items, own contribution, requested, final state, approved)
PLANS = [
    (
        "Straßenfest am Lindenplatz",
        "Familien, Ältere, Nachbarschaft",
        [
            ("Bänke und Tische (Miete)", "350"),
            ("Musik und Technik", "400"),
            ("Kinderprogramm", "150"),
        ],
        "100",
        "800",
        S.CLOSED,
        "800",
    ),
    (
        "Gemeinschaftsgarten im Hinterhof",
        "Familien, Kinder",
        [("Hochbeete", "600"), ("Erde und Pflanzen", "250")],
        "50",
        "800",
        S.PROOF_SUBMITTED,
        "800",
    ),
    (
        "Repair-Café im Nachbarschaftstreff",
        "Ältere, Nachbarschaft",
        [("Werkzeug", "480"), ("Werbung", "120")],
        "0",
        "600",
        S.PAID,
        "600",
    ),
    (
        "Lesepaten für die Grundschule",
        "Kinder",
        [("Bücher", "300"), ("Material", "100")],
        "0",
        "400",
        S.APPROVED,
        "350",
    ),
    (
        "Tanzkurs für Jugendliche",
        "Jugendliche",
        [("Trainerin", "900"), ("Raummiete", "300")],
        "0",
        "1200",
        S.DECLINED,
        None,
    ),
    (
        "Weihnachtsmarkt der Vereine",
        "Nachbarschaft",
        [("Buden", "900")],
        "100",
        "800",
        S.DEFERRED,
        None,
    ),
    (
        "Nachbarschaftsfrühstück",
        "Ältere, Alleinlebende",
        [("Lebensmittel", "250"), ("Geschirr", "100")],
        "50",
        "300",
        S.BEFORE_BODY,
        None,
    ),
    (
        "Kiezkino im Sommer",
        "Familien, Jugendliche",
        [("Leinwand und Beamer", "700")],
        "0",
        "700",
        S.CHECKED,
        None,
    ),
    (
        "Sprachcafé",
        "Geflüchtete, Nachbarschaft",
        [("Getränke", "150"), ("Material", "100")],
        "0",
        "250",
        S.CHANGES_REQUESTED,
        None,
    ),
    ("Fahrradwerkstatt für Kinder", "Kinder", [("Werkzeug", "400")], "0", "400", S.SUBMITTED, None),
    ("Flohmarkt im Park", "Nachbarschaft", [("Tische", "200")], "0", "200", S.UNCONFIRMED, None),
    (
        "Fotoausstellung Quartiersgeschichte",
        "Ältere",
        [("Druck", "500")],
        "0",
        "500",
        S.REPAYMENT_REQUESTED,
        "500",
    ),
]


def _point(area, shift):
    from participation.meetings.demo import _point as centre

    point = centre(area)
    if point is None:
        return None
    lng, lat = point["coordinates"]
    return {
        "type": "Point",
        "coordinates": [round(lng + shift * 0.0008, 6), round(lat - shift * 0.0005, 6)],
    }


def _jury_account():
    user, created = get_user_model().objects.get_or_create(
        username="jury",
        defaults={"first_name": "Jana", "last_name": "Jury", "email": "jury@demo.quartier.invalid"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _body(area, jury):
    body = Body.objects.create(
        name=f"Vergabejury {area.name}",
        slug=f"vergabejury-{area.slug}",
        area=area,
        quorum=3,
        description=(
            f"Die Vergabejury entscheidet über Anträge an den Quartiersfonds {area.name}. Sie ist "
            "mit Bewohnerinnen und Bewohnern und Vertretungen der Einrichtungen im Quartier "
            "besetzt."
        ),
    )
    start = timezone.localdate().replace(month=1, day=1) - datetime.timedelta(days=365)
    members = [
        Membership.objects.create(
            body=body,
            name=name,
            role=role,
            name_public=public,
            term_start=start,
            term_end=start + datetime.timedelta(days=3 * 365),
        )
        for name, role, public in MEMBERS
    ]
    members.append(
        Membership.objects.create(
            body=body, name="Jana Jury", user=jury, term_start=start, name_public=True
        )
    )
    election = Election.objects.create(
        body=body,
        held_on=start - datetime.timedelta(days=20),
        eligible_voters=140,
        votes_cast=87,
        notes="Wahl auf der Stadtteilkonferenz.",
    )
    election.elected.set(members[:4])
    return body, members


def _advance(application, target, approved, members, session, staff):
    if target == S.UNCONFIRMED:
        return
    services.application_confirm(application=application)
    if target == S.SUBMITTED:
        return
    if target == S.CHANGES_REQUESTED:
        services.application_request_changes(
            application=application,
            by=staff,
            text="Bitte ergänzen Sie ein Angebot für die größeren Posten.",
        )
        return
    services.application_check(
        application=application, by=staff, complete=True, eligible=True, costs=True
    )
    if target == S.CHECKED:
        return
    if target == S.BEFORE_BODY:
        deadline = timezone.now() + datetime.timedelta(days=10)
        services.application_put_before_body(
            application=application, by=staff, written_deadline=deadline
        )
        for member in members[:2]:
            services.vote_cast(
                application=application, membership=member, choice="yes", online=True
            )
        return
    services.application_put_before_body(application=application, by=staff, session=session)
    if target == S.DECLINED:
        choices = ["no", "no", "yes", "no"]
    else:
        choices = [
            "yes",
            "yes",
            "abstain",
            "conflict" if application.title.startswith("Straßenfest") else "yes",
        ]
    for member, choice in zip(members, choices, strict=False):
        services.vote_cast(application=application, membership=member, choice=choice, by=staff)
    if target == S.DECLINED:
        services.application_decide(
            application=application,
            by=staff,
            outcome=S.DECLINED,
            reason=(
                "Das Vorhaben richtet sich nicht an das ganze Quartier; "
                "bitte wenden Sie sich an das Jugendamt."
            ),
        )
        return
    if target == S.DEFERRED:
        services.application_decide(application=application, by=staff, outcome=S.DEFERRED)
        return
    services.application_decide(
        application=application,
        by=staff,
        outcome=S.APPROVED,
        amount=Decimal(approved),
        conditions="Bitte das Logo des Fonds auf Plakaten zeigen.",
    )
    if target == S.APPROVED:
        return
    services.payment_record(
        application=application, by=staff, amount=Decimal(approved), note="Überweisung"
    )
    if target == S.PAID:
        return
    spent = Decimal(approved) - (Decimal("64.20") if target == S.REPAYMENT_REQUESTED else 0)
    services.proof_submit(
        application=application,
        report=(
            f"„{application.title}“ hat stattgefunden. Viele Nachbarinnen und Nachbarn haben "
            "mitgemacht, und es gab schon Ideen für das nächste Mal."
        ),
        participants=40 + len(application.title),
        spent_amount=spent,
    )
    if target == S.PROOF_SUBMITTED:
        return
    services.application_close(application=application, by=staff)


def load(*, stdout):
    quarters = list(Area.objects.current().filter(kind=Area.Kind.QUARTER).without_geometry())
    if not quarters:
        stdout.write("Fonds: keine Quartiere, keine Demo-Fonds.")
        return
    jury = _jury_account()
    staff = get_user_model().objects.filter(username="koordination").first()
    year = timezone.localdate().year
    created = 0
    with mock.patch.object(services, "_mail"), mock.patch.object(services, "queue_mails"):
        for quarter in quarters:
            area = Area.objects.get(pk=quarter.pk)
            name = f"Quartiersfonds {area.name}"
            if (
                Fund.objects.filter(area=area, year=year, name=name).exists()
                or Body.objects.filter(slug=f"vergabejury-{area.slug}").exists()
            ):
                continue
            body, members = _body(area, jury)
            fund = Fund.objects.create(
                name=name,
                area=area,
                year=year,
                budget=Decimal("10000"),
                source="Städtebauförderung (Sozialer Zusammenhalt) und städtischer Eigenanteil",
                max_per_application=Decimal("1500"),
                who_may_apply=(
                    "Bewohnerinnen und Bewohner, Initiativen, Vereine "
                    "und Einrichtungen im Quartier."
                ),
                own_contribution_percent=0,
                rules=(
                    "Gefördert werden Vorhaben, die das Zusammenleben im Quartier stärken. "
                    "Keine laufenden Kosten, keine Honorare für Antragstellende."
                ),
                body=body,
            )
            FundTranche.objects.create(
                fund=fund,
                released_on=timezone.localdate().replace(month=1, day=1),
                amount=Decimal("6000"),
                note="1. Tranche",
            )
            FundTranche.objects.create(
                fund=fund,
                released_on=timezone.localdate().replace(month=1, day=1)
                + datetime.timedelta(days=180),
                amount=Decimal("4000"),
                note="2. Tranche",
            )
            held = BodySession.objects.create(
                body=body,
                title="Jurysitzung",
                starts_at=timezone.now() + datetime.timedelta(hours=1),
                minutes="Die Jury hat fünf Anträge beraten.",
            )
            for shift, (title, groups, items, own, requested, target, approved) in enumerate(PLANS):
                done = target in (S.PROOF_SUBMITTED, S.CLOSED, S.REPAYMENT_REQUESTED)
                day = timezone.localdate() + datetime.timedelta(
                    days=-20 - shift * 5 if done else 14 + shift * 7
                )
                application = services.application_submit(
                    fund=fund,
                    cost_items=[(label, Decimal(amount)) for label, amount in items],
                    area=area,
                    title=title,
                    description=f"{title}: ein Vorhaben für das Quartier {area.name}.",
                    starts_on=day,
                    ends_on=day,
                    target_groups=groups,
                    location=_point(area, shift),
                    applicant_kind="partner" if shift % 3 == 1 else "resident",
                    applicant_name=f"Antragstellerin {shift + 1}",
                    organisation="Nachbarschaftsverein" if shift % 3 == 1 else "",
                    email=f"antrag{shift + 1}-{area.slug}@demo.quartier.invalid",
                    own_contribution=Decimal(own),
                    requested_amount=Decimal(requested),
                    name_public=shift % 2 == 0,
                )
                _advance(application, target, approved, members, held, staff)
            BodySession.objects.filter(pk=held.pk).update(
                starts_at=timezone.now() - datetime.timedelta(days=7)
            )
            BodySession.objects.create(
                body=body,
                title="Jurysitzung",
                starts_at=timezone.now() + datetime.timedelta(days=28),
            )
            created += 1
    stdout.write(
        f"Fonds: {created} Demo-Fonds mit Jury und {FundApplication.objects.count()} Anträgen."
    )
