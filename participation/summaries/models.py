"""Summary rows: per-area figures kept beside the rows they count, so the area page, the mood
page and the home page read a handful of rows per area instead of counting ideas and answers.

- `AreaIdeaCount`: listed ideas (public, not merged) per area, kind, topic and status;
- `AreaMoodCount`: mood answers per area and month (how many, and the sum of their scores).

They are rebuilt for one area from its rows (`services.area_summaries_refresh`) whenever an
idea or a mood answer of that area is written, in the same transaction and under a per-area
lock, and for everything by `manage.py rebuild_summaries`.
"""

from django.db import models


class AreaIdeaCount(models.Model):
    area = models.ForeignKey("neighbourhoods.Area", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    topic = models.ForeignKey("participation.Topic", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area", "kind", "topic", "status"], name="area_idea_count_unique"
            )
        ]

    def __str__(self):
        return f"{self.area_id} {self.kind} {self.topic_id} {self.status}: {self.count}"


class AreaMoodCount(models.Model):
    area = models.ForeignKey("neighbourhoods.Area", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    count = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "month"], name="area_mood_count_unique")
        ]

    def __str__(self):
        return f"{self.area_id} {self.month}: {self.count}"
