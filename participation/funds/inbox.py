"""Fund applications waiting for staff, for the back office's inbox (neighbourhoods.inbox)."""

from django.db.models import Q
from django.utils import timezone

from participation.ideas.inbox import changelist, per_area

from .models import ApplicationStatus as S
from .models import FundApplication


def to_check(area_ids):
    return per_area(FundApplication.objects.filter(status=S.SUBMITTED), area_ids=area_ids)


def to_check_link(area_id):
    return changelist("fundapplication", area_id, status__exact=S.SUBMITTED)


def to_decide(area_ids):
    """Before the body with the written procedure's deadline passed (or in a session)."""
    waiting = FundApplication.objects.filter(status=S.BEFORE_BODY).filter(
        Q(written_deadline__isnull=True) | Q(written_deadline__lte=timezone.now())
    )
    return per_area(waiting, area_ids=area_ids, since="updated_at")


def to_decide_link(area_id):
    return changelist("fundapplication", area_id, status__exact=S.BEFORE_BODY)


def to_pay(area_ids):
    return per_area(
        FundApplication.objects.filter(status=S.APPROVED), area_ids=area_ids, since="decided_at"
    )


def to_pay_link(area_id):
    return changelist("fundapplication", area_id, status__exact=S.APPROVED)


def proofs(area_ids):
    return per_area(
        FundApplication.objects.filter(status=S.PROOF_SUBMITTED),
        area_ids=area_ids,
        since="updated_at",
    )


def proofs_link(area_id):
    return changelist("fundapplication", area_id, status__exact=S.PROOF_SUBMITTED)
