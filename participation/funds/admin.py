"""The back office of funds and bodies, scoped to the manager's areas. Applications are never
edited field by field: every step goes through the step page (`<pk>/schritt/`), which calls
the service of that step."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from neighbourhoods.admin_scoping import AreaScopedAdminMixin, area_filter
from participation import permissions
from quartier.forms import add_service_errors
from quartier.text import PlainTextFormMixin

from . import exports, services
from .forms import amount_field
from .models import (
    AgendaItem,
    ApplicationEvent,
    ApplicationStatus,
    Attachment,
    Body,
    BodySession,
    CostItem,
    Election,
    Fund,
    FundApplication,
    FundTranche,
    Membership,
    Payment,
    Vote,
)

S = ApplicationStatus


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    fields = ["name", "user", "partner", "role", "term_start", "term_end", "name_public"]
    autocomplete_fields = []
    raw_id_fields = ["user", "partner"]


class ElectionInline(admin.StackedInline):
    model = Election
    extra = 0
    filter_horizontal = ["elected"]


@admin.register(Body)
class BodyAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "area", "quorum"]
    list_filter = [area_filter("area"), "kind"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, ElectionInline]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 1
    fields = ["position", "title", "text", "is_public", "application", "decision", "decided_at"]
    readonly_fields = ["application", "decided_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # decided items stay in the record


@admin.register(BodySession)
class BodySessionAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    area_field = "body__area"
    list_display = ["title", "body", "starts_at", "is_public"]
    list_filter = [area_filter("body__area")]
    raw_id_fields = ["meeting"]
    inlines = [AgendaItemInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["queryset"] = Body.objects.filter(area__in=self.managed_areas(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        # a decided item's text is locked (AgendaItem.clean); Django's inline forms call it
        super().save_formset(request, form, formset, change)


class TrancheInline(admin.TabularInline):
    model = FundTranche
    extra = 1


@admin.register(Fund)
class FundAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "year",
        "area",
        "budget",
        "approved",
        "paid",
        "proven",
        "still_open",
        "remaining",
        "deadline",
        "is_open",
        "export_links",
    ]
    list_filter = [area_filter("area"), "year", "is_open"]
    inlines = [TrancheInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_money()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["queryset"] = Body.objects.filter(area__in=self.managed_areas(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("bewilligt (€)"))
    def approved(self, obj):
        return services.euro(obj.approved_total)

    @admin.display(description=_("ausgezahlt (€)"))
    def paid(self, obj):
        return services.euro(obj.paid_total)

    @admin.display(description=_("nachgewiesen (€)"))
    def proven(self, obj):
        return services.euro(obj.proven_total)

    @admin.display(description=_("noch auszuzahlen (€)"))
    def still_open(self, obj):
        return services.euro(obj.open_total)

    @admin.display(description=_("frei (€)"))
    def remaining(self, obj):
        return services.euro(obj.remaining)

    @admin.display(description=_("Export"))
    def export_links(self, obj):
        csv_url = reverse("admin:participation_fund_export", args=[obj.pk, "csv"])
        xlsx_url = reverse("admin:participation_fund_export", args=[obj.pk, "xlsx"])
        return format_html('<a href="{}">CSV</a> · <a href="{}">XLSX</a>', csv_url, xlsx_url)

    def get_urls(self):
        return [
            path(
                "<int:pk>/export.<str:fmt>",
                self.admin_site.admin_view(self.export_view),
                name="participation_fund_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request, pk, fmt):
        fund = get_object_or_404(self.get_queryset(request), pk=pk)
        if fmt not in ("csv", "xlsx"):
            raise PermissionDenied
        content, content_type = exports.fund_export(fund, fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="fonds-{fund.pk}-{fund.year}.{fmt}"'
        )
        return response


class CostItemInline(ReadOnlyInline):
    model = CostItem
    fields = ["label", "amount"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["original_name", "kind", "content_type", "file"]
    readonly_fields = fields


class VoteInline(ReadOnlyInline):
    model = Vote
    fields = ["membership", "choice", "online", "cast_at"]
    readonly_fields = fields


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["paid_on", "amount", "note", "recorded_by"]
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = ApplicationEvent
    fields = ["created_at", "status", "actor", "note"]
    readonly_fields = fields


class StepForm(PlainTextFormMixin, forms.Form):
    """One form for every staff step; the service of the chosen step checks what it needs."""

    STEPS = [
        ("check", _("Formale Prüfung")),
        ("changes", _("Änderungen erbitten (Link an Antragsteller)")),
        ("session", _("Auf die Tagesordnung einer Sitzung setzen")),
        ("written", _("Umlaufverfahren starten")),
        ("vote", _("Stimme aus der Sitzung eintragen")),
        ("decide", _("Entscheidung festhalten")),
        ("pay", _("Zahlung / Rückzahlung buchen")),
        ("close", _("Verwendungsnachweis annehmen und abschließen")),
    ]
    step = forms.ChoiceField(label=_("Schritt"), choices=STEPS)
    complete = forms.BooleanField(label=_("Unterlagen vollständig"), required=False)
    eligible = forms.BooleanField(label=_("antragsberechtigt, Vorhaben im Gebiet"), required=False)
    costs = forms.BooleanField(
        label=_("Kostenplan plausibel, Höchstbetrag eingehalten"), required=False
    )
    text = forms.CharField(
        label=_("Text / Vermerk"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    session = forms.ModelChoiceField(
        label=_("Sitzung"), queryset=BodySession.objects.none(), required=False
    )
    written_deadline = forms.DateTimeField(
        label=_("Frist des Umlaufverfahrens"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    membership = forms.ModelChoiceField(
        label=_("Mitglied"), queryset=Membership.objects.none(), required=False
    )
    choice = forms.ChoiceField(
        label=_("Stimme"), choices=[("", "—"), *Vote.Choice.choices], required=False
    )
    outcome = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=[
            ("", "—"),
            (S.APPROVED, S.APPROVED.label),
            (S.DECLINED, S.DECLINED.label),
            (S.DEFERRED, S.DEFERRED.label),
        ],
        required=False,
    )
    amount = amount_field(
        _("Betrag (€)"),
        required=False,
        min_value=None,
        help_text=_("Bewilligung, Zahlung (Rückzahlung negativ) oder Rückforderung."),
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        body = application.fund.body
        self.fields["session"].queryset = BodySession.objects.filter(body=body).order_by(
            "-starts_at"
        )
        self.fields["membership"].queryset = Membership.objects.current().filter(body=body)


@admin.register(FundApplication)
class FundApplicationAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "fund",
        "area",
        "applicant_display",
        "requested_amount",
        "approved_amount",
        "status",
        "created_at",
        "step_link",
    ]
    list_filter = [area_filter("area"), "status", "fund"]
    search_fields = ["title", "applicant_name", "organisation"]
    list_select_related = ["fund", "area"]
    inlines = [CostItemInline, AttachmentInline, VoteInline, PaymentInline, EventInline]
    readonly_fields = [
        f.name for f in FundApplication._meta.fields if f.name not in ("id", "link_nonce")
    ]
    exclude = ["link_nonce"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Nächster Schritt"))
    def step_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:participation_fundapplication_step", args=[obj.pk]),
            _("bearbeiten"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/schritt/",
                self.admin_site.admin_view(self.step_view),
                name="participation_fundapplication_step",
            ),
            *super().get_urls(),
        ]

    def step_view(self, request, pk):
        if not permissions.can_work_in_admin(request.user):
            raise PermissionDenied
        application = get_object_or_404(
            self.get_queryset(request).select_related("fund__body"), pk=pk
        )
        form = StepForm(request.POST or None, application=application)
        if request.method == "POST" and form.is_valid():
            try:
                self.run_step(request, application, form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                self.message_user(request, _("Gespeichert."))
                return redirect("admin:participation_fundapplication_step", pk=pk)
        application.refresh_from_db()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Antrag bearbeiten: %(title)s") % {"title": application.title},
            "application": application,
            "form": form,
            "counts": services.vote_counts(application),
            "events": application.events.select_related("actor"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/participation/fundapplication/step.html", context)

    def run_step(self, request, application, data):
        by, step = request.user, data["step"]
        if step == "check":
            services.application_check(
                application=application,
                by=by,
                complete=data["complete"],
                eligible=data["eligible"],
                costs=data["costs"],
                note=data["text"],
            )
        elif step == "changes":
            services.application_request_changes(application=application, by=by, text=data["text"])
        elif step == "session":
            if data["session"] is None:
                raise ValidationError({"session": _("Bitte eine Sitzung wählen.")})
            services.application_put_before_body(
                application=application, by=by, session=data["session"]
            )
        elif step == "written":
            if data["written_deadline"] is None:
                raise ValidationError({"written_deadline": _("Bitte eine Frist angeben.")})
            services.application_put_before_body(
                application=application, by=by, written_deadline=data["written_deadline"]
            )
        elif step == "vote":
            if data["membership"] is None or not data["choice"]:
                raise ValidationError({"membership": _("Bitte Mitglied und Stimme wählen.")})
            services.vote_cast(
                application=application, membership=data["membership"], choice=data["choice"], by=by
            )
        elif step == "decide":
            if not data["outcome"]:
                raise ValidationError({"outcome": _("Bitte die Entscheidung wählen.")})
            services.application_decide(
                application=application,
                by=by,
                outcome=data["outcome"],
                amount=data["amount"],
                conditions=data["text"],
                reason=data["text"],
            )
        elif step == "pay":
            if data["amount"] is None:
                raise ValidationError({"amount": _("Bitte einen Betrag angeben.")})
            services.payment_record(
                application=application, by=by, amount=data["amount"], note=data["text"][:200]
            )
        elif step == "close":
            services.application_close(
                application=application, by=by, repayment=data["amount"], note=data["text"]
            )
