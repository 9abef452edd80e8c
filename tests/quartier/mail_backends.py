"""Mail backends for tests that count mails from outside the sending process.

`CountingFileBackend` writes every accepted message as its own file into EMAIL_FILE_PATH,
named by its Message-ID (stable per outbox row) plus a random suffix, so a mail sent twice
shows up as two files. With TEST_MAIL_HANG_AFTER=n it accepts n messages (those whose
recipient contains TEST_MAIL_HANG_MATCH, if set) and then hangs in the middle of the next
one — after writing the file `hanging` — like a mail server that stops answering: the test
kills the worker there.
"""

import os
import re
import smtplib
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class CountingFileBackend(BaseEmailBackend):
    accepted = 0  # per process

    def send_messages(self, email_messages):
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            self._maybe_hang(folder, message)
            message_id = message.extra_headers.get("Message-ID", "")
            name = re.sub(r"[^A-Za-z0-9.-]", "_", message_id.strip("<>")) or "no-id"
            temporary = folder / f".{uuid.uuid4().hex}.tmp"
            temporary.write_bytes(message.message().as_bytes())
            os.replace(temporary, folder / f"{name}.{uuid.uuid4().hex[:8]}.eml")
        return len(email_messages)

    def _maybe_hang(self, folder, message):
        limit = os.environ.get("TEST_MAIL_HANG_AFTER")
        if limit is None:
            return
        match = os.environ.get("TEST_MAIL_HANG_MATCH", "")
        if match and not any(match in address for address in message.to):
            return
        if CountingFileBackend.accepted >= int(limit):
            (folder / "hanging").write_text(str(os.getpid()))
            while True:
                time.sleep(60)
        CountingFileBackend.accepted += 1


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def delivered(folder):
    """{Message-ID stem: number of files} of what CountingFileBackend accepted."""
    counts = {}
    for path in Path(folder).glob("*.eml"):
        stem = path.name.rsplit(".", 2)[0]
        counts[stem] = counts.get(stem, 0) + 1
    return counts
