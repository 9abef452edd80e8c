"""Demo accounts. Created only by `manage.py demo`, never by migrations or the app itself."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

DEMO_PASSWORD = "quartier-demo"  # noqa: S105 - printed for the demo, only ever set here
DEMO_ACCOUNTS = [
    ("koordination", "Quartierskoordination (alle Gebiete, Verwaltung und Berichte)"),
    ("qm-innenstadt", "Quartiersmanagement Innenstadt"),
    ("qm-suedstadt", "Quartiersmanagement Südstadt"),
    ("qm-nordstadt", "Quartiersmanagement Nordstadt"),
    ("bewohnerin", "Bewohnerin mit Konto"),
    ("jury", "Mitglied der Vergabejurys (stimmt online ab: /gremien/abstimmen/)"),
    ("ehrenamt", "Ehrenamtliche Befragung Südstadt (erfasst Gespräche: /umfragen/<id>/gespraech/)"),
]
NAMES = {
    "koordination": ("Karin", "Koordinatorin", "Quartierskoordination"),
    "qm-innenstadt": ("Ines", "Innen", "Quartiersmanagement"),
    "qm-suedstadt": ("Sven", "Süd", "Quartiersmanagement"),
    "qm-nordstadt": ("Nora", "Nord", "Quartiersmanagement"),
    "bewohnerin": ("Berta", "Bewohner", None),
    "jury": ("Jana", "Jury", None),
    "ehrenamt": ("Emil", "Ehrenamt", None),
}


def load(*, stdout):
    User = get_user_model()
    for username, _description in DEMO_ACCOUNTS:
        first, last, group = NAMES[username]
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.quartier.invalid",
                "is_staff": group is not None,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if group:
            user.groups.add(Group.objects.get(name=group))
