"""Offices (coordination keeps the list; managers see it) and the requests forwarded to them
(scoped to the manager's areas through the idea). A request's page shows the office's answer
and the decision form: publish it as the idea's answer, or keep it internal."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from neighbourhoods.admin_scoping import AreaScopedAdminMixin, area_filter
from neighbourhoods.permissions import is_area_staff, is_coordination
from participation.funds.models import FundApplication
from participation.surveys.models import Survey
from quartier.forms import add_service_errors

from .forms import DecideForm, ForwardForm
from .models import Decision, Forwarding, Office, SubjectKind
from .services import forwarding_create, forwarding_decide, forwarding_withdraw


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "is_active", "open_requests")
    list_filter = ("is_active",)
    search_fields = ("name", "email")
    filter_horizontal = ("users",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                open_count=Count(
                    "forwardings",
                    filter=Q(
                        forwardings__answered_at__isnull=True,
                        forwardings__withdrawn_at__isnull=True,
                    ),
                )
            )
        )

    @admin.display(description=_("offene Anfragen"), ordering="open_count")
    def open_requests(self, obj):
        return obj.open_count

    def has_module_permission(self, request):
        return is_area_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return is_area_staff(request.user)

    def has_add_permission(self, request):
        return is_coordination(request.user)

    def has_change_permission(self, request, obj=None):
        return is_coordination(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # requests keep their office; deactivate it instead


class StateFilter(admin.SimpleListFilter):
    title = _("Stand")
    parameter_name = "stand"

    def lookups(self, request, model_admin):
        return [
            ("offen", _("wartet auf Antwort")),
            ("ueberfaellig", _("überfällig")),
            ("entscheiden", _("Antwort da, zu entscheiden")),
            ("erledigt", _("entschieden")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "offen":
                return queryset.unanswered()
            case "ueberfaellig":
                return queryset.overdue()
            case "entscheiden":
                return queryset.to_decide()
            case "erledigt":
                return queryset.exclude(decision=Decision.OPEN)
        return queryset


@admin.register(Forwarding)
class ForwardingAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    list_display = ("subject", "office", "created_at", "deadline", "answered_at", "decision")
    list_filter = (StateFilter, "office", area_filter("subject_area_id"))
    list_select_related = ("idea", "application", "survey", "office")
    search_fields = ("idea__title", "application__title", "survey__title", "question", "answer")
    change_form_template = "admin/participation/forwarding/change_form.html"
    fields = (
        "idea",
        "application",
        "survey",
        "office",
        "question",
        "deadline",
        "created_by",
        "created_at",
        "reminders",
        "reminded_at",
        "answer",
        "answered_at",
        "answered_name",
        "answered_by",
        "decision",
        "decided_at",
        "public_answer",
        "published_text",
        "withdrawn_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).with_subject_area()

    def scope_queryset(self, request, queryset):
        """Requests about ideas and applications of the user's areas and their surveys."""
        return queryset.filter(pk__in=Forwarding.objects.managed_by(request.user).values("pk"))

    @admin.display(description=_("Worum es geht"))
    def subject(self, obj):
        return f"{SubjectKind(obj.subject_kind).label}: {obj.subject}"

    def has_add_permission(self, request):
        return False  # forwarded from the idea's page

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "weiterleiten/<str:kind>/<int:pk>/",
                self.admin_site.admin_view(self.forward_view),
                name="participation_forwarding_forward",
            ),
            path(
                "<int:pk>/entscheiden/",
                self.admin_site.admin_view(self.decide_view),
                name="participation_forwarding_decide",
            ),
            path(
                "<int:pk>/zurueckziehen/",
                self.admin_site.admin_view(self.withdraw_view),
                name="participation_forwarding_withdraw",
            ),
            *super().get_urls(),
        ]

    def _get_scoped(self, request, pk):
        if not is_area_staff(request.user):
            raise PermissionDenied
        return get_object_or_404(
            self.get_queryset(request).select_related("idea", "application", "survey", "office"),
            pk=pk,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        forwarding = self.get_object(request, object_id)
        if forwarding is not None and forwarding.is_answered:
            if forwarding.decision == Decision.OPEN:
                extra_context["decide_form"] = DecideForm(forwarding=forwarding)
                extra_context["decide_url"] = reverse(
                    "admin:participation_forwarding_decide", args=[forwarding.pk]
                )
        elif forwarding is not None and forwarding.withdrawn_at is None:
            extra_context["withdraw_url"] = reverse(
                "admin:participation_forwarding_withdraw", args=[forwarding.pk]
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, pk):
        forwarding = self._get_scoped(request, pk)
        form = DecideForm(request.POST if request.method == "POST" else None, forwarding=forwarding)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                forwarding_decide(
                    forwarding=forwarding,
                    by=request.user,
                    publish=data["decision"] == DecideForm.PUBLISH,
                    text=data["text"],
                    status_to=data["status_to"] or None,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                self.message_user(request, str(error) or _("Nicht erlaubt."), messages.ERROR)
                return redirect("admin:participation_forwarding_change", forwarding.pk)
            else:
                self.message_user(request, _("Entschieden."), messages.SUCCESS)
                return redirect("admin:participation_forwarding_change", forwarding.pk)
        return TemplateResponse(
            request,
            "admin/participation/forwarding/decide.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Antwort des Amts übernehmen"),
                "form": form,
                "forwarding": forwarding,
                "opts": self.model._meta,
            },
            status=400 if request.method == "POST" else 200,
        )

    FORWARD_SUBJECTS = {"antrag": SubjectKind.APPLICATION, "umfrage": SubjectKind.SURVEY}

    def _forward_subject(self, request, kind, pk):
        """The fund application or survey of the user's areas (`kind` "antrag" or "umfrage")."""
        if not is_area_staff(request.user) or kind not in self.FORWARD_SUBJECTS:
            raise Http404
        if self.FORWARD_SUBJECTS[kind] == SubjectKind.APPLICATION:
            subjects = FundApplication.objects.managed_by(request.user)
        elif is_coordination(request.user):
            subjects = Survey.objects.all()
        else:
            subjects = Survey.objects.managed_by(request.user)
        return self.FORWARD_SUBJECTS[kind], get_object_or_404(subjects, pk=pk)

    def forward_view(self, request, kind, pk):
        """Forward a fund application or a survey's results to an office (ideas are forwarded
        from the idea's page)."""
        subject_kind, subject = self._forward_subject(request, kind, pk)
        form = ForwardForm(request.POST if request.method == "POST" else None)
        if not Office.objects.filter(is_active=True).exists():
            self.message_user(request, _("Es ist noch kein Amt eingetragen."), messages.ERROR)
        elif request.method == "POST" and form.is_valid():
            try:
                forwarding = forwarding_create(
                    **{subject_kind: subject},
                    office=form.cleaned_data["office"],
                    question=form.cleaned_data["question"],
                    deadline=form.cleaned_data["deadline"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                raise PermissionDenied(str(error)) from None
            else:
                self.message_user(
                    request,
                    _("An %(office)s weitergeleitet.") % {"office": forwarding.office.name},
                    messages.SUCCESS,
                )
                return redirect("admin:participation_forwarding_change", forwarding.pk)
        return TemplateResponse(
            request,
            "admin/participation/forwarding/forward.html",
            {
                **self.admin_site.each_context(request),
                "title": _("An ein Amt weiterleiten"),
                "form": form,
                "subject": subject,
                "kind_label": SubjectKind(subject_kind).label,
                "previous": Forwarding.objects.filter(**{subject_kind: subject}).select_related(
                    "office"
                ),
                "opts": self.model._meta,
            },
            status=400 if request.method == "POST" else 200,
        )

    def withdraw_view(self, request, pk):
        forwarding = self._get_scoped(request, pk)
        if request.method == "POST":
            try:
                forwarding_withdraw(forwarding=forwarding, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(
                    request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR
                )
            else:
                self.message_user(request, _("Anfrage zurückgezogen."), messages.SUCCESS)
        return redirect("admin:participation_forwarding_change", forwarding.pk)
