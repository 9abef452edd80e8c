"""What following areas and places knows about an account (quartier.personal_data)."""

from neighbourhoods.models import area_geometry

from .models import Subscription


def export(user):
    return {
        "subscriptions": [
            {
                "area": subscription.area.name if subscription.area_id else None,
                "location": subscription.location,
                "radius_m": subscription.radius_m,
                "notify_ideas": subscription.notify_ideas,
                "notify_answers": subscription.notify_answers,
                "notify_meetings": subscription.notify_meetings,
                "frequency": subscription.frequency,
                "created_at": subscription.created_at.isoformat(),
            }
            for subscription in Subscription.objects.filter(user=user)
            .select_related("area")
            .defer(*area_geometry("area"))
        ]
    }


def anonymise(user):
    """Nobody is mailed on behalf of a deleted account."""
    Subscription.objects.filter(user=user).delete()
