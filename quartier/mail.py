"""Sending the portal's mails: plain-text templates, in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from quartier.text import clean_line, clean_text


def absolute_url(path):
    """A full URL for links in mails (SITE_URL + path)."""
    return settings.SITE_URL + path


def send_portal_mail(
    *, to, subject, template, context=None, language=None, attachments=(), headers=None
):
    """Render `template` (a .txt template) and send it to the address(es) in `to`.

    `subject` may be a lazy translation; it is translated in `language` like the body.
    `attachments` are (filename, content, mimetype) tuples. Returns the number sent.
    Subject and body lose control characters, the subject its line breaks (a name with CR/LF
    from old data or an import would make the header invalid and the sending fail).
    """
    recipients = [to] if isinstance(to, str) else list(to)
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        body = render_to_string(
            template,
            {"CITY_NAME": settings.CITY_NAME, "SITE_URL": settings.SITE_URL, **(context or {})},
        )
        message = EmailMessage(
            subject=clean_line(f"[Quartier {settings.CITY_NAME}] {subject}"),
            body=clean_text(body),
            to=recipients,
            headers=headers or {},
        )
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message.send()
