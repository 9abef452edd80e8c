"""Ideas, strengths and weaknesses residents bring in, and what becomes of them.

An *Idee* proposes something, a *Stärke* names what people like about their quarter (what they
identify with), a *Schwäche* what is weak. Each is located in an area (the deepest current area
containing its point, or chosen when there is no point). Public `Answer`s record every status
change with a text: the accountability trail.
"""

from django.conf import settings
from django.db import models
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from neighbourhoods.geometry import point_lng_lat, validate_point
from neighbourhoods.models import area_geometry
from quartier.languages import contribution_language_model_field


class IdeaKind(models.TextChoices):
    IDEA = "idea", _("Idee")
    STRENGTH = "strength", _("Stärke")
    WEAKNESS = "weakness", _("Schwäche")


KIND_COLOURS_BY_KIND = {"idea": "#1d5b79", "strength": "#1e7a46", "weakness": "#b3261e"}


class IdeaStatus(models.TextChoices):
    PENDING = "pending", _("Wartet auf Prüfung")
    PUBLISHED = "published", _("Veröffentlicht")
    REJECTED = "rejected", _("Abgelehnt")
    UNDER_REVIEW = "under_review", _("Wird geprüft")
    PLANNED = "planned", _("Geplant")
    REALISED = "realised", _("Umgesetzt")
    NOT_FEASIBLE = "not_feasible", _("Nicht umsetzbar")


PUBLIC_STATUSES = (
    IdeaStatus.PUBLISHED,
    IdeaStatus.UNDER_REVIEW,
    IdeaStatus.PLANNED,
    IdeaStatus.REALISED,
    IdeaStatus.NOT_FEASIBLE,
)

# The same condition as IdeaQuerySet.public(), for partial indexes.
PUBLIC_CONDITION = models.Q(
    status__in=[str(status) for status in PUBLIC_STATUSES],
    is_hidden=False,
    confirmed_at__isnull=False,
)
# ... and IdeaQuerySet.listed(): public, not merged into another idea.
LISTED_CONDITION = PUBLIC_CONDITION & models.Q(duplicate_of__isnull=True)
# ... as plain SQL with its parameters, for the few reads written in SQL (building the ORM's
# query cost more than running it); PostgreSQL uses the partial indexes for it as for the ORM's
LISTED_SQL = (
    "confirmed_at IS NOT NULL AND NOT is_hidden AND duplicate_of_id IS NULL AND status IN ("
    + ", ".join(["%s"] * len(PUBLIC_STATUSES))
    + ")"
)
LISTED_SQL_PARAMS = tuple(str(status) for status in PUBLIC_STATUSES)


def in_box(min_lng, min_lat, max_lng, max_lat):
    """Ideas whose point lies in the box, found through the index on the stored coordinates."""
    return models.Q(lng__gte=min_lng, lng__lte=max_lng, lat__gte=min_lat, lat__lte=max_lat)


def _coordinate(index, label):
    """A number from the GeoJSON point in `location`, stored by the database itself."""
    return models.GeneratedField(
        expression=Cast(KT(f"location__coordinates__{index}"), models.FloatField()),
        output_field=models.FloatField(),
        db_persist=True,
        verbose_name=label,
    )


STATUS_TRANSITIONS = {
    IdeaStatus.PENDING: {IdeaStatus.PUBLISHED, IdeaStatus.REJECTED},
    IdeaStatus.PUBLISHED: {IdeaStatus.UNDER_REVIEW, IdeaStatus.PLANNED, IdeaStatus.NOT_FEASIBLE},
    IdeaStatus.UNDER_REVIEW: {IdeaStatus.PLANNED, IdeaStatus.NOT_FEASIBLE},
    IdeaStatus.PLANNED: {IdeaStatus.REALISED, IdeaStatus.NOT_FEASIBLE},
    IdeaStatus.REJECTED: set(),
    IdeaStatus.REALISED: set(),
    IdeaStatus.NOT_FEASIBLE: set(),
}


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    MEETING = "meeting", _("Bei einem Treffen")
    PHONE = "phone", _("Am Telefon")
    PAPER = "paper", _("Auf Papier")


