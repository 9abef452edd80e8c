"""Demo: one sent Quartiersbrief for the first quarter (archive and notice) and a draft —
written directly, no mail is sent."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from neighbourhoods.models import Area

from .models import Newsletter


def load(*, stdout):
    area = Area.objects.current().quarters().order_by("name").first()
    if area is None or Newsletter.objects.exists():
        return
    author = get_user_model().objects.filter(username="koordination").first()
    Newsletter.objects.create(
        area=area,
        subject=f"Quartiersbrief {area.name}: Sommerfest und neue Bänke",
        body=(
            "Liebe Nachbarinnen und Nachbarn,\n\n"
            "am ersten Samstag im Juli feiern wir auf dem Marktplatz – kommen Sie vorbei!\n\n"
            "Die neuen Bänke am Spielplatz sind bestellt; den Stand sehen Sie unter "
            "„Vorhaben“ im Portal.\n\nIhr Quartiersteam"
        ),
        created_by=author,
        sent_at=timezone.now(),
        sent_by=author,
    )
    Newsletter.objects.create(
        area=area, subject="Entwurf: Herbstputz", body="Noch nicht fertig.", created_by=author
    )
    stdout.write(f"Quartiersbrief: ein versendeter Brief für {area.name} und ein Entwurf.")
