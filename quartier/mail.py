"""Sending the portal's mails: plain-text templates, in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path):
    """A full URL for links in mails (SITE_URL + path)."""
    return settings.SITE_URL + path


def send_portal_mail(
    *, to, subject, template, context=None, language=None, attachments=(), headers=None
):
    """Render `template` (a .txt template) and send it to the address(es) in `to`.

    `subject` may be a lazy translation; it is translated in `language` like the body.
    `attachments` are (filename, content, mimetype) tuples. Returns the number sent.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        body = render_to_string(
            template,
            {"CITY_NAME": settings.CITY_NAME, "SITE_URL": settings.SITE_URL, **(context or {})},
        )
        message = EmailMessage(
            subject=f"[Quartier {settings.CITY_NAME}] {subject}",
            body=body,
            to=recipients,
            headers=headers or {},
        )
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message.send()