class IdeaQuerySet(models.QuerySet):
    def public(self):
        """What anyone may see: confirmed, published (or later) and not hidden."""
        return self.filter(status__in=PUBLIC_STATUSES, is_hidden=False, confirmed_at__isnull=False)

    def listed(self):
        """Public and not merged into another idea (duplicates keep their page only)."""
        return self.public().filter(duplicate_of__isnull=True)

    def awaiting_moderation(self):
        return self.filter(status=IdeaStatus.PENDING, confirmed_at__isnull=False)

    def in_areas(self, area_ids):
        return self.filter(area_id__in=area_ids)

    def reported(self):
        """Ideas (not their comments) with reports nobody has decided on yet."""
        return self.filter(
            pk__in=Flag.objects.open().filter(comment__isnull=True).values("idea_id")
        )

    def answer_due(self, *, now=None):
        """Published ideas nobody has answered for more than `ANSWER_DUE_DAYS` days."""
        from datetime import timedelta

        days = getattr(settings, "ANSWER_DUE_DAYS", 14)
        cutoff = (now or timezone.now()) - timedelta(days=days)
        return self.filter(
            status=IdeaStatus.PUBLISHED,
            is_hidden=False,
            duplicate_of__isnull=True,
            published_at__lt=cutoff,
        ).exclude(models.Exists(Answer.objects.filter(idea=models.OuterRef("pk"))))

    def managed_by(self, user):
        from neighbourhoods.permissions import areas_managed_by, is_coordination

        if is_coordination(user):
            return self.exclude(confirmed_at__isnull=True)
        return self.filter(area__in=areas_managed_by(user)).exclude(confirmed_at__isnull=True)

    def for_list(self):
        return self.select_related("topic", "area").defer(*area_geometry("area"))

    def search(self, text):
        from django.db import connection

        text = (text or "").strip()
        if not text:
            return self
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            vector = SearchVector("title", weight="A", config="german") + SearchVector(
                "text", weight="B", config="german"
            )
            return self.annotate(search=vector).filter(
                search=SearchQuery(text, config="german", search_type="websearch")
            )
        return self.filter(models.Q(title__icontains=text) | models.Q(text__icontains=text))


