"""Open311 GeoReport v2, read-only: the portal's ideas and weaknesses as service requests.

https://wiki.open311.org/GeoReport_v2 — services are topic × kind (`weakness-verkehr`),
requests are the public ideas and weaknesses. Statuses map to the standard's two: realised,
not feasible and merged duplicates are `closed`, everything else public is `open`. Never any
personal data: no author, no e-mail, no comments.
"""

from datetime import datetime, time
from xml.etree import ElementTree

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from neighbourhoods.models import area_geometry
from participation.ideas.models import Answer, Idea, IdeaKind, IdeaStatus
from participation.topics.models import Topic
from quartier.text import clean_text

REQUEST_KINDS = (IdeaKind.WEAKNESS, IdeaKind.IDEA)
CLOSED_STATUSES = (IdeaStatus.REALISED, IdeaStatus.NOT_FEASIBLE)
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


class FormatConverter:
    """`json` or `xml`, the two formats GeoReport v2 defines."""

    regex = "json|xml"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class Open311Error(Exception):
    def __init__(self, code, description):
        super().__init__(description)
        self.code = code
        self.description = description


def service_code(kind, topic_slug):
    return f"{kind}-{topic_slug}"


def services():
    """The service list: one per active topic and request kind (one query)."""
    result = []
    topics = list(Topic.objects.filter(is_active=True).order_by("order", "name"))
    for kind in REQUEST_KINDS:
        for topic in topics:
            result.append(
                {
                    "service_code": service_code(kind.value, topic.slug),
                    "service_name": f"{kind.label}: {topic.name}",
                    "description": f"{kind.label} zum Thema {topic.name}",
                    "metadata": False,
                    "type": "realtime",
                    "keywords": ", ".join([topic.slug, kind.value]),
                    "group": str(kind.label),
                }
            )
    return result


def _parse_when(name, value, *, end=False):
    value = value.strip()
    parsed = None
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            if day is not None:
                parsed = datetime.combine(day, time.max if end else time.min)
    except ValueError:
        parsed = None
    if parsed is None:
        raise Open311Error(400, f"{name} must be an ISO 8601 date or date-time")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _positive_int(name, value, default, maximum=None):
    if value in (None, ""):
        return default
    if not value.isdigit() or len(value) > 6 or int(value) < 1:
        raise Open311Error(400, f"{name} must be a positive whole number")
    number = int(value)
    return min(number, maximum) if maximum else number


def request_queryset():
    """Public ideas and weaknesses with their latest answer text (one query when evaluated)."""
    latest_answer = Answer.objects.filter(idea=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        Idea.objects.public()
        .filter(kind__in=REQUEST_KINDS)
        .select_related("topic", "area")
        .defer(*area_geometry("area"))
        .annotate(status_notes=Subquery(latest_answer.values("text")[:1]))
    )


def filtered_requests(params):
    """Apply the standard's filters; Open311Error(400) for values that make no sense."""
    queryset = request_queryset()
    codes = [code.strip() for code in params.get("service_code", "").split(",") if code.strip()]
    if codes:
        condition = Q(pk__in=[])
        for code in codes:
            kind, _sep, slug = code.partition("-")
            if kind not in {k.value for k in REQUEST_KINDS} or not slug:
                raise Open311Error(400, f"unknown service_code {code[:60]!r}")
            condition |= Q(kind=kind, topic__slug=slug)
        queryset = queryset.filter(condition)
    statuses = {value.strip() for value in params.get("status", "").split(",") if value.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status must be open or closed")
    closed = Q(status__in=CLOSED_STATUSES) | Q(duplicate_of__isnull=False)
    if statuses == {"open"}:
        queryset = queryset.exclude(closed)
    elif statuses == {"closed"}:
        queryset = queryset.filter(closed)
    if params.get("start_date"):
        queryset = queryset.filter(created_at__gte=_parse_when("start_date", params["start_date"]))
    if params.get("end_date"):
        queryset = queryset.filter(
            created_at__lte=_parse_when("end_date", params["end_date"], end=True)
        )
    ids = params.get("service_request_id", "")
    if ids:
        parts = [part.strip() for part in ids.split(",") if part.strip()]
        if not all(part.isdigit() and len(part) < 12 for part in parts):
            raise Open311Error(400, "service_request_id must be numbers")
        queryset = queryset.filter(pk__in=[int(part) for part in parts])
    page = _positive_int("page", params.get("page"), 1)
    size = _positive_int("page_size", params.get("page_size"), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    offset = (page - 1) * size
    return list(queryset.order_by("-created_at", "-pk")[offset : offset + size])


def _iso(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def request_record(idea, *, absolute):
    lat, lng = idea.lat, idea.lng  # stored by the database from the point (None without)
    return {
        "service_request_id": str(idea.pk),
        "status": "closed" if idea.status in CLOSED_STATUSES or idea.duplicate_of_id else "open",
        "status_notes": idea.status_notes or idea.get_status_display(),
        "service_name": f"{idea.get_kind_display()}: {idea.topic.name}",
        "service_code": service_code(idea.kind, idea.topic.slug),
        "description": f"{idea.title}\n\n{idea.text}",
        "agency_responsible": f"Quartiersarbeit {settings.CITY_NAME}",
        "service_notice": "",
        "requested_datetime": _iso(idea.created_at),
        "updated_datetime": _iso(idea.updated_at),
        "expected_datetime": None,
        "address": idea.area.name,
        "address_id": idea.area.slug,
        "zipcode": None,
        "lat": lat,
        "long": lng,
        "media_url": absolute(idea.thumbnail.url) if idea.thumbnail else None,
    }


def to_xml(root_name, item_name, records):
    root = ElementTree.Element(root_name)
    for record in records:
        item = ElementTree.SubElement(root, item_name)
        for key, value in record.items():
            child = ElementTree.SubElement(item, key)
            if value is None:
                continue
            text = ("true" if value else "false") if isinstance(value, bool) else str(value)
            child.text = clean_text(text)  # old rows may hold what XML cannot carry
    return (
        b'<?xml version="1.0" encoding="utf-8"?>\n'
        + ElementTree.tostring(root, encoding="unicode").encode()
    )


def error_records(code, description):
    return [{"code": code, "description": description}]
