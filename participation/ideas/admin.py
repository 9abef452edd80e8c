"""Moderation in the admin. Every queryset is scoped to the areas the staff member manages
(a tampered id finds nothing); every change goes through participation.ideas.services."""

from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from neighbourhoods.admin_scoping import AreaScopedAdminMixin, area_filter
from neighbourhoods.forms import PointField, PointWidget
from neighbourhoods.models import area_geometry
from neighbourhoods.permissions import areas_managed_by
from participation import permissions
from participation.offices.forms import ForwardForm
from participation.offices.models import Forwarding, Office
from participation.offices.services import forwarding_create
from participation.topics.models import Topic
from quartier.images import process_image

from . import services
from .duplicates import idea_mark_duplicate
from .forms import (
    COLLECT_ROWS_DEFAULT,
    COLLECT_ROWS_MAX,
    AnswerForm,
    ConfirmForm,
    DuplicateForm,
    PaperCardsForm,
    PublishForm,
    ReasonForm,
    collect_formset,
)
from .models import (
    PUBLIC_STATUSES,
    Answer,
    Channel,
    Comment,
    Flag,
    Idea,
    IdeaStatus,
    ModerationLog,
)
from .similar import similar_ideas


class ModerationAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    """What residents send in is moderated here, never added or deleted."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AnswerInline(admin.TabularInline):
    model = Answer
    template = "admin/participation/readonly_tabular.html"
    extra = 0
    can_delete = False
    fields = ("created_at", "status_from", "status_to", "author_role", "text")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return permissions.can_work_in_admin(request.user)


class ForwardingInline(admin.TabularInline):
    """The idea's requests to offices; each opens its own page (answer, decision)."""

    model = Forwarding
    template = "admin/participation/readonly_tabular.html"
    extra = 0
    can_delete = False
    fields = ["office_link", "created_at", "deadline", "answered_at", "decision"]
    readonly_fields = fields
    verbose_name_plural = _("Weiterleitungen an Ämter")

    @admin.display(description=_("Amt"))
    def office_link(self, obj):
        url = reverse("admin:participation_forwarding_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.office.name)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("office")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return permissions.can_work_in_admin(request.user)


class ModerationLogInline(admin.TabularInline):
    model = ModerationLog
    template = "admin/participation/readonly_tabular.html"
    fk_name = "idea"
    extra = 0
    can_delete = False
    fields = ("created_at", "actor", "action", "note")
    readonly_fields = fields
    verbose_name_plural = _("Moderationsprotokoll")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return permissions.can_work_in_admin(request.user)


class OfflineIdeaForm(forms.ModelForm):
    """Staff enter ideas brought in at a meeting, by phone or on paper."""

    location_text = PointField(
        label=_("Ort (freiwillig)"),
        widget=PointWidget,
    )
    photo_upload = forms.FileField(label=_("Foto (freiwillig)"), required=False)

    class Meta:
        model = Idea
        fields = (
            "kind",
            "title",
            "text",
            "topic",
            "area",
            "channel",
            "author_name",
            "author_email",
            "photo_alt",
        )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [
            choice for choice in Channel.choices if choice[0] != Channel.ONLINE
        ]
        self.fields["area"].required = False
        if request is not None:
            self.fields["area"].queryset = (
                areas_managed_by(request.user).without_geometry().order_by("name")
            )

    def clean_location_text(self):
        location = self.cleaned_data.get("location_text")
        if location:
            try:
                area = services.area_for_location(location)
            except ValidationError as error:
                raise forms.ValidationError(error.message_dict["location"]) from None
            if not self.fields["area"].queryset.filter(pk=area.pk).exists():
                raise forms.ValidationError(
                    _("Dieser Ort liegt in %(area)s, nicht in Ihren Gebieten.") % {"area": area}
                )
        return location

    def clean_photo_upload(self):
        """The verified, re-encoded photo (a ProcessedImage) — processed once, here."""
        photo = self.cleaned_data.get("photo_upload")
        return process_image(photo) if photo else None

    def clean(self):
        cleaned = super().clean()
        missing_place = not cleaned.get("location_text") and not cleaned.get("area")
        if missing_place and "location_text" not in self.errors:
            self.add_error("area", _("Bitte wählen Sie ein Gebiet oder geben Sie einen Ort an."))
        if cleaned.get("photo_upload") and not cleaned.get("photo_alt"):
            self.add_error(
                "photo_alt", _("Bitte beschreiben Sie kurz, was auf dem Foto zu sehen ist.")
            )
        return cleaned


class ReportedFilter(admin.SimpleListFilter):
    """Ideas (or comments) with open reports, as the inbox links to them."""

    title = _("Meldungen")
    parameter_name = "gemeldet"

    def lookups(self, request, model_admin):
        return [("offen", _("offene Meldungen"))]

    def queryset(self, request, queryset):
        return queryset.reported() if self.value() == "offen" else queryset


class AnswerDueFilter(admin.SimpleListFilter):
    title = _("Antwort")
    parameter_name = "antwort"

    def lookups(self, request, model_admin):
        days = settings.ANSWER_DUE_DAYS
        return [
            (
                "ueberfaellig",
                ngettext(
                    "seit mehr als %(days)d Tag ohne Antwort",
                    "seit mehr als %(days)d Tagen ohne Antwort",
                    days,
                )
                % {"days": days},
            )
        ]

    def queryset(self, request, queryset):
        return queryset.answer_due() if self.value() == "ueberfaellig" else queryset


@admin.register(Idea)
class IdeaAdmin(ModerationAdmin):
    list_display = ("title", "kind", "status_column", "area", "created")
    list_display_links = ("title",)
    list_filter = (
        "status",
        ReportedFilter,
        AnswerDueFilter,
        area_filter("area"),
        "kind",
        "topic",
        "channel",
        "is_hidden",
    )
    search_fields = ("title", "text")
    list_select_related = ("area", "topic")
    actions = ["approve", "reject", "unhide", "remove_photo"]
    inlines = [AnswerInline, ForwardingInline, ModerationLogInline]
    change_form_template = "admin/participation/idea/change_form.html"
    fieldsets = (
        (
            None,
            {"fields": ("title", "text", "kind", "topic", "area", "location", "photo_preview")},
        ),
        (
            _("Stand"),
            {
                "fields": (
                    "status",
                    "published_at",
                    "is_hidden",
                    "hidden_reason",
                    "duplicate_of",
                    ("support_count", "comment_count"),
                )
            },
        ),
        (
            _("Eingebracht"),
            {
                "fields": (
                    "created_at",
                    "channel",
                    "meeting",
                    "author",
                    "author_name",
                    "author_email",
                    "confirmed_at",
                    "photo_alt",
                )
            },
        ),
    )
    readonly_fields = (
        "kind",
        "title",
        "text",
        "topic",
        "area",
        "location",
        "photo_preview",
        "photo_alt",
        "author",
        "author_name",
        "author_email",
        "confirmed_at",
        "channel",
        "meeting",
        "status",
        "is_hidden",
        "hidden_reason",
        "duplicate_of",
        "support_count",
        "comment_count",
        "created_at",
        "published_at",
    )

    def scope_queryset(self, request, queryset):
        return queryset.managed_by(request.user)

    def get_queryset(self, request):
        # Not super(): its ordering by "pending_first" would come before the annotation.
        queryset = Idea.objects.select_related("area", "topic", "author", "meeting").defer(
            *area_geometry("area")
        )
        queryset = self.scope_queryset(request, queryset)
        return queryset.annotate(
            pending_first=Case(
                When(status=IdeaStatus.PENDING, then=Value(0)),
                When(is_hidden=True, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        ).order_by("pending_first", "-created_at")

    def has_add_permission(self, request):
        return permissions.can_work_in_admin(request.user)  # ideas brought in offline

    def get_ordering(self, request):
        return ["pending_first", "-created_at"]

    @admin.display(description=_("Stand"), ordering="status")
    def status_column(self, obj):
        if obj.is_hidden:
            return format_html(
                "{} · <strong>{}</strong>", obj.get_status_display(), _("ausgeblendet")
            )
        return obj.get_status_display()

    @admin.display(description=_("Eingereicht am"), ordering="created_at")
    def created(self, obj):
        return date_format(timezone.localtime(obj.created_at), "SHORT_DATE_FORMAT")

    @admin.display(description=_("Foto"))
    def photo_preview(self, obj):
        if not obj.thumbnail:
            return "–"
        return format_html('<img src="{}" alt="{}" width="200">', obj.thumbnail.url, obj.photo_alt)

    # adding offline ideas --------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            form = OfflineIdeaForm

            class RequestForm(form):
                def __init__(self, *args, **inner):
                    super().__init__(*args, request=request, **inner)

            return RequestForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (None, {"fields": [*OfflineIdeaForm.Meta.fields, "location_text", "photo_upload"]})
            ]
        return self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        """Enter an offline idea through the service — only in an area the staff member
        manages, checked before anything is written (the form checked it too; this guards
        against an area changed or unassigned since)."""
        if change:
            return
        data = form.cleaned_data
        location = data.get("location_text")
        try:
            area = services.area_for_location(location) if location else data.get("area")
        except ValidationError as error:
            raise PermissionDenied(" ".join(error.messages)) from None
        if area is None or not permissions.can_moderate_in(request.user, area):
            raise PermissionDenied(_("Dieser Ort liegt nicht in Ihren Gebieten."))
        try:
            idea = services.idea_submit(
                kind=data["kind"],
                title=data["title"],
                text=data["text"],
                topic=data["topic"],
                location=location,
                area=area,
                photo=data.get("photo_upload"),
                photo_alt=data.get("photo_alt", ""),
                author_name=data.get("author_name", ""),
                author_email=data.get("author_email", ""),
                channel=data["channel"],
                entered_by=request.user,
            )
        except ValidationError as error:  # the form checked everything; this is a last guard
            raise PermissionDenied(" ".join(error.messages)) from None
        obj.pk = idea.pk

    def log_addition(self, request, obj, message):
        """The service logged the entry already (moderation log and admin history)."""

    def save_related(self, request, form, formsets, change):
        pass

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "topic":
            kwargs["queryset"] = Topic.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # actions in the list ---------------------------------------------------------------

    def _run(self, request, queryset, service, **extra):
        done = 0
        for idea in queryset:
            try:
                service(idea=idea, by=request.user, **extra)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                message = (
                    " ".join(getattr(error, "messages", [])) or str(error) or _("Nicht erlaubt.")
                )
                self.message_user(request, f"{idea.title}: {message}", messages.ERROR)
        return done

    @admin.action(description=_("Ausgewählte veröffentlichen"))
    def approve(self, request, queryset):
        done = self._run(request, queryset, services.idea_publish)
        if done:
            self.message_user(request, _("%(count)d veröffentlicht.") % {"count": done})

    @admin.action(description=_("Ausgewählte wieder einblenden (Meldungen erledigt)"))
    def unhide(self, request, queryset):
        done = self._run(request, queryset, services.idea_unhide)
        if done:
            self.message_user(request, _("%(count)d wieder eingeblendet.") % {"count": done})

    @admin.action(description=_("Foto der ausgewählten entfernen"))
    def remove_photo(self, request, queryset):
        done = self._run(request, queryset, services.idea_photo_remove)
        if done:
            self.message_user(request, _("%(count)d Foto(s) entfernt.") % {"count": done})

    @admin.action(description=_("Ausgewählte ablehnen (mit Grund)"))
    def reject(self, request, queryset):
        form = ReasonForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            done = self._run(
                request, queryset, services.idea_reject, reason=form.cleaned_data["reason"]
            )
            if done:
                self.message_user(request, _("%(count)d abgelehnt.") % {"count": done})
            return None
        return TemplateResponse(
            request,
            "admin/participation/reason.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Beiträge ablehnen"),
                "form": form,
                "objects": queryset,
                "action": "reject",
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    # moderation on the idea's own page -------------------------------------------------
    #
    # Each action has its URL; the change page shows the forms of the actions allowed from
    # the idea's current status, and posts them there. A form with errors comes back on the
    # action's own page with everything typed kept. One service per action.

    MODERATION_ACTIONS = {
        # action: (URL part, title, service, form class, arguments from cleaned_data)
        "publish": (
            "veroeffentlichen",
            _("Veröffentlichen"),
            services.idea_publish,
            PublishForm,
            lambda data: {"answer_text": data["text"], "status_to": data["status_to"]},
        ),
        "answer": (
            "antworten",
            _("Antworten und Stand ändern"),
            services.idea_answer,
            AnswerForm,
            lambda data: {"text": data["text"], "status_to": data["status_to"]},
        ),
        "reject": (
            "ablehnen",
            _("Ablehnen"),
            services.idea_reject,
            ReasonForm,
            lambda data: {"reason": data["reason"]},
        ),
        "hide": (
            "ausblenden",
            _("Ausblenden"),
            services.idea_hide,
            ReasonForm,
            lambda data: {"reason": data["reason"]},
        ),
        "unhide": (
            "einblenden",
            _("Wieder einblenden"),
            services.idea_unhide,
            ConfirmForm,
            lambda data: {},
        ),
        "duplicate": (
            "doppelt",
            _("Als doppelt markieren"),
            idea_mark_duplicate,
            DuplicateForm,
            lambda data: {"original": data["original"]},
        ),
        "forward": (
            "weiterleiten",
            _("An ein Amt weiterleiten"),
            forwarding_create,
            ForwardForm,
            lambda data: {
                "office": data["office"],
                "question": data["question"],
                "deadline": data["deadline"],
            },
        ),
    }

    def get_urls(self):
        own = [
            path(
                f"<int:pk>/{part}/",
                self.admin_site.admin_view(partial(self.moderation_view, action=action)),
                name=f"participation_idea_{action}",
            )
            for action, (part, *_rest) in self.MODERATION_ACTIONS.items()
        ]
        own.append(
            path(
                "papierkarten/",
                self.admin_site.admin_view(self.paper_cards_view),
                name="participation_idea_paper",
            )
        )
        return own + super().get_urls()

    def paper_cards_view(self, request):
        """Returned paper cards (participation.paper), entered in one go for one area: one row
        per idea, strength or weakness; they wait in the moderation queue like online ones."""
        if not permissions.can_work_in_admin(request.user):
            raise PermissionDenied
        areas = areas_managed_by(request.user).current().without_geometry().order_by("name")
        try:
            rows = int(request.GET.get("zeilen", COLLECT_ROWS_DEFAULT))
        except ValueError:
            rows = COLLECT_ROWS_DEFAULT
        data = request.POST if request.method == "POST" else None
        initial = {}
        if request.GET.get("gebiet", "").isdigit():
            initial["area"] = areas.filter(pk=int(request.GET["gebiet"])).first()
        form = PaperCardsForm(data, areas=areas, initial=initial)
        formset = collect_formset(data, rows=rows)
        if data is not None and form.is_valid() and formset.is_valid():
            entries = [row.cleaned_data for row in formset if row.has_changed()]
            try:
                ideas = services.ideas_enter_cards(
                    area=form.cleaned_data["area"], by=request.user, entries=entries
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d Karte aus %(area)s ist erfasst und wartet auf Prüfung.",
                        "%(count)d Karten aus %(area)s sind erfasst und warten auf Prüfung.",
                        len(ideas),
                    )
                    % {"count": len(ideas), "area": form.cleaned_data["area"].name},
                    messages.SUCCESS,
                )
                return redirect(
                    reverse("admin:participation_idea_changelist") + "?status__exact=pending"
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "formset": formset,
            "row_choices": [5, 10, 20, COLLECT_ROWS_MAX],
            "title": _("Papierkarten erfassen"),
        }
        return TemplateResponse(request, "admin/participation/idea/paper_cards.html", context)

    def _get_scoped(self, request, pk):
        if not permissions.can_work_in_admin(request.user):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    @staticmethod
    def allowed_actions(idea):
        """The moderation actions offered for the idea's current status."""
        if idea.status == IdeaStatus.PENDING:
            return ["publish", "reject"]
        if not idea.is_public and not idea.is_hidden:
            return []  # rejected: nothing more to decide
        actions = ["answer"] if idea.status in PUBLIC_STATUSES else []
        actions.append("unhide" if idea.is_hidden else "hide")
        if idea.is_public and not idea.duplicate_of_id:
            actions.append("duplicate")
        if idea.is_public and Office.objects.filter(is_active=True).exists():
            actions.append("forward")  # once coordination has listed offices
        return actions

    def moderation_form(self, action, idea, data=None):
        form_class = self.MODERATION_ACTIONS[action][3]
        kwargs = {"action": action}
        if form_class in (AnswerForm, ForwardForm):
            kwargs["idea"] = idea
        elif form_class is DuplicateForm:
            kwargs["idea"] = idea
            kwargs["suggestions"] = similar_ideas(
                title=idea.title,
                text=idea.text,
                area=idea.area,
                location=idea.location,
                exclude_pk=idea.pk,
            )
        return form_class(data, **kwargs)

    def moderation_view(self, request, pk, *, action):
        idea = self._get_scoped(request, pk)
        _part, title, service, _form_class, arguments = self.MODERATION_ACTIONS[action]
        if action not in self.allowed_actions(idea):
            self.message_user(
                request,
                _("„%(action)s“ ist beim Stand „%(status)s“ nicht möglich.")
                % {"action": title, "status": idea.get_status_display()},
                messages.ERROR,
            )
            return redirect("admin:participation_idea_change", idea.pk)
        form = self.moderation_form(
            action, idea, request.POST if request.method == "POST" else None
        )
        if request.method == "POST" and form.is_valid():
            try:
                service(idea=idea, by=request.user, **arguments(form.cleaned_data))
            except ValidationError as error:
                _add_service_errors(form, error)
            except PermissionDenied as error:
                self.message_user(request, str(error) or _("Nicht erlaubt."), messages.ERROR)
                return redirect("admin:participation_idea_change", idea.pk)
            else:
                self.message_user(
                    request,
                    _("„%(title)s“: %(action)s – erledigt.")
                    % {"title": idea.title, "action": title},
                    messages.SUCCESS,
                )
                return redirect("admin:participation_idea_change", idea.pk)
        return TemplateResponse(
            request,
            "admin/participation/idea_form.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "form": form,
                "idea": idea,
                "opts": self.model._meta,
                "original": idea,
                "has_view_permission": True,
            },
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        idea = self.get_object(request, object_id)
        if idea is not None:
            extra_context["moderation"] = self.moderation_panel(request, idea)
        return super().change_view(request, object_id, form_url, extra_context)

    def moderation_panel(self, request, idea):
        """The forms of the actions allowed from the idea's status, or why there are none."""
        if services.is_own_contribution(user=request.user, idea=idea):
            return {"refusal": _("Eigene Beiträge moderieren andere.")}
        forms = []
        for action in self.allowed_actions(idea):
            part, title, *_rest = self.MODERATION_ACTIONS[action]
            forms.append(
                {
                    "action": action,
                    "title": title,
                    "form": self.moderation_form(action, idea),
                    "url": reverse(f"admin:participation_idea_{action}", args=[idea.pk]),
                }
            )
        return {"forms": forms}


def _add_service_errors(form, error):
    """A service's ValidationError on the form: field errors where the form has the field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@admin.register(Comment)
class CommentAdmin(ModerationAdmin):
    list_display = ("short_text", "idea", "author", "is_hidden", "created_at")
    list_filter = ("is_hidden", ReportedFilter, area_filter("idea__area"))
    list_select_related = ("idea", "author")
    readonly_fields = ("idea", "author", "text", "is_hidden", "hidden_reason", "created_at")
    fields = readonly_fields
    actions = ["hide", "unhide"]

    def scope_queryset(self, request, queryset):
        return queryset.managed_by(request.user)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("idea__area", "author")
            .defer(*area_geometry("idea__area"))
        )

    @admin.display(description=_("Kommentar"))
    def short_text(self, obj):
        return obj.text[:80]

    @admin.action(description=_("Ausgewählte ausblenden (mit Grund)"))
    def hide(self, request, queryset):
        form = ReasonForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            for comment in queryset:
                try:
                    services.comment_hide(
                        comment=comment, by=request.user, reason=form.cleaned_data["reason"]
                    )
                except (PermissionDenied, ValidationError) as error:
                    self.message_user(request, f"{comment}: {error}", messages.ERROR)
            return None
        return TemplateResponse(
            request,
            "admin/participation/reason.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Kommentare ausblenden"),
                "form": form,
                "objects": queryset,
                "action": "hide",
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Ausgewählte wieder einblenden"))
    def unhide(self, request, queryset):
        for comment in queryset:
            try:
                services.comment_unhide(comment=comment, by=request.user)
            except PermissionDenied as error:
                self.message_user(request, f"{comment}: {error}", messages.ERROR)


@admin.register(Flag)
class FlagAdmin(ModerationAdmin):
    list_display = ("reason", "idea", "comment", "created_at", "resolved_at")
    list_filter = ("resolved_at",)
    list_select_related = ("idea", "comment")
    readonly_fields = ("idea", "comment", "reason", "created_at", "resolved_at")
    fields = readonly_fields

    def scope_queryset(self, request, queryset):
        return queryset.managed_by(request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("idea", "comment")

    def has_change_permission(self, request, obj=None):
        return False
