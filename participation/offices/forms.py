from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.ideas.forms import ModerationFormMixin
from participation.ideas.models import PUBLIC_STATUSES, STATUS_TRANSITIONS, IdeaStatus
from quartier.text import PlainTextFormMixin

from .models import Forwarding, Office, SubjectKind


class ForwardForm(ModerationFormMixin, PlainTextFormMixin, forms.Form):
    """The manager forwards an idea (a moderation form on the idea's admin page), a fund
    application or a survey's results (the requests' admin page `weiterleiten/…`) to an
    office."""

    office = forms.ModelChoiceField(
        label=_("Amt"), queryset=Office.objects.filter(is_active=True), empty_label=None
    )
    question = forms.CharField(
        label=_("Frage an das Amt"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Was soll das Amt prüfen oder beantworten? Das Amt sieht auch den Beitrag."),
    )
    deadline = forms.DateField(
        label=_("Antwort erbeten bis"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Nach dieser Frist erinnert das Portal das Amt einmal pro Woche."),
    )

    def __init__(self, *args, idea=None, **kwargs):
        kwargs.setdefault("initial", {"deadline": timezone.localdate() + timedelta(days=21)})
        super().__init__(*args, **kwargs)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.localdate():
            raise forms.ValidationError(_("Die Frist muss in der Zukunft liegen."))
        if deadline > timezone.localdate() + timedelta(days=366):
            raise forms.ValidationError(_("Die Frist darf höchstens ein Jahr entfernt sein."))
        return deadline


class OfficeAnswerForm(PlainTextFormMixin, forms.Form):
    """The office's answer, through its link or its account."""

    answer = forms.CharField(
        label=_("Antwort des Amts"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    name = forms.CharField(
        label=_("Ihr Name (für Rückfragen)"),
        max_length=120,
        required=False,
        help_text=_("Wird nicht veröffentlicht."),
    )


class DecideForm(PlainTextFormMixin, forms.Form):
    """The manager decides what becomes of the office's answer (admin)."""

    PUBLISH = "publish"
    INTERNAL = "internal"

    decision = forms.ChoiceField(
        label=_("Was geschieht mit der Antwort?"),
        choices=[
            (PUBLISH, _("als öffentliche Antwort auf den Beitrag veröffentlichen")),
            (INTERNAL, _("intern behalten")),
        ],
        widget=forms.RadioSelect,
        initial=PUBLISH,
    )
    text = forms.CharField(
        label=_("Öffentlicher Text"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Vorgeschlagen ist die Antwort des Amts; Sie können sie kürzen oder erklären."),
    )
    status_to = forms.ChoiceField(label=_("Neuer Stand"), required=False)

    def __init__(self, *args, forwarding: Forwarding, **kwargs):
        kwargs.setdefault("initial", {"text": forwarding.answer})
        super().__init__(*args, **kwargs)
        match forwarding.subject_kind:
            case SubjectKind.APPLICATION:
                self._only_text(
                    _("an die Antragstellenden weitergeben (Mail, Verlauf des Antrags)")
                )
                return
            case SubjectKind.SURVEY:
                self._only_text(_("bei den Ergebnissen der Umfrage veröffentlichen"))
                return
        status = forwarding.idea.status
        allowed = sorted(STATUS_TRANSITIONS.get(status, set()) & set(PUBLIC_STATUSES))
        self.fields["status_to"].choices = [
            ("", _("unverändert (%(status)s)") % {"status": IdeaStatus(status).label}),
            *[(value, IdeaStatus(value).label) for value in allowed],
        ]

    def _only_text(self, publish_label):
        """Not about an idea: no status to change; publishing means `publish_label`."""
        del self.fields["status_to"]
        self.fields["decision"].choices = [
            (self.PUBLISH, publish_label),
            (self.INTERNAL, _("intern behalten")),
        ]

    def clean(self):
        data = super().clean()
        data.setdefault("status_to", "")
        return data
