"""Mood comments waiting for staff, for the back office's inbox (neighbourhoods.inbox)."""

from participation.ideas.inbox import changelist, per_area

from .models import MoodAnswer


def comments_pending(area_ids):
    answers = MoodAnswer.objects.filter(comment_status=MoodAnswer.CommentStatus.PENDING)
    return per_area(answers, area_ids=area_ids)


def comments_pending_link(area_id):
    return changelist("moodanswer", area_id, comment_status__exact=MoodAnswer.CommentStatus.PENDING)
