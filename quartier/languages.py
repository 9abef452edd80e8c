"""The languages a city offers (settings.LANGUAGES, from PORTAL_LANGUAGES) and the languages
people use: the language a person reads the portal in (their mails go out in it) and the
language a resident's own words were written in (pages mark them with `lang`).
"""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import translation
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


def contribution_language_model_field():
    """The model field that keeps the language a contribution was written in."""
    return models.CharField(_("Sprache des Beitrags"), max_length=10, default="de")


def mail_language_model_field():
    """The model field that keeps the language of the page someone without an account signed up
    on (a meeting, the network): the mails sent to them later go out in it."""
    return models.CharField(
        _("Sprache der E-Mails"),
        max_length=10,
        default="de",
        help_text=_("Die Sprache der Seite, auf der die Person sich eingetragen hat."),
    )


# The BCP 47 code for "undetermined": a contribution in a language the portal does not offer.
OTHER_LANGUAGE = "und"


def offered_codes():
    return [code for code, _name in settings.LANGUAGES]


def offered_language(code):
    """`code` if the portal offers it, else the portal's main language."""
    return code if code in offered_codes() else settings.LANGUAGE_CODE


def current_language():
    """The interface language of the request being answered (an offered one)."""
    return offered_language((translation.get_language() or "").split("-")[0])


def contribution_language_choices():
    return [*settings.LANGUAGES, (OTHER_LANGUAGE, _("andere"))]


class ContributionLanguageField(forms.ChoiceField):
    """A language the portal offers, or "andere"; left out (an older form, a script), it is
    the page's language."""

    def clean(self, value):
        return super().clean(value) or current_language()


def contribution_language_field():
    """The form field "Sprache Ihres Beitrags": the offered languages (named in themselves) and
    "andere"; it starts on the page's language."""
    return ContributionLanguageField(
        label=_("Sprache Ihres Beitrags"),
        choices=contribution_language_choices,
        initial=current_language,
        required=False,
        help_text=_("In welcher Sprache haben Sie geschrieben? Andere können danach filtern."),
    )


def written_in_attributes(contribution):
    """` lang="…" dir="auto"` for an element holding a resident's own words (see the template
    filter `written_in`)."""
    return format_html(' lang="{}" dir="auto"', getattr(contribution, "language", "") or "")


def written_in_html(contribution, text):
    """`text` (a resident's words, escaped) in a span marked with its language: the admin's
    lists."""
    return format_html("<span{}>{}</span>", written_in_attributes(contribution), text)


def remember_language(user, language=None):
    """Keep the language a signed-in person uses on their account (mails follow it); writes
    only when it changed."""
    if not (user and user.is_authenticated):
        return
    language = offered_language(language or current_language())
    if getattr(user, "language", language) != language:
        get_user_model().objects.filter(pk=user.pk).update(language=language)
        user.language = language


def mail_language(user=None, fallback=None):
    """The language to write to a person in: their account's, else `fallback` (a language
    recorded with what they sent), else the portal's main language."""
    if user is not None and getattr(user, "language", ""):
        return offered_language(user.language)
    if fallback and fallback != OTHER_LANGUAGE:
        return offered_language(fallback)
    return settings.LANGUAGE_CODE


def _interpolate(text, args):
    return str(text) % args


_lazy_interpolate = lazy(_interpolate, str)


def lazy_format(text, args):
    """`text % args`, translated only when it is used: a subject or a line for a mail built
    before quartier.mail renders it in the recipient's language (`_("…") % args` would be
    translated at once, in the language of whoever caused the mail)."""
    return _lazy_interpolate(text, args)
