"""Demo: in each quarter one published measure grown out of an idea and a meeting, with
milestones and a short history — written directly, no mail is sent."""

import datetime

from django.utils import timezone

from neighbourhoods.models import Area
from participation.ideas.models import PUBLIC_STATUSES, Idea
from participation.meetings.models import Meeting
from participation.offices.models import Office

from .models import Measure, MeasureStatus, MeasureUpdate, Milestone


def load(*, stdout):
    today = timezone.localdate()
    made = 0
    office = Office.objects.order_by("name").first()
    for number, area in enumerate(Area.objects.current().quarters().order_by("name")):
        if Measure.objects.filter(area=area).exists():
            continue
        idea = (
            Idea.objects.filter(area=area, status__in=PUBLIC_STATUSES, kind="idea")
            .order_by("-support_count", "pk")
            .first()
        )
        title = f"Umsetzung: {idea.title}" if idea else f"Sitzbänke für {area.name}"
        status, progress = [
            (MeasureStatus.IN_PROGRESS, 60),
            (MeasureStatus.PREPARING, 20),
            (MeasureStatus.COMPLETED, 100),
        ][number % 3]
        measure = Measure.objects.create(
            title=title[:160],
            summary="Was aus dem Beitrag geworden ist: geplant mit dem Amt, besprochen beim "
            "Stadtteilgespräch, umgesetzt in Schritten.",
            area=area,
            location=idea.location if idea else None,
            status=status,
            progress=progress,
            costs=15000 + 5000 * number,
            funding="Städtischer Haushalt",
            responsible_office=office,
            is_published=True,
        )
        if idea:
            measure.ideas.add(idea)
        meeting = Meeting.objects.filter(area=area).order_by("starts_at").first()
        if meeting:
            measure.meetings.add(meeting)
        for days, text, done in [(-60, "Planung abgeschlossen", True), (30, "Bau", False)]:
            Milestone.objects.create(
                measure=measure,
                title=text,
                due_on=today + datetime.timedelta(days=days),
                done_on=today + datetime.timedelta(days=days) if done else None,
            )
        for days_ago, text, step_status, step_progress in [
            (60, "Das Vorhaben ist beschlossen.", MeasureStatus.PLANNED, 0),
            (20, "Der Auftrag ist vergeben.", status, progress),
        ]:
            update = MeasureUpdate.objects.create(
                measure=measure, text=text, status=step_status, progress=step_progress
            )
            MeasureUpdate.objects.filter(pk=update.pk).update(
                created_at=timezone.now() - datetime.timedelta(days=days_ago)
            )
        made += 1
    stdout.write(f"Vorhaben: {made} Demo-Vorhaben angelegt.")
