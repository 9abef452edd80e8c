"""Text that no output can choke on: control characters refused at input, stripped at output.

C0 control characters (U+0000–U+001F) other than tab and line breaks are not allowed in XML
1.0 (Atom feeds, Open311, XLSX), make iCalendar files and mail headers ill-formed, and are
never typed on purpose: they come from pasted files or from someone testing the portal.
Single-line fields take none of them (a line break in a title or an area name breaks mail
subjects and calendar names), long texts keep tab and line breaks. U+FFFE and U+FFFF (not
characters at all, also refused by XML) count as control characters here.

- Input: `validate_single_line` and `validate_multiline` on every CharField / TextField of the
  portal's models (added in quartier.apps, so the admin, model forms, services' full_clean and
  imports all check them) and `PlainTextFormMixin` for plain forms.
- Output: `clean_text` / `clean_line` for every XML, ICS and mail output, for rows stored
  before the check existed (or written around it).
"""

import re

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# A model CharField longer than this may hold a short text with line breaks (a reason);
# shorter ones (names, titles, addresses) are one line.
SINGLE_LINE_MAX_LENGTH = 255

# Everything XML 1.0 refuses, except tab and line breaks.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# The same and tab and line breaks: nothing of it belongs on one line.
LINE_CONTROL = re.compile("[\x00-\x1f\x7f\ufffe\uffff\u2028\u2029\x85]")

MESSAGE_CONTROL = _(
    "Der Text enthält ein unsichtbares Steuerzeichen (oft aus einem kopierten Text). "
    "Bitte entfernen Sie es oder tippen Sie den Text neu ein."
)
MESSAGE_LINE = _(
    "Dieses Feld darf nur eine Zeile ohne Tabulatoren und ohne unsichtbare Steuerzeichen enthalten."
)


def validate_multiline(value):
    """For long texts: tab and line breaks are fine, other control characters are not."""
    if isinstance(value, str) and CONTROL.search(value):
        raise ValidationError(MESSAGE_CONTROL, code="control_character")


def validate_single_line(value):
    """For names, titles and other one-line fields: no control character at all."""
    if isinstance(value, str) and LINE_CONTROL.search(value):
        raise ValidationError(MESSAGE_LINE, code="control_character")


def clean_text(value):
    """`value` as text without the control characters no output may carry (keeps line
    breaks and tab)."""
    return CONTROL.sub("", str(value)) if value is not None else ""


def clean_line(value):
    """`value` on one line: line breaks and tabs become spaces, other control characters go."""
    text = re.sub(r"[\t\r\n\u2028\u2029\x85]+", " ", str(value)) if value is not None else ""
    return LINE_CONTROL.sub("", text).strip()


def add_text_validators(field, *, multiline):
    """Give a model or form field the check for its kind (once)."""
    validator = validate_multiline if multiline else validate_single_line
    if validator not in field.validators:
        field.validators.append(validator)


def add_model_text_validators(app_labels):
    """Every CharField and TextField of the models of `app_labels` refuses control characters
    (at start-up; not part of the fields' definitions, so no migration)."""
    for model in apps.get_models():
        if model._meta.app_label not in app_labels:
            continue
        for field in model._meta.get_fields():
            if field.name == "password" or not isinstance(
                field, models.CharField | models.TextField
            ):
                continue
            multiline = isinstance(field, models.TextField) or (
                (field.max_length or 0) > SINGLE_LINE_MAX_LENGTH
            )
            add_text_validators(field, multiline=multiline)


class PlainTextFormMixin:
    """For plain forms: every text field refuses control characters (a Textarea takes line
    breaks and tab, any other text input none). Password fields are left alone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not isinstance(
                field.widget, forms.PasswordInput
            ):
                add_text_validators(field, multiline=isinstance(field.widget, forms.Textarea))
