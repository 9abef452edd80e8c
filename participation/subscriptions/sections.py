"""The "Folgen" section of an area page (neighbourhoods.registry.register_area_section)."""

from .forms import FollowAreaForm
from .models import Subscription


def follow_context(area, area_ids, request):
    """The "Folgen" button: one click for accounts, an e-mail field for visitors."""
    if not area.is_current:
        return None
    user = request.user if request is not None else None
    following = None
    if user is not None and user.is_authenticated:
        following = Subscription.objects.filter(user=user, area=area).first()
    return {
        "area": area,
        "following": following,
        "follow_form": FollowAreaForm(user=user, initial={"area": area}, auto_id="follow-%s"),
    }
