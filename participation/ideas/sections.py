"""Sections this app adds to area pages (neighbourhoods.registry.register_area_section), each
in a fixed number of queries whatever the number of areas or items."""

from django.utils import timezone

from .models import Idea, IdeaKind, Meeting, MoodAnswer
from .models.feedback import min_answers

LATEST = 5


def area_ideas_context(area, area_ids, request):
    ideas = list(Idea.objects.listed().in_areas(area_ids).for_list().order_by("-created_at")[:60])
    groups = []
    for kind in IdeaKind:
        items = [idea for idea in ideas if idea.kind == kind][:LATEST]
        groups.append({"kind": kind, "label": kind.label, "ideas": items})
    return {"area": area, "idea_groups": groups, "has_ideas": bool(ideas)}


def next_meetings_context(area, area_ids, request):
    """The area's next meetings incl. sub-areas — one query whatever the number of areas."""
    meetings = list(
        Meeting.objects.in_areas(area_ids)
        .filter(status=Meeting.Status.PLANNED, ends_at__gte=timezone.now())
        .select_related("area")
        .order_by("starts_at", "pk")[:5]
    )
    return {"area": area, "next_meetings": meetings}


def mood_context(area, area_ids, request):
    """Averages per quarter-year only where enough answers exist; published comments."""
    answers = MoodAnswer.objects.in_areas(area_ids)
    return {
        "area": area,
        "mood_quarters": answers.quarterly(),
        "mood_min_answers": min_answers(),
        "mood_comments": list(answers.published_comments().select_related("aspect")[:5]),
    }


def follow_context(area, area_ids, request):
    """The "Folgen" button: one click for accounts, an e-mail field for visitors."""
    from .forms.subscriptions import FollowAreaForm
    from .models import Subscription

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
