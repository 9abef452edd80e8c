"""`python manage.py demo`: migrate, load demo data, create demo accounts, serve — with a task
worker beside the server (`manage.py worker`), so the demo's mails are sent (to the console).

Each app may add demo data through a module `<app>.demo` with a function `load(*, stdout)`;
apps are loaded in INSTALLED_APPS order (quartier, neighbourhoods, participation, network).
Everything is idempotent: running the command twice changes nothing, also after residents
added their own data. Served at `--addrport`, links in mails, feeds and calendar entries use that
address and mails are printed readably (unless SITE_URL / EMAIL_BACKEND are set).
"""

import os
import signal
import subprocess
import sys
from importlib import import_module
from pathlib import Path

from auditlog.context import disable_auditlog
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from quartier.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

READABLE_MAIL = "quartier.mailbackends.ReadableConsoleBackend"


def site_url(addrport):
    """The base URL for runserver's `addrport` ("8000", "127.0.0.1:8000", "[::1]:8000",
    "0.0.0.0:8000"); an address listening on every interface is reached as localhost."""
    host, _, port = addrport.rpartition(":")
    if not port.isdigit():
        host, port = addrport, "8000"
    host = host.strip("[]") or "127.0.0.1"
    if host in {"0.0.0.0", "::", "0"}:  # noqa: S104 - a name for links, not a bind address
        host = "localhost"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


class Command(BaseCommand):
    help = "Prepare the portal with demo data and demo accounts, then serve it on 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="Only prepare the database, do not serve."
        )
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, no_serve=False, addrport="127.0.0.1:8000", **options):
        if not no_serve:
            self.prepare_for(addrport)
        call_command("migrate", interactive=False, verbosity=0)
        with transaction.atomic(), disable_auditlog():  # data loaded, not staff changes
            for app_config in apps.get_app_configs():
                if module_has_submodule(app_config.module, "demo"):
                    module = import_module(f"{app_config.name}.demo")
                    module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo-Daten sind bereit."))
        self.stdout.write(f"Demo-Konten (Passwort für alle: {DEMO_PASSWORD}):")
        for username, description in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<16} {description}")
        if not no_serve:
            # The demo accounts have no authenticator app: the demo serves without the
            # second factor for staff, whatever STAFF_2FA says.
            settings.STAFF_2FA = False
            self.stdout.write("Zweiter Faktor für das Quartiersteam: in der Demo ausgeschaltet.")
            self.stdout.write(f"Portal: {settings.SITE_URL}/  (Verwaltung: /verwaltung/)")
            if settings.EMAIL_BACKEND == READABLE_MAIL:
                self.stdout.write("E-Mails des Portals erscheinen lesbar hier in der Konsole.")
            self.stdout.write("Ein Worker im Hintergrund verschickt die E-Mails.")
            # The same interpreter and manage.py as this command (no outside input here).
            worker = subprocess.Popen(  # noqa: S603
                [sys.executable, str(Path(sys.argv[0]).resolve()), "worker", "-v", "0"]
            )
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # so that `finally` runs
            try:
                call_command("runserver", addrport, use_reloader=False)
            finally:
                worker.terminate()
                worker.wait(timeout=30)

    def prepare_for(self, addrport):
        """Links in mails, feeds and calendar entries point to the address being served (unless
        SITE_URL is set), and mails are printed readably (unless EMAIL_BACKEND is set). Set in
        the environment too, so processes the demo starts (a task worker) do the same."""
        if "SITE_URL" not in os.environ:
            settings.SITE_URL = os.environ["SITE_URL"] = site_url(addrport)
        if "EMAIL_BACKEND" not in os.environ:
            settings.EMAIL_BACKEND = os.environ["EMAIL_BACKEND"] = READABLE_MAIL
