"""The portal's mails: plain-text templates in the recipient's language, sent by a task worker.

`queue_portal_mail(...)` renders the mail at once and writes it into the outbox (`OutboxMail`)
in the caller's transaction — a change that is rolled back mails nothing, a committed one
cannot lose its mail. After the commit a task (`deliver_mails`) sends it; a mail counts as sent
(`done_at`) only once the mail server accepted it, and a failed attempt is retried with growing
pauses (quartier.outbox). Asking twice with the same `key` queues one mail.
"""

import base64
import re
import uuid
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from quartier import outbox
from quartier.models import OutboxMail
from quartier.text import clean_line, clean_text

BATCH_SIZE = 100  # mails per delivery task: one SMTP session each, several workers in parallel


def absolute_url(path):
    """A full URL for links in mails (SITE_URL + path)."""
    return settings.SITE_URL + path


def render_portal_mail(
    *,
    to,
    subject,
    template,
    context=None,
    language=None,
    subject_args=None,
    attachments=(),
    headers=None,
    key=None,
):
    """An unsaved OutboxMail: `template` (.txt) rendered in `language` (default: the current
    one; quartier.languages.mail_language finds a person's), named in its Content-Language
    header — `subject` may be a lazy translation, with `subject_args` filled into its
    %(name)s placeholders once it is translated. `attachments` are (filename, content,
    mimetype) tuples. Subject and body lose control characters, the subject its line breaks (a
    name with CR/LF from old data or an import would make the header invalid and the sending
    fail)."""
    recipients = [to] if isinstance(to, str) else list(to)
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        body = render_to_string(
            template,
            {"CITY_NAME": settings.CITY_NAME, "SITE_URL": settings.SITE_URL, **(context or {})},
        )
        if subject_args is not None:
            subject = str(subject) % subject_args
        subject = clean_line(f"[Quartier {settings.CITY_NAME}] {subject}")
    return OutboxMail(
        key=key or f"mail:{uuid.uuid4().hex}",
        recipients=recipients,
        subject=subject,
        body=clean_text(body),
        headers={"Content-Language": language, **(headers or {})},
        attachments=[
            [filename, base64.b64encode(_bytes(content)).decode("ascii"), mimetype]
            for filename, content, mimetype in attachments
        ],
    )


def queue_portal_mail(**kwargs):
    """Render a mail (see render_portal_mail) and queue it in the current transaction.
    Returns the OutboxMail, or None when its `key` was queued before."""
    mail = render_portal_mail(**kwargs)
    return mail if queue_mails([mail]) else None


def queue_mails(mails):
    """Queue rendered mails (many at once: one insert); returns the ids of those not queued
    before. They are handed to the workers in batches once the transaction is committed."""
    if not mails:
        return []
    return outbox.insert(list(mails), on_commit=enqueue_delivery)


def enqueue_delivery(pks):
    for start in range(0, len(pks), BATCH_SIZE):
        deliver_mails.enqueue(pks=pks[start : start + BATCH_SIZE])


@task()
def deliver_mails(pks):
    """Send the outbox mails `pks` over one connection, each in its own transaction: a worker
    killed halfway leaves the mail it was sending, and the ones after it, pending."""
    connection = get_connection(fail_silently=False)
    sent = 0
    try:
        for pk in pks:
            sent += outbox.process(OutboxMail, pk, partial(_send, connection))
    finally:
        connection.close()
    return sent


def _send(connection, mail):
    try:
        connection.open()  # no-op while open: one session for the whole batch
        if connection.send_messages([as_message(mail, connection)]) != 1:
            raise RuntimeError("the mail server accepted no recipient")
    except BaseException:
        connection.close()  # a broken session is opened anew for the next mail
        raise


def as_message(mail, connection=None):
    """The EmailMessage of an outbox row; its Message-ID stays the same on every attempt."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"
    message_id = f"<quartier-{re.sub(r'[^A-Za-z0-9.-]', '-', mail.key)}@{domain}>"
    message = EmailMessage(
        subject=mail.subject,
        body=mail.body,
        to=mail.recipients,
        headers={"Message-ID": message_id, **mail.headers},
        connection=connection,
    )
    for filename, content, mimetype in mail.attachments:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


def _bytes(content):
    return content.encode() if isinstance(content, str) else bytes(content)
