from django import forms
from django.utils.html import escape
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from neighbourhoods.forms import PointField
from neighbourhoods.models import Area
from participation.surveys.lifeworlds import LifeworldFieldsMixin
from participation.topics.models import Topic
from quartier.formkeys import FormKeyMixin
from quartier.forms import EasyHelpMixin, HoneypotMixin, privacy_link_help
from quartier.images import HELP_TEXT as PHOTO_HELP_TEXT
from quartier.images import MAX_UPLOAD_BYTES
from quartier.languages import contribution_language_field
from quartier.text import PlainTextFormMixin

from .models import STATUS_TRANSITIONS, Channel, IdeaKind, IdeaStatus

PHOTO_LOST_MESSAGE = _(
    "Aus Sicherheitsgründen kann der Browser ein Foto nicht behalten: "
    "bitte wählen Sie das Foto noch einmal aus."
)


class IdeaForm(LifeworldFieldsMixin, EasyHelpMixin, FormKeyMixin, HoneypotMixin, forms.Form):
    easy_help = {
        "kind": _(
            "Eine Idee: Sie wollen etwas Neues. Eine Stärke: Das ist gut im Quartier. "
            "Eine Schwäche: Das ist nicht gut im Quartier."
        ),
        "title": _("Schreiben Sie hier ein paar Wörter. Worum geht es?"),
        "text": _("Schreiben Sie hier mehr. Was ist los? Was wünschen Sie sich?"),
        "language": _("Sie können in Ihrer Sprache schreiben. Wählen Sie hier die Sprache."),
        "topic": _("Wählen Sie ein Thema. Zum Beispiel: Verkehr oder Spielplätze."),
        "location": _("Klicken Sie auf die Karte. Wo ist das? Das ist freiwillig."),
        "area": _("Wählen Sie Ihr Quartier. Das müssen Sie nur tun, wenn Sie keinen Ort haben."),
        "author_email": _(
            "Wir schicken Ihnen eine E-Mail. Klicken Sie auf den Link in der E-Mail. "
            "Dann sehen wir: Die Adresse stimmt."
        ),
    }

    kind = forms.ChoiceField(
        label=_("Was möchten Sie sagen?"),
        choices=IdeaKind.choices,
        widget=forms.RadioSelect,
        initial=IdeaKind.IDEA,
    )
    title = forms.CharField(label=_("Titel"), max_length=160)
    text = forms.CharField(
        label=_("Beschreibung"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Höchstens 5000 Zeichen."),
    )
    language = contribution_language_field()
    topic = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=Topic.objects.filter(is_active=True),
        empty_label=_("– bitte wählen –"),
        error_messages={"required": _("Bitte wählen Sie ein Thema.")},
    )
    location = PointField()
    area = forms.ModelChoiceField(
        label=_("Gebiet"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("Nur nötig, wenn Sie keinen Ort auf der Karte gewählt haben."),
    )
    photo = forms.FileField(
        label=_("Foto (freiwillig)"),
        required=False,
        help_text=PHOTO_HELP_TEXT,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_alt = forms.CharField(
        label=_("Was ist auf dem Foto zu sehen?"),
        max_length=250,
        required=False,
        help_text=_("Eine kurze Beschreibung für Menschen, die das Foto nicht sehen können."),
    )
    author_name = forms.CharField(label=_("Ihr Name"), max_length=120)
    author_email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        max_length=254,
        help_text=_(
            "Sie bekommen eine E-Mail mit einem Link, mit dem Sie Ihren Beitrag bestätigen."
        ),
    )
    privacy = forms.BooleanField(
        label=_(
            "Ich bin einverstanden, dass meine Angaben zur Bearbeitung meines Beitrags "
            "gespeichert werden. Name und E-Mail-Adresse werden nicht veröffentlicht."
        ),
        help_text=privacy_link_help(),
        error_messages={"required": _("Bitte stimmen Sie der Speicherung Ihrer Angaben zu.")},
    )

    confirm_new = forms.BooleanField(
        label=_("Trotzdem neu einreichen: mein Beitrag ist etwas anderes."),
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.current().without_geometry().order_by("name")
        self.fields["location"].widget.attrs["id"] = "id_location"
        if user is not None and user.is_authenticated:
            for name in ("author_name", "author_email", "privacy"):
                del self.fields[name]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Das Foto ist größer als 10 MB. Bitte wählen Sie ein kleineres Foto.")
            )
        return photo

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("location")
            and not cleaned.get("area")
            and "location" not in self.errors
        ):
            self.add_error(
                "area", _("Bitte wählen Sie einen Ort auf der Karte oder ein Gebiet aus der Liste.")
            )
        if cleaned.get("photo") and not (cleaned.get("photo_alt") or "").strip():
            self.add_error(
                "photo_alt", _("Bitte beschreiben Sie kurz, was auf dem Foto zu sehen ist.")
            )
        return cleaned

    def add_photo_lost_hint(self):
        if self.files.get("photo") is not None and "photo" not in self.errors:
            self.add_error("photo", PHOTO_LOST_MESSAGE)


