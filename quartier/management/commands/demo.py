"""`python manage.py demo`: migrate, load demo data, create demo accounts, serve.

Each app may add demo data through a module `<app>.demo` with a function `load(*, stdout)`;
apps are loaded in INSTALLED_APPS order (quartier, neighbourhoods, participation, network).
Everything is idempotent: running the command twice changes nothing.
"""

from importlib import import_module

from auditlog.context import disable_auditlog
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from quartier.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Prepare the portal with demo data and demo accounts, then serve it on 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="Only prepare the database, do not serve."
        )
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, no_serve=False, addrport="127.0.0.1:8000", **options):
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
            host, _, port = addrport.rpartition(":")
            self.stdout.write(f"Portal: http://{host}:{port}/  (Verwaltung: /verwaltung/)")
            call_command("runserver", addrport, use_reloader=False)
