"""Writes for the mood barometer."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from participation.ideas.models import ModerationAction
from participation.ideas.services import log_decision
from quartier.languages import current_language

from .models import MoodAnswer, current_month

ALREADY_ANSWERED = _(
    "Sie haben für dieses Gebiet in diesem Monat schon geantwortet. Danke! "
    "Im nächsten Monat können Sie wieder mitmachen."
)


def mood_answer_create(*, area, score, comment="", aspect=None, user=None, language=None):
    """One answer per account, area and month (a database constraint); comments wait for staff
    and record the `language` they were written in (default: the page's)."""
    if user is not None and not user.is_authenticated:
        user = None
    answer = MoodAnswer(
        area=area,
        score=score,
        comment=comment.strip(),
        language=language or current_language(),
        aspect=aspect,
        user=user,
        month=current_month(),
        comment_status=(
            MoodAnswer.CommentStatus.PENDING if comment.strip() else MoodAnswer.CommentStatus.NONE
        ),
    )
    answer.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError:
        raise ValidationError(ALREADY_ANSWERED, code="already_answered") from None
    return answer


@transaction.atomic
def mood_comment_moderate(*, answer, publish, by=None):
    """Publish or reject a mood comment; staff decisions go to the moderation log."""
    if not answer.comment:
        return answer
    answer.comment_status = (
        MoodAnswer.CommentStatus.PUBLISHED if publish else MoodAnswer.CommentStatus.REJECTED
    )
    answer.save(update_fields=["comment_status"])
    if by is not None:
        log_decision(
            actor=by,
            action=ModerationAction.MOOD_PUBLISH if publish else ModerationAction.MOOD_REJECT,
            area=answer.area,
            note=answer.comment[:300],
        )
    return answer
