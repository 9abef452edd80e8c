"""Keeping the summary rows current; called once from `ParticipationConfig.ready()`.

Signals here, not calls in the services: the summaries must follow every write of an idea or
a mood answer whichever path made it (admin, services, splits), like the fragment versions."""

from django.db.models.signals import post_delete, post_save, pre_save

from neighbourhoods.registry import on_split

from .services import area_summaries_refresh

# An idea's place in the summary: whether it is listed, and where it is counted.
IDEA_FIELDS = {"area", "kind", "topic", "status", "is_hidden", "confirmed_at", "duplicate_of"}
MOOD_FIELDS = {"area", "month", "score"}


def _touches(update_fields, fields):
    return update_fields is None or bool(set(update_fields) & fields)


def _listed(idea):
    from participation.ideas.models import PUBLIC_STATUSES

    return (
        idea.status in PUBLIC_STATUSES
        and not idea.is_hidden
        and idea.confirmed_at is not None
        and idea.duplicate_of_id is None
    )


def idea_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """The area an existing idea is counted in before this save (it may move)."""
    instance._summary_old_area_id = None
    if raw or instance._state.adding or not _touches(update_fields, IDEA_FIELDS):
        return
    instance._summary_old_area_id = (
        sender._base_manager.filter(pk=instance.pk).values_list("area_id", flat=True).first()
    )


def idea_saved(sender, instance, raw=False, update_fields=None, created=False, **kwargs):
    if raw or not _touches(update_fields, IDEA_FIELDS):
        return
    if created and not _listed(instance):
        return  # a new idea waits for confirmation and moderation: nothing listed changed
    old = getattr(instance, "_summary_old_area_id", None)
    area_summaries_refresh(area_ids=[instance.area_id, old], mood=False)


def idea_deleted(sender, instance, **kwargs):
    area_summaries_refresh(area_ids=[instance.area_id], mood=False)


def mood_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not _touches(update_fields, MOOD_FIELDS):
        return
    area_summaries_refresh(area_ids=[instance.area_id], ideas=False)


def mood_deleted(sender, instance, **kwargs):
    area_summaries_refresh(area_ids=[instance.area_id], ideas=False)


def split_refresh(*, old_area, new_areas):
    """A split or a retirement moved ideas between areas without signals."""
    area_summaries_refresh(area_ids=[old_area.pk, *(area.pk for area in new_areas)])


def register():
    from participation.feedback.models import MoodAnswer
    from participation.ideas.models import Idea

    pre_save.connect(idea_pre_save, sender=Idea, dispatch_uid="summaries-idea-pre")
    post_save.connect(idea_saved, sender=Idea, dispatch_uid="summaries-idea")
    post_delete.connect(idea_deleted, sender=Idea, dispatch_uid="summaries-idea-delete")
    post_save.connect(mood_saved, sender=MoodAnswer, dispatch_uid="summaries-mood")
    post_delete.connect(mood_deleted, sender=MoodAnswer, dispatch_uid="summaries-mood-delete")
    on_split(split_refresh)