class Idea(models.Model):
    kind = models.CharField(_("Art"), max_length=20, choices=IdeaKind.choices)
    title = models.CharField(_("Titel"), max_length=160)
    text = models.TextField(_("Beschreibung"), max_length=5000)
    language = contribution_language_model_field()
    topic = models.ForeignKey(
        "participation.Topic",
        verbose_name=_("Thema"),
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    area = models.ForeignKey(
        "neighbourhoods.Area",
        verbose_name=_("Gebiet"),
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    location = models.JSONField(
        _("Ort (GeoJSON-Punkt)"), null=True, blank=True, validators=[validate_point]
    )
    # The point's coordinates as numbers, kept by the database itself (a stored generated
    # column), so that map boxes are found through an index instead of reading every row.
    lng = _coordinate(0, _("Längengrad"))
    lat = _coordinate(1, _("Breitengrad"))
    photo = models.FileField(_("Foto"), upload_to="ideas/photos/", blank=True)
    thumbnail = models.FileField(_("Vorschaubild"), upload_to="ideas/thumbs/", blank=True)
    photo_alt = models.CharField(_("Beschreibung des Fotos"), max_length=250, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
    )
    author_name = models.CharField(_("Name"), max_length=120, blank=True)
    author_email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    confirmed_at = models.DateTimeField(_("Bestätigt am"), null=True, blank=True)
    channel = models.CharField(
        _("Weg"), max_length=20, choices=Channel.choices, default=Channel.ONLINE
    )
    meeting = models.ForeignKey(
        "participation.Meeting",
        verbose_name=_("Gesammelt beim Treffen"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="collected_ideas",
        help_text=_("Für Beiträge, die bei einem Treffen eingebracht wurden (Weg: Treffen)."),
    )
    status = models.CharField(
        _("Stand"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.PENDING
    )
    is_hidden = models.BooleanField(_("ausgeblendet"), default=False)
    hidden_reason = models.CharField(_("Grund für das Ausblenden"), max_length=300, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("Doppelt zu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        help_text=_("Gesetzt, wenn das Quartiersteam den Beitrag mit einem anderen zusammenführt."),
    )
    support_count = models.PositiveIntegerField(_("Unterstützungen"), default=0)
    comment_count = models.PositiveIntegerField(_("Kommentare"), default=0)
    created_at = models.DateTimeField(_("Eingereicht am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True)
    published_at = models.DateTimeField(_("Veröffentlicht am"), null=True, blank=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("Idee, Stärke oder Schwäche")
        verbose_name_plural = _("Ideen, Stärken und Schwächen")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="idea_status_created"),
            models.Index(fields=["area", "status"], name="idea_area_status"),
            models.Index(fields=["topic", "status"], name="idea_topic_status"),
            models.Index(fields=["kind", "status"], name="idea_kind_status"),
            models.Index(fields=["-support_count"], name="idea_support_count"),
            models.Index(fields=["-comment_count"], name="idea_comment_count"),
            # The public list's three sort orders, only over public rows (see public()):
            # the first page and the count are read from the index, not from 100,000 rows.
            models.Index(
                fields=["-created_at", "-id"],
                condition=PUBLIC_CONDITION,
                name="idea_public_new",
            ),
            models.Index(
                fields=["-support_count", "-created_at", "-id"],
                condition=PUBLIC_CONDITION,
                name="idea_public_supported",
            ),
            models.Index(
                fields=["-comment_count", "-created_at", "-id"],
                condition=PUBLIC_CONDITION,
                name="idea_public_discussed",
            ),
            # Counting the list (all, or by area/topic/kind) reads this small index only: a
            # sequential scan of 100,000 rows took 85 ms on every page after a change.
            models.Index(
                fields=["area", "topic", "kind"],
                condition=LISTED_CONDITION,
                name="idea_listed",
            ),
            # Map boxes (GeoJSON with bbox, similar ideas nearby): a range of latitudes, then
            # the longitudes and areas from the index alone.
            models.Index(
                fields=["lat", "lng", "area"],
                condition=LISTED_CONDITION,
                name="idea_listed_place",
            ),
            # An area page's latest contributions (and the newest of a place for similar
            # ideas): the newest rows of a few areas, not a sort of the quarter's history.
            models.Index(
                fields=["area", "-created_at"],
                condition=LISTED_CONDITION,
                name="idea_listed_area_new",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=IdeaKind.values), name="idea_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=IdeaStatus.values), name="idea_status_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("participation:idea-detail", kwargs={"pk": self.pk})

    @property
    def is_public(self):
        return (
            self.status in PUBLIC_STATUSES and not self.is_hidden and self.confirmed_at is not None
        )

    @property
    def colour(self):
        return KIND_COLOURS_BY_KIND.get(self.kind, "#1d5b79")

    @property
    def point(self):
        """(lat, lng) for templates, or None."""
        position = point_lng_lat(self.location)
        return None if position is None else (position[1], position[0])

    @property
    def author_display(self):
        if self.author_id:
            return self.author.get_full_name() or self.author.username
        return self.author_name


class Answer(models.Model):
    """A public answer of the quarter team, usually with a status change."""

    idea = models.ForeignKey(
        Idea, verbose_name=_("Beitrag"), on_delete=models.CASCADE, related_name="answers"
    )
    text = models.TextField(_("Antwort"), max_length=5000)
    status_from = models.CharField(_("Stand vorher"), max_length=20, choices=IdeaStatus.choices)
    status_to = models.CharField(_("Stand nachher"), max_length=20, choices=IdeaStatus.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Geschrieben von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author_role = models.CharField(_("Rolle"), max_length=80)
    created_at = models.DateTimeField(_("Datum"), auto_now_add=True)

    class Meta:
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")
        ordering = ["created_at"]
        # "Was daraus geworden ist" on the home page: the newest answers, read from the index
        indexes = [models.Index(fields=["-created_at", "-id"], name="answer_newest")]

    def __str__(self):
        return f"{self.idea} – {self.get_status_to_display()}"


class CommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(is_hidden=False)

    def reported(self):
        """Comments with reports nobody has decided on yet."""
        return self.filter(
            pk__in=Flag.objects.open().filter(comment__isnull=False).values("comment_id")
        )

    def managed_by(self, user):
        return self.filter(idea__in=Idea.objects.managed_by(user))


class Comment(models.Model):
    idea = models.ForeignKey(
        Idea, verbose_name=_("Beitrag"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="idea_comments",
    )
    text = models.TextField(_("Kommentar"), max_length=2000)
    language = contribution_language_model_field()
    is_hidden = models.BooleanField(_("ausgeblendet"), default=False)
    hidden_reason = models.CharField(_("Grund für das Ausblenden"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("Geschrieben am"), auto_now_add=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["idea", "is_hidden", "created_at"], name="comment_idea")]

    def __str__(self):
        return self.text[:60]


class Support(models.Model):
    idea = models.ForeignKey(
        Idea, verbose_name=_("Beitrag"), on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="idea_supports",
    )
    notify = models.BooleanField(_("über Neuigkeiten benachrichtigen"), default=False)
    created_at = models.DateTimeField(_("Unterstützt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Unterstützung")
        verbose_name_plural = _("Unterstützungen")
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="support_one_per_user")
        ]

    def __str__(self):
        return f"{self.user} → {self.idea}"


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def managed_by(self, user):
        return self.filter(idea__in=Idea.objects.managed_by(user))


class Flag(models.Model):
    """Someone reports an idea or a comment. `reporter_key` tells different people apart."""

    idea = models.ForeignKey(
        Idea, verbose_name=_("Beitrag"), on_delete=models.CASCADE, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("Kommentar"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="flags",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="idea_flags",
    )
    reporter_key = models.CharField(_("Meldende Person (Schlüssel)"), max_length=80)
    reason = models.CharField(_("Grund"), max_length=500)
    created_at = models.DateTimeField(_("Gemeldet am"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("Entschieden am"), null=True, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "reporter_key"],
                condition=models.Q(comment__isnull=True),
                name="flag_idea_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter_key"],
                condition=models.Q(comment__isnull=False),
                name="flag_comment_once_per_person",
            ),
        ]

    def __str__(self):
        return self.reason[:60]


class ModerationAction(models.TextChoices):
    """What a moderation log entry records (the code is stored, the label shown)."""

    ENTER = "enter", _("Eingetragen (Treffen, Telefon, Papier)")
    PUBLISH = "publish", _("Veröffentlicht")
    REJECT = "reject", _("Abgelehnt")
    ANSWER = "answer", _("Beantwortet")
    HIDE = "hide", _("Ausgeblendet")
    UNHIDE = "unhide", _("Wieder eingeblendet")
    AUTO_HIDE = "auto_hide", _("Automatisch ausgeblendet (mehrfach gemeldet)")
    HIDE_COMMENT = "hide_comment", _("Kommentar ausgeblendet")
    UNHIDE_COMMENT = "unhide_comment", _("Kommentar wieder eingeblendet")
    AUTO_HIDE_COMMENT = (
        "auto_hide_comment",
        _("Kommentar automatisch ausgeblendet (mehrfach gemeldet)"),
    )
    MARK_DUPLICATE = "mark_duplicate", _("Als doppelt markiert")
    MERGE_DUPLICATE = "merge_duplicate", _("Doppelten Beitrag übernommen")
    REMOVE_PHOTO = "remove_photo", _("Foto entfernt")
    DELETE = "delete", _("Gelöscht")
    MOOD_PUBLISH = "mood_publish", _("Stimmungs-Kommentar veröffentlicht")
    MOOD_REJECT = "mood_reject", _("Stimmungs-Kommentar abgelehnt")
    REPORT_EXPORT = "report_export", _("Bericht heruntergeladen")
    FORWARD = "forward", _("An ein Amt weitergeleitet")
    OFFICE_ANSWER = "office_answer", _("Antwort eines Amts eingegangen")
    OFFICE_PUBLISH = "office_publish", _("Antwort eines Amts veröffentlicht")
    OFFICE_INTERNAL = "office_internal", _("Antwort eines Amts intern behalten")


class ModerationLogQuerySet(models.QuerySet):
    def managed_by(self, user):
        """Entries about the user's areas (by the idea's area or the entry's own), and the
        user's own entries; coordination sees all."""
        from neighbourhoods.permissions import areas_managed_by, is_coordination

        if is_coordination(user):
            return self
        areas = areas_managed_by(user)
        return self.filter(
            models.Q(area__in=areas) | models.Q(idea__area__in=areas) | models.Q(actor=user)
        )


class ModerationLog(models.Model):
    """Who decided what and when; visible to staff only. The staff decisions of the audit
    log (`participation.audit`), beside django-auditlog's record of changed rows."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Wer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("Aktion"), max_length=40, choices=ModerationAction.choices)
    idea = models.ForeignKey(
        Idea,
        verbose_name=_("Beitrag"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="moderation_log",
    )
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("Kommentar"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    area = models.ForeignKey(
        "neighbourhoods.Area",
        verbose_name=_("Gebiet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Das Gebiet zur Zeit der Aktion (bei Berichten: das gewählte Gebiet)."),
    )
    note = models.TextField(_("Notiz"), blank=True)
    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True)

    objects = ModerationLogQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("audit log", "Protokolleintrag")
        verbose_name_plural = pgettext_lazy("audit log", "Protokoll")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["-created_at"], name="moderationlog_created")]

    def __str__(self):
        return f"{timezone.localtime(self.created_at):%d.%m.%Y %H:%M} {self.get_action_display()}"

    @property
    def note_display(self):
        """The note, with status codes of an answer ("published → planned") as labels."""
        if self.action == ModerationAction.ANSWER and " → " in self.note:
            labels = dict(IdeaStatus.choices)
            return " → ".join(str(labels.get(part, part)) for part in self.note.split(" → "))
        return self.note
