"""What following shows on other pages: the "Folgen" section of an area page
(neighbourhoods.registry) and the news from followed areas on the home page (quartier.home)."""

from neighbourhoods.selectors import area_tree
from participation.ideas.models import Answer, Idea
from participation.meetings.sections import upcoming_meetings
from quartier import formkeys, fragments

from .forms import FollowAreaForm
from .models import Subscription

FOLLOW_TEMPLATE = "participation/subscriptions/_area_section.html"


def follow_context(area, area_ids, request):
    """The "Folgen" button: one click for accounts, an e-mail field for visitors. The section
    with its blank form is the same for every visitor (and every account not following yet) of
    the area: kept whole, with a new form key and the visitor's CSRF token in each page."""
    if not area.is_current:
        return None
    user = request.user if request is not None else None
    signed_in = user is not None and user.is_authenticated
    if signed_in:
        following = Subscription.objects.filter(user=user, area=area).first()
        if following is not None:
            return {"area": area, "following": following}
    variant = "account" if signed_in else "visitor"

    def build():
        fields = fragments.blank_form_html(
            FollowAreaForm(user=user, auto_id="follow-%s"),
            "participation/subscriptions/_follow_fields.html",
            variant=variant,
        )
        context = {"area": area, "following": None, "follow_fields": fields}
        html = fragments.render_with_forms(FOLLOW_TEMPLATE, context, request)
        return formkeys.hide_keys(html.encode()).decode()

    # what it shows of the area: its name, id and slug (the area tree's scope)
    html = fragments.cached(f"follow-section:{area.pk}:{variant}", ("app:neighbourhoods",), build)
    html = formkeys.fill_keys(html.encode()).decode()
    return {"kept_html": fragments.with_csrf_token(html, request)}


NEWS_PER_KIND = 6
NEWS_ITEMS = 8


def home_news_context(request):
    """Signed in: what is new in the areas the person follows (incl. sub-areas and
    successors) — new contributions, answers and meetings, newest first; a fixed number of
    queries whatever they follow. Visitors: nothing (the section is left out)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    followed = list(
        Subscription.objects.filter(user=user, area__isnull=False)
        .confirmed()
        .select_related("area")
        .order_by("area__name")
    )
    if not followed:
        return {"followed_areas": [], "news": []}
    area_ids = area_tree().descendant_ids(
        [subscription.area_id for subscription in followed], with_successors=True
    )
    # public news only, the same for everyone following these areas: kept under their versions
    news = fragments.cached(
        "home-news:" + ",".join(str(pk) for pk in sorted(area_ids)),
        [fragments.area_scope(pk) for pk in area_ids] + ["app:neighbourhoods"],
        lambda: _area_news(area_ids),
        per_language=False,
    )
    return {
        "followed_areas": [subscription.area for subscription in followed],
        "news": news,
    }


def _area_news(area_ids):
    """The newest contributions, answers and meetings of `area_ids`, an idea once (three
    queries)."""
    ideas = Idea.objects.listed().in_areas(area_ids)
    news = [
        {"kind": "idea", "date": idea.published_at or idea.created_at, "idea": idea}
        for idea in ideas.for_list().order_by("-created_at", "-pk")[:NEWS_PER_KIND]
    ]
    news += [
        {"kind": "answer", "date": answer.created_at, "answer": answer, "idea": answer.idea}
        for answer in Answer.objects.filter(idea__in=ideas)
        .select_related("idea", "idea__area")
        .order_by("-created_at", "-pk")[:NEWS_PER_KIND]
    ]
    news += [
        {"kind": "meeting", "date": meeting.created_at, "meeting": meeting}
        for meeting in upcoming_meetings(area_ids, limit=NEWS_PER_KIND)
    ]
    news.sort(key=lambda item: item["date"], reverse=True)
    seen, newest = set(), []
    for item in news:  # an idea once, with its newest news (a new answer beats "new")
        key = ("idea", item["idea"].pk) if "idea" in item else ("meeting", item["meeting"].pk)
        if key not in seen:
            seen.add(key)
            newest.append(item)
    return newest[:NEWS_ITEMS]
