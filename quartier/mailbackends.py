"""A console mail backend for people: headers decoded, the text as written, attachments named.

Django's console backend prints the raw MIME message, so a German subject reads
`=?utf-8?q?Ihre_Anmeldung=3A_Workshop?=` and umlauts in the body come out quoted-printable.
`manage.py demo` uses this one unless EMAIL_BACKEND is set; nothing is sent anywhere.
"""

from django.core.mail.backends.console import EmailBackend as ConsoleBackend

RULE = "-" * 79


class ReadableConsoleBackend(ConsoleBackend):
    def write_message(self, message):
        lines = [
            RULE,
            f"Von:     {message.from_email}",
            f"An:      {', '.join(message.to)}",
        ]
        if message.cc:
            lines.append(f"Kopie:   {', '.join(message.cc)}")
        lines.append(f"Betreff: {message.subject}")
        lines += [f"{name}: {value}" for name, value in message.extra_headers.items()]
        lines += ["", message.body.rstrip()]
        for attachment in message.attachments:
            if isinstance(attachment, tuple):
                filename, content, mimetype = attachment
                size = len(content.encode() if isinstance(content, str) else content)
                lines.append(f"[Anhang: {filename} ({mimetype}, {size} Bytes)]")
            else:  # a MIME part someone attached themselves
                lines.append(
                    f"[Anhang: {attachment.get_filename() or attachment.get_content_type()}]"
                )
        lines.append(RULE)
        self.stream.write("\n".join(lines) + "\n")
