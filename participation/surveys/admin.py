from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from neighbourhoods.admin import CoordinationOnlyMixin
from neighbourhoods.admin_scoping import AreaScopedAdminMixin, area_filter
from neighbourhoods.permissions import is_coordination
from quartier.languages import written_in_html

from .models import (
    HelperContact,
    InterviewVolunteer,
    LifeworldChoice,
    LifeworldQuestion,
    PopulationFigure,
    SocialSpaceDrawing,
    Survey,
    SurveyAnswer,
    SurveyChoice,
    SurveyQuestion,
)
from .services import answer_text_moderate


class QuestionInline(admin.TabularInline):
    model = SurveyQuestion
    extra = 1
    fields = ["position", "kind", "text", "help_text", "required", "show_if_choice"]
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "show_if_choice":
            survey_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = SurveyChoice.objects.filter(
                question__survey_id=survey_id if survey_id and survey_id.isdigit() else None
            ).select_related("question")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ChoiceInline(admin.TabularInline):
    model = SurveyChoice
    extra = 3
    fields = ["position", "text"]


@admin.register(Survey)
class SurveyAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    """The survey builder: questions inline (conditions pick a choice of an earlier question,
    saved first); the choices of a question on its own page ("Ändern" beside the question)."""

    area_field = "areas"
    list_display = ["title", "starts_on", "ends_on", "is_published", "allow_visitors"]
    list_filter = ["is_published", area_filter("areas")]
    search_fields = ["title"]
    filter_horizontal = ["areas"]
    inlines = [QuestionInline]
    fields = [
        "title",
        "intro",
        "privacy_text",
        "areas",
        ("starts_on", "ends_on"),
        "is_published",
        "allow_visitors",
    ]


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    area_field = "survey__areas"
    list_display = ["text", "survey", "kind", "position", "required"]
    list_select_related = ["survey"]
    inlines = [ChoiceInline]
    fields = ["survey", "position", "kind", "text", "help_text", "required", "show_if_choice"]

    def has_module_permission(self, request):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "show_if_choice":
            kwargs["queryset"] = SurveyChoice.objects.select_related("question__survey")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(SurveyAnswer)
class SurveyTextAnswerAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    """Free-text answers, read and moderated by staff before the public sees them."""

    area_field = "response__area"
    list_display = ["short_text", "question", "text_status"]
    list_filter = ["text_status", "language", area_filter("response__area")]
    list_select_related = ["question__survey"]
    search_fields = ["text"]
    readonly_fields = ["question", "text", "language"]
    fields = ["question", "text", "language", "text_status"]
    actions = ["publish_texts", "reject_texts"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(text="")

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("Text"))
    def short_text(self, obj):
        return written_in_html(obj, (obj.text[:80] + "…") if len(obj.text) > 80 else obj.text)

    @admin.action(description=_("Freitexte veröffentlichen"))
    def publish_texts(self, request, queryset):
        for answer in queryset.select_related("response__area", "question__survey"):
            answer_text_moderate(answer=answer, publish=True, by=request.user)
        self.message_user(request, _("Veröffentlicht."), messages.SUCCESS)

    @admin.action(description=_("Freitexte ablehnen"))
    def reject_texts(self, request, queryset):
        for answer in queryset.select_related("response__area", "question__survey"):
            answer_text_moderate(answer=answer, publish=False, by=request.user)
        self.message_user(request, _("Abgelehnt."), messages.SUCCESS)


@admin.register(HelperContact)
class HelperContactAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    """People willing to help, per area and topic; deleted automatically after
    `HELPER_CONTACT_MONTHS` (the daily purge)."""

    list_display = ["name", "area", "interests", "contact", "consent_at", "delete_after"]
    list_filter = [area_filter("area"), "topics"]
    list_select_related = ["area"]
    search_fields = ["name", "interests"]
    readonly_fields = ["consent_at", "consent_purpose", "delete_after", "recorded_by", "survey"]
    fields = [
        "area",
        "name",
        "contact",
        "interests",
        "topics",
        "survey",
        "consent_at",
        "consent_purpose",
        "delete_after",
        "recorded_by",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(SocialSpaceDrawing)
class SocialSpaceDrawingAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    """The drawings of 'Mein Quartier', read only (no identity is stored); the aggregate and the
    proposed boundaries are on /mein-quartier/karte/."""

    area_field = "quarter"
    list_display = ["name", "quarter", "year", "created_at"]
    list_filter = ["year", area_filter("quarter")]
    list_select_related = ["quarter"]
    search_fields = ["name", "identifies_with"]
    fields = ["name", "quarter", "year", "ties", "identifies_with", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PopulationFigure)
class PopulationFigureAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    """Figures from the statistics office (`manage.py import_population`), read only here."""

    list_display = ["area", "group", "count", "imported_at"]
    list_filter = [area_filter("area")]
    list_select_related = ["area"]
    readonly_fields = ["area", "group", "count", "imported_at"]

    def has_add_permission(self, request):
        return False


class InterviewVolunteerForm(forms.ModelForm):
    """The account by its e-mail address (no list of every account for managers to pick from)."""

    email = forms.EmailField(
        label=_("E-Mail-Adresse des Kontos"),
        help_text=_("Die Person braucht ein Konto im Portal; sie bekommt keine Verwaltungsrechte."),
    )

    class Meta:
        model = InterviewVolunteer
        fields = ["email", "areas", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["email"].initial = self.instance.user.email

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Zu dieser E-Mail-Adresse gibt es kein aktives Konto."))
        others = InterviewVolunteer.objects.filter(user=user).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("Diese Person ist schon als Ehrenamtliche*r eingetragen.")
            )
        self.instance.user = user
        return email


@admin.register(InterviewVolunteer)
class InterviewVolunteerAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    """Volunteers who enter interviews on the phone form for their areas, and nothing else."""

    area_field = "areas"
    form = InterviewVolunteerForm
    list_display = ["user", "is_active", "created_at"]
    list_filter = ["is_active", area_filter("areas")]
    search_fields = ["user__email"]
    filter_horizontal = ["areas"]


class LifeworldChoiceInline(admin.TabularInline):
    model = LifeworldChoice
    extra = 3
    fields = ["position", "text", "population_group"]

    def has_view_permission(self, request, obj=None):
        return is_coordination(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(LifeworldQuestion)
class LifeworldQuestionAdmin(CoordinationOnlyMixin, admin.ModelAdmin):
    """The questions of the voluntary self-description (Lebenswelten), set by coordination;
    the answers are never listed, only counted (report, area pages)."""

    list_display = ["text", "position", "multiple", "is_active"]
    inlines = [LifeworldChoiceInline]
