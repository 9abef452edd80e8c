"""Demo: three offices; in each quarter one published idea forwarded (one answered and
published, one still open and overdue) — written directly, no mail is sent."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from neighbourhoods.models import Area
from neighbourhoods.selectors import area_tree
from participation.ideas.models import PUBLIC_STATUSES, Answer, Idea

from .models import Decision, Forwarding, Office

OFFICES = [
    ("Tiefbauamt", "tiefbauamt@demo.quartier.invalid", "Straßen, Wege, Querungen, Beleuchtung"),
    ("Grünflächenamt", "gruenflaechen@demo.quartier.invalid", "Parks, Bäume, Spielplätze"),
    ("Ordnungsamt", "ordnungsamt@demo.quartier.invalid", "Sauberkeit, Lärm, Parken"),
]


def load(*, stdout):
    offices = [
        Office.objects.get_or_create(name=name, defaults={"email": email, "description": text})[0]
        for name, email, text in OFFICES
    ]
    manager = get_user_model().objects.filter(username="koordination").first()
    now = timezone.now()
    made = 0
    for number, area in enumerate(Area.objects.current().quarters().order_by("name")):
        ideas = Idea.objects.filter(
            area_id__in=area_tree().descendant_ids(area, with_successors=True),
            status__in=PUBLIC_STATUSES,
            kind="idea",
        ).order_by("pk")[:2]
        for index, idea in enumerate(ideas):
            office = offices[(number + index) % len(offices)]
            if Forwarding.objects.filter(idea=idea).exists():
                continue
            forwarding = Forwarding.objects.create(
                idea=idea,
                office=office,
                question="Ist das aus Ihrer Sicht machbar, und bis wann?",
                deadline=timezone.localdate() + datetime.timedelta(days=-5 if index else 14),
                created_by=manager,
            )
            asked = now - datetime.timedelta(days=30 - 10 * index)
            Forwarding.objects.filter(pk=forwarding.pk).update(created_at=asked)
            if index == 0:
                answer = Answer.objects.create(
                    idea=idea,
                    text=f"{office.name}: Wir prüfen eine Umsetzung im nächsten Jahr.",
                    status_from=idea.status,
                    status_to=idea.status,
                    author=manager,
                    author_role="Quartierskoordination",
                )
                Forwarding.objects.filter(pk=forwarding.pk).update(
                    answer="Machbar, wir planen es für das kommende Frühjahr ein.",
                    answered_at=asked + datetime.timedelta(days=9),
                    answered_name="Frau Beispiel",
                    decision=Decision.PUBLISHED,
                    decided_at=asked + datetime.timedelta(days=10),
                    public_answer=answer,
                )
            made += 1
    stdout.write(f"Ämter: {len(offices)} Ämter, {made} Weiterleitungen angelegt.")
