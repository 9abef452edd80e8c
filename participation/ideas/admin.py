"""Moderation in the admin. Every queryset is scoped to the areas the staff member manages
(a tampered id finds nothing); every change goes through participation.ideas.services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from neighbourhoods.admin_scoping import AreaScopedAdminMixin
from neighbourhoods.forms import PointField
from neighbourhoods.models import area_geometry
from neighbourhoods.permissions import areas_managed_by
from participation import permissions
from participation.topics.models import Topic
from quartier.images import process_image

from . import services
from .duplicates import idea_mark_duplicate
from .forms import AnswerForm, DuplicateForm, ReasonForm
from .models import Answer, Channel, Comment, Flag, Idea, IdeaStatus, ModerationLog
from .similar import similar_ideas


class ModerationAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    """What residents send in is moderated here, never added or deleted."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AnswerInline(admin.TabularInline):
    model = Answer
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


class ModerationLogInline(admin.TabularInline):
    model = ModerationLog
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
        label=_("Ort (GeoJSON-Punkt, freiwillig)"),
        widget=forms.TextInput,
        help_text=_('Zum Beispiel {"type": "Point", "coordinates": [7.47, 51.5]}'),
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


@admin.register(Idea)
class IdeaAdmin(ModerationAdmin):
    list_display = (
        "title",
        "kind",
        "status",
        "area",
        "topic",
        "confirmed",
        "is_hidden",
        "support_count",
        "comment_count",
        "created_at",
    )
    list_filter = ("status", "kind", "is_hidden", "channel", "topic")
    search_fields = ("title", "text")
    list_select_related = ("area", "topic")
    actions = ["approve", "reject", "unhide", "remove_photo"]
    inlines = [AnswerInline, ModerationLogInline]
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
        "status",
        "is_hidden",
        "hidden_reason",
        "duplicate_of",
        "support_count",
        "comment_count",
        "created_at",
        "published_at",
        "moderation_links",
    )
    fields = readonly_fields

    def scope_queryset(self, request, queryset):
        return queryset.managed_by(request.user)

    def get_queryset(self, request):
        # Not super(): its ordering by "pending_first" would come before the annotation.
        queryset = Idea.objects.select_related("area", "topic", "author").defer(
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

    @admin.display(boolean=True, description=_("bestätigt"))
    def confirmed(self, obj):
        return obj.confirmed_at is not None

    @admin.display(description=_("Foto"))
    def photo_preview(self, obj):
        if not obj.thumbnail:
            return "–"
        return format_html('<img src="{}" alt="{}" width="200">', obj.thumbnail.url, obj.photo_alt)

    @admin.display(description=_("Moderation"))
    def moderation_links(self, obj):
        if obj.pk is None:
            return ""
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:participation_idea_answer", args=[obj.pk]),
            _("Antworten / Stand ändern"),
            reverse("admin:participation_idea_reject", args=[obj.pk]),
            _("Ablehnen"),
            reverse("admin:participation_idea_hide", args=[obj.pk]),
            _("Ausblenden"),
            reverse("admin:participation_idea_duplicate", args=[obj.pk]),
            _("Als doppelt markieren"),
        )

    # adding offline ideas --------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            form = OfflineIdeaForm

            class RequestForm(form):
                def __init__(self, *args, **inner):
                    super().__init__(*args, request=request, **inner)

            return RequestForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*OfflineIdeaForm.Meta.fields, "location_text", "photo_upload"]
        return self.fields

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

    def save_related(self, request, form, formsets, change):
        pass

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "topic":
            kwargs["queryset"] = Topic.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # actions ---------------------------------------------------------------------------

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

    # per-object views ------------------------------------------------------------------

    def get_urls(self):
        own = [
            path(
                "<int:pk>/antworten/",
                self.admin_site.admin_view(self.answer_view),
                name="participation_idea_answer",
            ),
            path(
                "<int:pk>/ablehnen/",
                self.admin_site.admin_view(self.reject_view),
                name="participation_idea_reject",
            ),
            path(
                "<int:pk>/ausblenden/",
                self.admin_site.admin_view(self.hide_view),
                name="participation_idea_hide",
            ),
            path(
                "<int:pk>/doppelt/",
                self.admin_site.admin_view(self.duplicate_view),
                name="participation_idea_duplicate",
            ),
        ]
        return own + super().get_urls()

    def _get_scoped(self, request, pk):
        if not permissions.can_work_in_admin(request.user):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def _form_view(self, request, idea, form, title, service, extra):
        if request.method == "POST" and form.is_valid():
            try:
                service(idea=idea, by=request.user, **extra(form.cleaned_data))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("Gespeichert."))
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
            },
        )

    def answer_view(self, request, pk):
        idea = self._get_scoped(request, pk)
        form = AnswerForm(request.POST or None, idea=idea)
        return self._form_view(
            request,
            idea,
            form,
            _("Antworten und Stand ändern"),
            services.idea_answer,
            extra=lambda data: {"text": data["text"], "status_to": data["status_to"]},
        )

    def reject_view(self, request, pk):
        idea = self._get_scoped(request, pk)
        form = ReasonForm(request.POST or None)
        return self._form_view(
            request,
            idea,
            form,
            _("Ablehnen"),
            services.idea_reject,
            extra=lambda data: {"reason": data["reason"]},
        )

    def hide_view(self, request, pk):
        idea = self._get_scoped(request, pk)
        form = ReasonForm(request.POST or None)
        return self._form_view(
            request,
            idea,
            form,
            _("Ausblenden"),
            services.idea_hide,
            extra=lambda data: {"reason": data["reason"]},
        )

    def duplicate_view(self, request, pk):
        idea = self._get_scoped(request, pk)
        suggestions = similar_ideas(
            title=idea.title,
            text=idea.text,
            area=idea.area,
            location=idea.location,
            exclude_pk=idea.pk,
        )
        form = DuplicateForm(request.POST or None, idea=idea, suggestions=suggestions)
        return self._form_view(
            request,
            idea,
            form,
            _("Als doppelt markieren"),
            idea_mark_duplicate,
            extra=lambda data: {"original": data["original"]},
        )


@admin.register(Comment)
class CommentAdmin(ModerationAdmin):
    list_display = ("short_text", "idea", "author", "is_hidden", "created_at")
    list_filter = ("is_hidden",)
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


@admin.register(ModerationLog)
class ModerationLogAdmin(ModerationAdmin):
    area_field = "idea__area"
    list_display = ("created_at", "actor", "action", "idea", "note")
    list_select_related = ("actor", "idea")
    readonly_fields = ("created_at", "actor", "action", "idea", "comment", "note")
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "idea")

    def has_change_permission(self, request, obj=None):
        return False
