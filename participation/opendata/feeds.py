"""Atom feeds of what happens in the portal (Django's syndication framework).

`/feed/` covers the whole portal, `/quartiere/<slug>/feed/` one area with its sub-areas. Each
feed mixes published ideas, public answers and meetings, newest first, at most `FEED_SIZE`
entries, with one query per kind. Only public content, never anyone's name or address: the
feed's author is the neighbourhood team.

Every text goes out through quartier.text (control characters would make the XML ill-formed;
old rows may hold them), and the summaries are `type="html"`: the text is escaped into HTML
with line breaks, so markup in an idea is shown as text by feed readers, never run.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from neighbourhoods.models import Area, area_geometry
from neighbourhoods.selectors import area_tree
from participation.ideas.models import Answer, Idea
from participation.meetings.models import Meeting
from quartier.text import clean_line, clean_text

FEED_SIZE = 50


@dataclass
class FeedEntry:
    title: str
    link: str
    description: str
    published: datetime
    updated: datetime
    guid: str
    categories: list = field(default_factory=list)


def _ideas(area_ids):
    ideas = Idea.objects.listed().select_related("topic", "area").defer(*area_geometry("area"))
    if area_ids is not None:
        ideas = ideas.in_areas(area_ids)
    ideas = ideas.annotate(shown_at=Coalesce("published_at", "created_at")).order_by(
        "-shown_at", "-pk"
    )[:FEED_SIZE]
    return [
        FeedEntry(
            title=f"{idea.get_kind_display()}: {idea.title}",
            link=idea.get_absolute_url(),
            description=Truncator(idea.text).chars(600),
            published=idea.shown_at,
            updated=idea.shown_at,
            guid=f"idea-{idea.pk}",
            categories=[idea.topic.name, idea.area.name, str(idea.get_kind_display())],
        )
        for idea in ideas
    ]


def _answers(area_ids):
    answers = Answer.objects.filter(idea__in=Idea.objects.public()).select_related("idea")
    if area_ids is not None:
        answers = answers.filter(idea__area_id__in=area_ids)
    answers = answers.order_by("-created_at", "-pk")[:FEED_SIZE]
    entries = []
    for answer in answers:
        status = ""
        if answer.status_to != answer.status_from:
            status = f" ({answer.get_status_to_display()})"
        entries.append(
            FeedEntry(
                title=_("Antwort zu „%(title)s“") % {"title": answer.idea.title} + status,
                link=answer.idea.get_absolute_url() + "#answers-heading",
                description=Truncator(answer.text).chars(600),
                published=answer.created_at,
                updated=answer.created_at,
                guid=f"answer-{answer.pk}",
                categories=[str(answer.get_status_to_display())],
            )
        )
    return entries


def _meetings(area_ids):
    meetings = Meeting.objects.public().select_related("area").defer(*area_geometry("area"))
    if area_ids is not None:
        meetings = meetings.in_areas(area_ids)
    meetings = meetings.order_by("-created_at", "-pk")[:FEED_SIZE]
    entries = []
    for meeting in meetings:
        when = timezone.localtime(meeting.starts_at)
        prefix = _("Abgesagt") if meeting.status == Meeting.Status.CANCELLED else _("Treffen")
        entries.append(
            FeedEntry(
                title=f"{prefix}: {meeting.title} ({when:%d.%m.%Y %H:%M})",
                link=meeting.get_absolute_url(),
                description=Truncator(f"{meeting.address}\n\n{meeting.text}").chars(600),
                published=meeting.created_at,
                updated=meeting.updated_at,
                guid=f"meeting-{meeting.pk}",
                categories=[meeting.area.name, str(meeting.get_kind_display())],
            )
        )
    return entries


def feed_entries(area_ids=None):
    """Newest first across ideas, answers and meetings; three queries."""
    entries = _ideas(area_ids) + _answers(area_ids) + _meetings(area_ids)
    entries.sort(key=lambda entry: (entry.updated, entry.guid), reverse=True)
    return entries[:FEED_SIZE]


class PortalFeed(Feed):
    feed_type = Atom1Feed

    def title(self, obj=None):
        return _("Quartiersarbeit %(city)s: Neuigkeiten") % {"city": settings.CITY_NAME}

    def subtitle(self, obj=None):
        return _("Neue Ideen, Antworten des Quartiersteams und Treffen.")

    def link(self, obj=None):
        return reverse("home")

    def author_name(self, obj=None):
        return _("Quartiersarbeit %(city)s") % {"city": settings.CITY_NAME}

    def items(self, obj=None):
        return feed_entries()

    def item_title(self, item):
        return clean_line(item.title)

    def item_description(self, item):
        return linebreaksbr(clean_text(item.description), autoescape=True)

    def item_link(self, item):
        return item.link

    def item_guid(self, item):
        return f"{settings.SITE_URL}/#{item.guid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published

    def item_updateddate(self, item):
        return item.updated

    def item_categories(self, item):
        return [clean_line(category) for category in item.categories]


class AreaFeed(PortalFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Area, slug=slug)

    def title(self, obj=None):
        return _("%(area)s: Neuigkeiten aus dem Quartier") % {"area": clean_line(obj.name)}

    def link(self, obj=None):
        return obj.get_absolute_url()

    def items(self, obj=None):
        return feed_entries(area_tree().descendant_ids(obj, with_successors=True))
