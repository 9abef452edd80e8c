"""Demo: the resident account follows the first quarter (weekly) — no mail is sent."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from neighbourhoods.models import Area

from .models import Frequency, Subscription


def load(*, stdout):
    resident = get_user_model().objects.filter(username="bewohnerin").first()
    area = Area.objects.current().quarters().order_by("name").first()
    if resident is None or area is None:
        return
    Subscription.objects.get_or_create(
        user=resident,
        area=area,
        defaults={"frequency": Frequency.WEEKLY, "confirmed_at": timezone.now()},
    )
    stdout.write(f"participation: bewohnerin folgt {area.name}.")
