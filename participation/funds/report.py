"""The report's section "Fonds": money by area, topic and target group, first-time applicants,
residents vs institutions — a fixed number of queries (registered in `hooks.py`)."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Min, Q, Sum
from django.utils.translation import gettext_lazy as _

from participation.reports import charts
from participation.reports.build import Section, Table

from .models import ZERO, ApplicantKind, FundApplication
from .models import ApplicationStatus as S


def _applications(scope):
    applications = FundApplication.objects.exclude(status=S.UNCONFIRMED)
    if scope.area_ids is not None:
        applications = applications.filter(area_id__in=scope.area_ids)
    return applications


def _money_table(key, title, label, rows):
    table = Table(
        key=key,
        title=title,
        columns=[label, _("Anträge"), _("bewilligt (€)")],
        rows=[[name, count, float(amount)] for name, count, amount in rows],
    )
    if rows:
        table.chart = charts.bar_chart(
            chart_id=f"chart-{key}",
            title=title,
            description=_("Balken: bewilligte Euro im Zeitraum."),
            items=[(name, float(amount)) for name, _count, amount in rows],
        )
    return table


def funds_section(scope, period):
    in_period = _applications(scope).filter(
        created_at__gte=period.start_at, created_at__lt=period.end_at
    )
    approved = Q(status__in=FundApplication.COMMITTED)
    by_area = defaultdict(lambda: [0, ZERO])
    for row in (
        in_period.order_by()
        .values("area_id")
        .annotate(n=Count("pk"), money=Sum("approved_amount", filter=approved))
    ):
        entry = by_area[scope.group_name(row["area_id"]) or "–"]
        entry[0] += row["n"]
        entry[1] += row["money"] or ZERO
    by_topic = (
        in_period.order_by()
        .values("topic__name")
        .annotate(n=Count("pk"), money=Sum("approved_amount", filter=approved))
        .order_by("topic__name")
    )
    groups = defaultdict(lambda: [0, ZERO])
    for text, amount, committed in in_period.values_list(
        "target_groups", "approved_amount", "status"
    ):
        for group in {
            part.strip().capitalize() for part in (text or "").split(",") if part.strip()
        }:
            groups[group][0] += 1
            if committed in FundApplication.COMMITTED:
                groups[group][1] += amount or ZERO
    kinds = dict(ApplicantKind.choices)
    by_kind = (
        in_period.order_by()
        .values("applicant_kind")
        .annotate(n=Count("pk"), money=Sum("approved_amount", filter=approved))
    )
    first = (
        FundApplication.objects.exclude(status=S.UNCONFIRMED)
        .order_by()
        .values("email")
        .annotate(first=Min("created_at"))
        .filter(first__gte=period.start_at, first__lt=period.end_at)
    )
    if scope.area_ids is not None:
        first = first.filter(email__in=in_period.values("email"))
    applicants = in_period.order_by().values("email").distinct().count()
    first_count = first.count()
    money = in_period.aggregate(
        requested=Sum("requested_amount"), approved=Sum("approved_amount", filter=approved)
    )
    overview = Table(
        key="funds-overview",
        title=_("Anträge und Geld im Zeitraum"),
        columns=[_("Kennzahl"), _("Wert")],
        rows=[
            [_("Anträge"), in_period.count()],
            [_("beantragt (€)"), float(money["requested"] or 0)],
            [_("bewilligt (€)"), float(money["approved"] or 0)],
            [_("Antragstellende"), applicants],
            [_("davon zum ersten Mal"), first_count],
        ],
    )
    return Section(
        key="funds",
        number=None,
        title=_("Fonds"),
        question=_("Wofür geben die Quartiersfonds Geld, und wer beantragt es?"),
        tables=[
            overview,
            _money_table(
                "funds-areas",
                _("Geld nach Gebiet"),
                _("Gebiet"),
                sorted((name, n, m) for name, (n, m) in by_area.items()),
            ),
            _money_table(
                "funds-topics",
                _("Geld nach Thema"),
                _("Thema"),
                [(row["topic__name"] or "–", row["n"], row["money"] or ZERO) for row in by_topic],
            ),
            _money_table(
                "funds-groups",
                _("Geld nach Zielgruppe"),
                _("Zielgruppe"),
                sorted((name, n, m) for name, (n, m) in groups.items()),
            ),
            _money_table(
                "funds-kinds",
                _("Bewohnerschaft und Einrichtungen"),
                _("Antragsteller"),
                [
                    (
                        str(kinds.get(row["applicant_kind"], row["applicant_kind"])),
                        row["n"],
                        row["money"] or Decimal(0),
                    )
                    for row in by_kind
                ],
            ),
        ],
    )
