"""Writes for surveys."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from participation.ideas.models import ModerationAction
from participation.ideas.services import log_decision
from quartier.languages import current_language

from .models import QuestionKind, SurveyAnswer, SurveyResponse

ALREADY_ANSWERED = _("Sie haben an dieser Umfrage schon teilgenommen. Danke!")
NOT_RUNNING = _("Diese Umfrage läuft nicht (mehr).")
WRONG_AREA = _("Diese Umfrage gilt nicht für das gewählte Gebiet.")


def _answers_for(response, question, value, language):
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        return [SurveyAnswer(response=response, question=question, choice=value)]
    if kind == QuestionKind.MULTIPLE:
        return [
            SurveyAnswer(response=response, question=question, choice=choice) for choice in value
        ]
    if kind == QuestionKind.SCALE:
        return [SurveyAnswer(response=response, question=question, scale=int(value))]
    if kind == QuestionKind.TEXT:
        text = value.strip()
        if not text:
            return []
        return [
            SurveyAnswer(
                response=response,
                question=question,
                text=text,
                text_status=SurveyAnswer.TextStatus.PENDING,
                language=language,
            )
        ]
    return [SurveyAnswer(response=response, question=question, geometry=value)]


def response_create(
    *, survey, area, answers, user=None, channel=SurveyResponse.Channel.ONLINE, language=None
):
    """Store one filled-in questionnaire, all or nothing.

    `answers` is a list of (question, value) as `SurveyForm.answers` gives them; free texts
    record `language` (default: the page's). One response per account and survey (a database
    constraint); visitors are limited in the view."""
    if user is not None and not user.is_authenticated:
        user = None
    if channel == SurveyResponse.Channel.ONLINE and not survey.is_running():
        raise ValidationError(NOT_RUNNING, code="not_running")
    if not survey.areas.filter(pk=area.pk).exists():
        raise ValidationError(WRONG_AREA, code="wrong_area")
    response = SurveyResponse(survey=survey, area=area, user=user, channel=channel)
    response.full_clean(validate_constraints=False)
    rows = []
    for question, value in answers:
        if question.survey_id != survey.pk:
            raise ValidationError(WRONG_AREA, code="wrong_question")
        rows.extend(_answers_for(response, question, value, language or current_language()))
    for row in rows:
        row.full_clean(exclude=["response"])
    try:
        with transaction.atomic():
            response.save()
            for row in rows:
                row.response = response
            SurveyAnswer.objects.bulk_create(rows)
    except IntegrityError:
        raise ValidationError(ALREADY_ANSWERED, code="already_answered") from None
    return response


@transaction.atomic
def answer_text_moderate(*, answer, publish, by=None):
    """Publish or reject a free-text answer; staff decisions go to the moderation log."""
    if not answer.text:
        return answer
    answer.text_status = (
        SurveyAnswer.TextStatus.PUBLISHED if publish else SurveyAnswer.TextStatus.REJECTED
    )
    answer.save(update_fields=["text_status"])
    if by is not None:
        log_decision(
            actor=by,
            action=ModerationAction.PUBLISH if publish else ModerationAction.REJECT,
            area=answer.response.area,
            note=f"{answer.question.survey.title[:80]}: {answer.text[:200]}",
        )
    return answer


def months_later(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, 28))


HELPER_PURPOSE = _(
    "Kontakt durch das Quartiersteam zum Mitmachen im Quartier (aktivierende Befragung)"
)


def interview_create(*, survey, area, answers, channel, interviewer, helper=None, language=None):
    """An interview entered by staff: the response (channel and interviewer recorded) and, when
    the person would get involved and consented, a helper contact kept apart from the answers.

    `helper` is None or a dict with name, contact, interests and topics."""
    with transaction.atomic():
        response = response_create(
            survey=survey,
            area=area,
            answers=answers,
            user=None,
            channel=channel,
            language=language,
        )
        response.interviewer = interviewer
        response.save(update_fields=["interviewer"])
        contact = None
        if helper:
            contact = helper_contact_create(
                area=area, survey=survey, recorded_by=interviewer, **helper
            )
    return response, contact


def helper_contact_create(
    *, area, name, contact, interests, topics=(), survey=None, recorded_by=None
):
    from django.utils import timezone

    from .models import HelperContact, helper_contact_months

    now = timezone.now()
    helper = HelperContact(
        area=area,
        survey=survey,
        name=name.strip(),
        contact=contact.strip(),
        interests=interests.strip(),
        consent_at=now,
        consent_purpose=str(HELPER_PURPOSE),
        delete_after=months_later(timezone.localdate(now), helper_contact_months()),
        recorded_by=recorded_by,
    )
    helper.full_clean()
    helper.save()
    helper.topics.set(topics)
    return helper


def helper_contacts_purge(*, now=None, dry_run=False):
    """Delete the contacts whose time is up (registered in the purge registry, run daily)."""
    from django.utils import timezone

    from .models import HelperContact

    today = timezone.localdate(now) if now else timezone.localdate()
    expired = HelperContact.objects.expired(today=today)
    count = expired.count()
    if not dry_run:
        expired.delete()
    return count
