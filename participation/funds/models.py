"""The neighbourhood fund (Quartiersfonds, Verfügungsfonds) and the bodies (Gremien) that decide.

- A **Body** (Gremium: Quartiersrat, Vergabejury, Stadtteilkonferenz, Arbeitsgruppe) belongs to an
  area; its **Memberships** are residents or representatives of network partners, with a role and
  a term; **Elections** record date, votes and who was elected. A body meets in **BodySessions**
  (linked to a meeting if it is public) whose **AgendaItems** are locked once decided.
- A **Fund** belongs to an area and a year: budget released in **FundTranches**, source, rules,
  deadline (or rolling) and the body that decides.
- An **Application** runs submitted → checked → before the body (session or written procedure)
  → approved / declined / deferred → paid → proof of use → closed (or repayment requested). Its
  **CostItems** add up to the total; **Votes** of the members (a declared conflict of interest
  excludes the member); **Payments** (repayments negative); **ApplicationEvents** are its log.

The money rule — approved never more than the released budget — is kept by
`services.application_decide`, which locks the fund's row.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.geometry import validate_point
from quartier.languages import contribution_language_model_field

MAX_AMOUNT = Decimal("1000000.00")
MONEY = {"max_digits": 10, "decimal_places": 2}
ZERO = Decimal("0.00")


def money_validators():
    return [MinValueValidator(ZERO), MaxValueValidator(MAX_AMOUNT)]


# --- bodies -----------------------------------------------------------------------------------


class Body(models.Model):
    """A Gremium of an area that decides (Vergabejury) or advises (Quartiersrat)."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("Quartiersrat / Quartiersbeirat")
        JURY = "jury", _("Vergabejury")
        CONFERENCE = "conference", _("Stadtteilkonferenz")
        WORKING_GROUP = "working_group", _("Arbeitsgruppe")

    name = models.CharField(_("Name"), max_length=160)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=180, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.JURY)
    area = models.ForeignKey(
        "neighbourhoods.Area",
        verbose_name=_("Gebiet"),
        on_delete=models.PROTECT,
        related_name="bodies",
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    quorum = models.PositiveSmallIntegerField(
        _("Beschlussfähig ab"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("So viele stimmberechtigte Mitglieder müssen mitstimmen (ohne Befangene)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(quorum__gte=1), name="body_quorum_positive")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("participation:body-detail", kwargs={"slug": self.slug})


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        day = on or timezone.localdate()
        return self.filter(term_start__lte=day).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=day)
        )


class Membership(models.Model):
    """A seat in a body for a term: a resident, or a partner's representative."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Vorsitz")
        DEPUTY = "deputy", _("Stellvertretung")
        MEMBER = "member", _("Mitglied")

    body = models.ForeignKey(
        Body, verbose_name=_("Gremium"), on_delete=models.CASCADE, related_name="memberships"
    )
    name = models.CharField(_("Name"), max_length=120)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="body_memberships",
        help_text=_("Mit Konto kann das Mitglied online abstimmen."),
    )
    partner = models.ForeignKey(
        "network.Partner",
        verbose_name=_("vertritt Partner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="body_memberships",
    )
    role = models.CharField(_("Rolle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    term_start = models.DateField(_("Amtszeit von"))
    term_end = models.DateField(_("Amtszeit bis"), null=True, blank=True)
    name_public = models.BooleanField(
        _("Name öffentlich"), default=False, help_text=_("Nur mit Einwilligung des Mitglieds.")
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitglieder")
        ordering = ["body", "role", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="membership_term_order",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.body})"

    def clean(self):
        super().clean()
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError(
                {"term_end": _("Das Ende der Amtszeit muss nach ihrem Beginn liegen.")}
            )

    @property
    def public_name(self):
        if self.name_public:
            return self.name
        if self.partner_id:
            return _("Vertretung von %(partner)s") % {"partner": self.partner.name}
        return _("Mitglied (Name nicht veröffentlicht)")


class Election(models.Model):
    """An election of members: when, how many voted, who was elected."""

    body = models.ForeignKey(
        Body, verbose_name=_("Gremium"), on_delete=models.CASCADE, related_name="elections"
    )
    held_on = models.DateField(_("Wahltag"))
    eligible_voters = models.PositiveIntegerField(_("Wahlberechtigte"), null=True, blank=True)
    votes_cast = models.PositiveIntegerField(_("Abgegebene Stimmen"))
    elected = models.ManyToManyField(
        Membership, verbose_name=_("Gewählt"), blank=True, related_name="elections"
    )
    notes = models.TextField(_("Bemerkungen"), blank=True)

    class Meta:
        verbose_name = _("Wahl")
        verbose_name_plural = _("Wahlen")
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.body} {self.held_on:%d.%m.%Y}"

    def clean(self):
        super().clean()
        if (
            self.eligible_voters is not None
            and self.votes_cast
            and self.votes_cast > self.eligible_voters
        ):
            raise ValidationError(
                {
                    "votes_cast": _(
                        "Es können nicht mehr Stimmen abgegeben werden, "
                        "als es Wahlberechtigte gibt."
                    )
                }
            )


class BodySession(models.Model):
    """A sitting of a body; a public one can point to its meeting in the calendar."""

    body = models.ForeignKey(
        Body, verbose_name=_("Gremium"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("Titel"), max_length=160)
    starts_at = models.DateTimeField(_("Beginn"))
    meeting = models.ForeignKey(
        "participation.Meeting",
        verbose_name=_("Treffen"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="body_sessions",
    )
    is_public = models.BooleanField(_("öffentlich"), default=True)
    minutes = models.TextField(_("Protokoll"), blank=True)

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%d.%m.%Y})"


class AgendaItem(models.Model):
    """A point of a session's agenda; once decided its text is locked (`decided_at`)."""

    session = models.ForeignKey(
        BodySession, verbose_name=_("Sitzung"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("TOP"), default=1)
    title = models.CharField(_("Titel"), max_length=200)
    text = models.TextField(_("Text"), blank=True)
    is_public = models.BooleanField(_("öffentlich"), default=True)
    application = models.ForeignKey(
        "participation.FundApplication",
        verbose_name=_("Antrag"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    decision = models.TextField(_("Beschluss"), blank=True)
    votes_yes = models.PositiveSmallIntegerField(_("Ja"), default=0)
    votes_no = models.PositiveSmallIntegerField(_("Nein"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("Enthaltung"), default=0)
    decided_at = models.DateTimeField(_("beschlossen am"), null=True, blank=True)

    LOCKED_FIELDS = (
        "title",
        "text",
        "decision",
        "votes_yes",
        "votes_no",
        "votes_abstain",
        "application_id",
    )

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnung")
        ordering = ["session", "position", "pk"]

    def __str__(self):
        return f"TOP {self.position}: {self.title}"

    def clean(self):
        super().clean()
        if self.pk and self.decided_at:
            before = AgendaItem.objects.filter(pk=self.pk).values(*self.LOCKED_FIELDS).first()
            if before and any(before[name] != getattr(self, name) for name in self.LOCKED_FIELDS):
                raise ValidationError(
                    _(
                        "Dieser Tagesordnungspunkt ist beschlossen; "
                        "sein Text kann nicht mehr geändert werden."
                    )
                )


# --- funds ------------------------------------------------------------------------------------


def _sum_per_fund(queryset, fund_path, field, default=ZERO):
    """The sum of `field` over `queryset`'s rows of the outer fund, as a subquery (or `default`)."""
    return Coalesce(
        models.Subquery(
            queryset.filter(**{fund_path: models.OuterRef("pk")})
            .order_by()
            .values(fund_path)
            .annotate(total=Sum(field))
            .values("total")
        ),
        default,
        output_field=models.DecimalField(**MONEY),
    )


class FundQuerySet(models.QuerySet):
    def with_money(self):
        """Annotate `approved_total`, `paid_total` (payments minus repayments), `proven_total`
        (spent according to the proofs of use) and `released_total`."""
        return self.annotate(
            approved_total=_sum_per_fund(
                FundApplication.objects.filter(status__in=FundApplication.COMMITTED),
                "fund",
                "approved_amount",
            ),
            paid_total=_sum_per_fund(Payment.objects.all(), "application__fund", "amount"),
            proven_total=_sum_per_fund(
                FundApplication.objects.filter(status__in=FundApplication.PROVEN),
                "fund",
                "spent_amount",
            ),
            released_total=_sum_per_fund(
                FundTranche.objects.filter(released_on__lte=timezone.localdate()),
                "fund",
                "amount",
                default=models.F("budget"),
            ),
        )

    def open(self):
        today = timezone.localdate()
        return self.filter(is_open=True).filter(Q(deadline__isnull=True) | Q(deadline__gte=today))


class Fund(models.Model):
    """A fund of an area for one year. Without tranches the whole budget is available; with
    tranches only what is released by today."""

    name = models.CharField(_("Name"), max_length=160)
    area = models.ForeignKey(
        "neighbourhoods.Area",
        verbose_name=_("Gebiet"),
        on_delete=models.PROTECT,
        related_name="funds",
    )
    year = models.PositiveSmallIntegerField(
        _("Jahr"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    budget = models.DecimalField(_("Budget (€)"), **MONEY, validators=money_validators())
    source = models.CharField(
        _("Mittelherkunft"),
        max_length=200,
        blank=True,
        help_text=_("z. B. Städtebauförderung, städtischer Haushalt"),
    )
    max_per_application = models.DecimalField(
        _("Höchstbetrag je Antrag (€)"), **MONEY, validators=money_validators()
    )
    who_may_apply = models.TextField(_("Wer darf beantragen"), blank=True)
    own_contribution_percent = models.PositiveSmallIntegerField(
        _("Eigenanteil (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    rules = models.TextField(_("Regeln"), blank=True)
    deadline = models.DateField(
        _("Antragsfrist"), null=True, blank=True, help_text=_("Leer = laufend")
    )
    body = models.ForeignKey(
        Body, verbose_name=_("entscheidet"), on_delete=models.PROTECT, related_name="funds"
    )
    is_open = models.BooleanField(_("nimmt Anträge an"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FundQuerySet.as_manager()

    class Meta:
        verbose_name = _("Fonds")
        verbose_name_plural = _("Fonds")
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="fund_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(max_per_application__gt=0), name="fund_max_positive"
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.year}"

    def get_absolute_url(self):
        return reverse("participation:fund-detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if (
            self.budget is not None
            and self.max_per_application
            and self.max_per_application > self.budget
        ):
            raise ValidationError(
                {
                    "max_per_application": _(
                        "Der Höchstbetrag kann nicht größer als das Budget sein."
                    )
                }
            )

    def money(self):
        """(released, approved, paid) from the database, without a lock."""
        fund = Fund.objects.with_money().get(pk=self.pk)
        return fund.released_total, fund.approved_total, fund.paid_total

    @property
    def remaining(self):
        """Needs `with_money()`."""
        return max(min(self.released_total, self.budget) - self.approved_total, ZERO)

    @property
    def open_total(self):
        """Approved but not yet paid out (needs `with_money()`)."""
        return max(self.approved_total - self.paid_total, ZERO)

    @property
    def accepts_applications(self):
        return self.is_open and (self.deadline is None or self.deadline >= timezone.localdate())


class FundTranche(models.Model):
    fund = models.ForeignKey(
        Fund, verbose_name=_("Fonds"), on_delete=models.CASCADE, related_name="tranches"
    )
    released_on = models.DateField(_("freigegeben am"))
    amount = models.DecimalField(_("Betrag (€)"), **MONEY, validators=money_validators())
    note = models.CharField(_("Bemerkung"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Tranche")
        verbose_name_plural = _("Tranchen")
        ordering = ["released_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="tranche_amount_positive")
        ]

    def __str__(self):
        return f"{self.amount} € ({self.released_on:%d.%m.%Y})"

    def clean(self):
        super().clean()
        if self.fund_id and self.amount:
            others = (
                FundTranche.objects.filter(fund_id=self.fund_id)
                .exclude(pk=self.pk)
                .aggregate(t=Sum("amount"))["t"]
                or ZERO
            )
            if others + self.amount > self.fund.budget:
                raise ValidationError(
                    {"amount": _("Die Tranchen zusammen dürfen das Budget nicht übersteigen.")}
                )


# --- applications -----------------------------------------------------------------------------


def new_link_nonce():
    return secrets.token_urlsafe(12)


class ApplicationStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("E-Mail nicht bestätigt")
    SUBMITTED = "submitted", _("eingereicht")
    CHANGES_REQUESTED = "changes_requested", _("Änderungen erbeten")
    CHECKED = "checked", _("formal geprüft")
    BEFORE_BODY = "before_body", _("liegt dem Gremium vor")
    APPROVED = "approved", _("bewilligt")
    DECLINED = "declined", _("abgelehnt")
    DEFERRED = "deferred", _("zurückgestellt")
    PAID = "paid", _("ausgezahlt")
    PROOF_SUBMITTED = "proof_submitted", _("Verwendungsnachweis eingereicht")
    CLOSED = "closed", _("abgeschlossen")
    REPAYMENT_REQUESTED = "repayment_requested", _("Rückforderung")


class ApplicantKind(models.TextChoices):
    RESIDENT = "resident", _("Bewohnerin / Bewohner")
    INITIATIVE = "initiative", _("Initiative")
    PARTNER = "partner", _("Einrichtung / Verein")


class FundApplicationQuerySet(models.QuerySet):
    def managed_by(self, user):
        from neighbourhoods.permissions import areas_managed_by, is_coordination

        if is_coordination(user):
            return self
        return self.filter(area__in=areas_managed_by(user))

    def funded(self):
        return self.filter(status__in=FundApplication.FUNDED)


class FundApplication(models.Model):
    """An application to a fund; `approved_amount` counts against the fund from approval on."""

    Status = ApplicationStatus
    COMMITTED = [
        ApplicationStatus.APPROVED,
        ApplicationStatus.PAID,
        ApplicationStatus.PROOF_SUBMITTED,
        ApplicationStatus.CLOSED,
        ApplicationStatus.REPAYMENT_REQUESTED,
    ]
    FUNDED = [ApplicationStatus.PAID, ApplicationStatus.PROOF_SUBMITTED, ApplicationStatus.CLOSED]
    PROVEN = [
        ApplicationStatus.PROOF_SUBMITTED,
        ApplicationStatus.CLOSED,
        ApplicationStatus.REPAYMENT_REQUESTED,
    ]

    fund = models.ForeignKey(
        Fund, verbose_name=_("Fonds"), on_delete=models.PROTECT, related_name="applications"
    )
    area = models.ForeignKey(
        "neighbourhoods.Area",
        verbose_name=_("Gebiet"),
        on_delete=models.PROTECT,
        related_name="fund_applications",
    )
    title = models.CharField(_("Titel des Vorhabens"), max_length=160)
    description = models.TextField(_("Beschreibung"), max_length=5000)
    language = contribution_language_model_field()
    starts_on = models.DateField(_("von"))
    ends_on = models.DateField(_("bis"))
    target_groups = models.CharField(
        _("Zielgruppen"), max_length=255, blank=True, help_text=_("durch Kommas getrennt")
    )
    topic = models.ForeignKey(
        "participation.Topic",
        verbose_name=_("Thema"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fund_applications",
    )
    location = models.JSONField(
        _("Ort auf der Karte"), null=True, blank=True, validators=[validate_point]
    )
    applicant_kind = models.CharField(
        _("Antragsteller"),
        max_length=12,
        choices=ApplicantKind.choices,
        default=ApplicantKind.RESIDENT,
    )
    applicant_name = models.CharField(_("Name"), max_length=120)
    organisation = models.CharField(_("Initiative / Einrichtung"), max_length=160, blank=True)
    partner = models.ForeignKey(
        "network.Partner",
        verbose_name=_("Partner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fund_applications",
    )
    email = models.EmailField(_("E-Mail-Adresse"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fund_applications",
    )
    name_public = models.BooleanField(_("Name darf veröffentlicht werden"), default=False)
    own_contribution = models.DecimalField(
        _("Eigenanteil (€)"), **MONEY, default=ZERO, validators=money_validators()
    )
    total_costs = models.DecimalField(
        _("Gesamtkosten (€)"), **MONEY, default=ZERO, validators=money_validators()
    )
    requested_amount = models.DecimalField(
        _("beantragt (€)"), **MONEY, validators=money_validators()
    )
    status = models.CharField(
        _("Status"),
        max_length=24,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    link_nonce = models.CharField(max_length=32, default=new_link_nonce, editable=False)
    # staff checklist
    check_complete = models.BooleanField(_("Unterlagen vollständig"), default=False)
    check_eligible = models.BooleanField(_("antragsberechtigt, Vorhaben im Gebiet"), default=False)
    check_costs = models.BooleanField(
        _("Kostenplan plausibel, Höchstbetrag eingehalten"), default=False
    )
    check_note = models.TextField(_("Prüfvermerk"), blank=True)
    changes_requested = models.TextField(_("erbetene Änderungen"), blank=True)
    # before the body
    written_deadline = models.DateTimeField(_("Frist des Umlaufverfahrens"), null=True, blank=True)
    # decision
    approved_amount = models.DecimalField(
        _("bewilligt (€)"), **MONEY, null=True, blank=True, validators=money_validators()
    )
    conditions = models.TextField(_("Auflagen"), blank=True)
    decline_reason = models.TextField(_("Begründung"), blank=True)
    votes_yes = models.PositiveSmallIntegerField(_("Ja"), default=0)
    votes_no = models.PositiveSmallIntegerField(_("Nein"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("Enthaltung"), default=0)
    votes_conflict = models.PositiveSmallIntegerField(_("befangen"), default=0)
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    # proof of use
    report = models.TextField(_("Kurzbericht"), blank=True, max_length=5000)
    participants = models.PositiveIntegerField(
        _("Teilnehmende"), null=True, blank=True, validators=[MaxValueValidator(1_000_000)]
    )
    spent_amount = models.DecimalField(
        _("ausgegeben (€)"), **MONEY, null=True, blank=True, validators=money_validators()
    )
    created_at = models.DateTimeField(_("eingereicht am"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FundApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Fondsantrag")
        verbose_name_plural = _("Fondsanträge")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_amount__gt=0), name="fundapp_requested_positive"
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gte=0),
                name="fundapp_approved_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="fundapp_dates_order"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def applicant_display(self):
        return self.organisation or self.applicant_name

    @property
    def public_applicant(self):
        if self.name_public:
            return self.applicant_display
        return self.organisation or _("nicht veröffentlicht")

    @property
    def is_decided(self):
        return self.status in self.COMMITTED or self.status == ApplicationStatus.DECLINED

    def what_is_needed(self):
        """What the applicant has to do now, in one sentence (or "")."""
        return {
            ApplicationStatus.UNCONFIRMED: _(
                "Bitte bestätigen Sie Ihre E-Mail-Adresse über den Link in unserer Mail."
            ),
            ApplicationStatus.CHANGES_REQUESTED: _("Bitte ergänzen oder ändern Sie Ihren Antrag."),
            ApplicationStatus.APPROVED: _("Die Auszahlung wird vorbereitet."),
            ApplicationStatus.PAID: _(
                "Bitte reichen Sie nach dem Vorhaben den Verwendungsnachweis ein."
            ),
            ApplicationStatus.REPAYMENT_REQUESTED: _(
                "Bitte zahlen Sie den nicht verwendeten Betrag zurück."
            ),
        }.get(self.status, "")


class CostItem(models.Model):
    application = models.ForeignKey(
        FundApplication, on_delete=models.CASCADE, related_name="cost_items"
    )
    label = models.CharField(_("Posten"), max_length=160)
    amount = models.DecimalField(_("Betrag (€)"), **MONEY, validators=money_validators())

    class Meta:
        verbose_name = _("Kostenposten")
        verbose_name_plural = _("Kostenplan")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="costitem_amount_positive")
        ]

    def __str__(self):
        return f"{self.label}: {self.amount} €"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        APPLICATION = "application", _("zum Antrag")
        PROOF = "proof", _("zum Verwendungsnachweis")

    application = models.ForeignKey(
        FundApplication, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("Art"), max_length=12, choices=Kind.choices, default=Kind.APPLICATION)
    file = models.FileField(_("Datei"), upload_to="fonds/%Y/%m/")
    original_name = models.CharField(_("Dateiname"), max_length=200)
    content_type = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Anhang")
        verbose_name_plural = _("Anhänge")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class Vote(models.Model):
    """A member's vote on an application — in the session record (entered by staff) or online in
    a written procedure. `conflict`: the member declared a conflict of interest and is excluded."""

    class Choice(models.TextChoices):
        YES = "yes", _("Ja")
        NO = "no", _("Nein")
        ABSTAIN = "abstain", _("Enthaltung")
        CONFLICT = "conflict", _("befangen – nimmt nicht teil")

    application = models.ForeignKey(FundApplication, on_delete=models.CASCADE, related_name="votes")
    membership = models.ForeignKey(
        Membership, verbose_name=_("Mitglied"), on_delete=models.PROTECT, related_name="votes"
    )
    choice = models.CharField(_("Stimme"), max_length=10, choices=Choice.choices)
    online = models.BooleanField(_("online abgegeben"), default=False)
    cast_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Stimme")
        verbose_name_plural = _("Stimmen")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "membership"], name="one_vote_per_member"
            )
        ]

    def __str__(self):
        return f"{self.membership.name}: {self.get_choice_display()}"


class Payment(models.Model):
    """Money paid out (positive) or paid back (negative)."""

    application = models.ForeignKey(
        FundApplication, on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.DecimalField(
        _("Betrag (€)"),
        **MONEY,
        validators=[MinValueValidator(-MAX_AMOUNT), MaxValueValidator(MAX_AMOUNT)],
    )
    paid_on = models.DateField(_("am"), default=timezone.localdate)
    note = models.CharField(_("Bemerkung"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Zahlung")
        verbose_name_plural = _("Zahlungen")
        ordering = ["paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="payment_not_zero")]

    def __str__(self):
        return f"{self.amount} € ({self.paid_on:%d.%m.%Y})"


class ApplicationEvent(models.Model):
    """The log of an application: every step, who took it, and a note."""

    application = models.ForeignKey(
        FundApplication, on_delete=models.CASCADE, related_name="events"
    )
    status = models.CharField(_("Status"), max_length=24, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Wer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("Notiz"), blank=True)
    created_at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now)

    class Meta:
        verbose_name = _("Antragsschritt")
        verbose_name_plural = _("Verlauf")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{timezone.localtime(self.created_at):%d.%m.%Y %H:%M} {self.get_status_display()}"