class CommentForm(EasyHelpMixin, FormKeyMixin, PlainTextFormMixin, forms.Form):
    easy_help = {
        "text": _(
            "Schreiben Sie hier, was Sie denken. Alle können Ihren Kommentar lesen. "
            "Bitte seien Sie freundlich."
        ),
        "language": _("Sie können in Ihrer Sprache schreiben. Wählen Sie hier die Sprache."),
    }

    text = forms.CharField(
        label=_("Ihr Kommentar"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    language = contribution_language_field()


class SupportForm(forms.Form):
    notify = forms.BooleanField(
        label=_("Per E-Mail über Neuigkeiten zu diesem Beitrag informieren"), required=False
    )


class FlagForm(HoneypotMixin, forms.Form):
    reason = forms.CharField(
        label=_("Was ist an diesem Beitrag problematisch?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    comment = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ModerationFormMixin:
    """A moderation form on the idea's admin page. That page is Django's change form, which
    must not contain another form, so each moderation form is an empty `<form id=…>` of its
    own and its fields and button point to it with the HTML `form` attribute (no JavaScript).
    Pass `action` ("publish", "answer", …) for that; without it the form is an ordinary one."""

    def __init__(self, *args, action=None, **kwargs):
        if action:
            kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.action = action
        self.form_id = f"moderation-{action}" if action else ""
        if action:
            for field in self.fields.values():
                field.widget.attrs["form"] = self.form_id


class ConfirmForm(ModerationFormMixin, forms.Form):
    """A button with nothing to fill in (wieder einblenden)."""


class ReasonForm(ModerationFormMixin, PlainTextFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Grund"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DuplicateForm(ModerationFormMixin, forms.Form):
    """Choose the earlier idea a duplicate is merged into (by its number)."""

    original = forms.IntegerField(
        label=_("Nummer des ursprünglichen Beitrags"),
        min_value=1,
        help_text=_(
            "Die Unterstützungen wandern dorthin, beide Beiträge bekommen eine öffentliche "
            "Antwort, und dieser Beitrag verschwindet aus den Listen."
        ),
    )

    def __init__(self, *args, idea, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.idea = idea
        if suggestions:
            # help texts are rendered unescaped: escape the titles here
            listed = escape(
                "; ".join(f"#{item.pk} {item.title} ({item.area.name})" for item in suggestions)
            )
            self.fields["original"].help_text = format_lazy(
                "{} {}: {}", self.fields["original"].help_text, _("Ähnliche Beiträge"), listed
            )
            self.fields["original"].initial = suggestions[0].pk

    def clean_original(self):
        from .models import Idea

        original = (
            Idea.objects.listed()
            .exclude(pk=self.idea.pk)
            .filter(pk=self.cleaned_data["original"])
            .first()
        )
        if original is None:
            raise forms.ValidationError(
                _("Es gibt keinen anderen veröffentlichten Beitrag mit dieser Nummer.")
            )
        return original


def _status_choices(current):
    """The current status first, then those allowed from it in the order of the workflow."""
    allowed = STATUS_TRANSITIONS.get(current, set())
    following = [status for status in IdeaStatus if status in allowed]
    return [(status.value, status.label) for status in [IdeaStatus(current), *following]]


class AnswerForm(ModerationFormMixin, PlainTextFormMixin, forms.Form):
    """Answer a published idea; the new status is one allowed from its current one."""

    status_to = forms.ChoiceField(label=_("Neuer Stand"), choices=())
    text = forms.CharField(
        label=_("Öffentliche Antwort"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status_to"].choices = _status_choices(idea.status)
        self.fields["status_to"].initial = idea.status


class PublishForm(ModerationFormMixin, PlainTextFormMixin, forms.Form):
    """Publish a waiting idea, and answer it in the same step if a text is given."""

    text = forms.CharField(
        label=_("Öffentliche Antwort (freiwillig)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Steht hier etwas, wird es beim Veröffentlichen als Antwort des Quartiersteams "
            "gezeigt und der Person mitgeschickt, die den Beitrag eingebracht hat."
        ),
    )
    status_to = forms.ChoiceField(label=_("Stand nach dem Veröffentlichen"), choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status_to"].choices = _status_choices(IdeaStatus.PUBLISHED)
        self.fields["status_to"].initial = IdeaStatus.PUBLISHED

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status_to", IdeaStatus.PUBLISHED) != IdeaStatus.PUBLISHED
            and not (cleaned.get("text") or "").strip()
        ):
            self.add_error(
                "text", _("Wer den Stand weiter ändert, schreibt bitte eine Antwort dazu.")
            )
        return cleaned


class CollectForm(forms.Form):
    """What all contributions written down at one meeting share."""

    channel = forms.ChoiceField(
        label=_("Wie wurden die Beiträge eingebracht?"),
        choices=[
            (Channel.MEETING.value, Channel.MEETING.label),
            (Channel.PAPER.value, Channel.PAPER.label),
        ],
        initial=Channel.MEETING,
        widget=forms.RadioSelect,
    )


class PaperCardsForm(forms.Form):
    """The area all paper cards entered in one go came from (those the staff member manages)."""

    area = forms.ModelChoiceField(label=_("Gebiet"), queryset=Area.objects.none())

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class CollectedEntryForm(PlainTextFormMixin, forms.Form):
    """One contribution; a row left as it was is skipped."""

    kind = forms.ChoiceField(label=_("Art"), choices=IdeaKind.choices, initial=IdeaKind.IDEA)
    title = forms.CharField(label=_("Titel"), max_length=160)
    text = forms.CharField(
        label=_("Beschreibung"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    topic = forms.ModelChoiceField(
        label=_("Thema"), queryset=Topic.objects.filter(is_active=True), empty_label="–"
    )


COLLECT_ROWS_DEFAULT = 5
COLLECT_ROWS_MAX = 50


def collect_formset(data=None, *, rows=COLLECT_ROWS_DEFAULT):
    """N empty rows (at most COLLECT_ROWS_MAX); submitted rows beyond that are refused."""
    rows = max(1, min(rows, COLLECT_ROWS_MAX))
    formset_class = forms.formset_factory(
        CollectedEntryForm,
        extra=rows,
        max_num=COLLECT_ROWS_MAX,
        absolute_max=COLLECT_ROWS_MAX,
        validate_max=True,
    )
    return formset_class(data, prefix="beitrag")
