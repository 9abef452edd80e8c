"""Default texts for the legal pages (Musterstadt placeholders, to be edited by staff), and
the permission for coordination to edit them and to read reported barriers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from quartier.legal_defaults import PAGES

COORDINATION_PERMISSIONS = [
    "view_legalpage",
    "change_legalpage",
    "view_barrierreport",
    "change_barrierreport",
]


def create_pages(apps, schema_editor):
    LegalPage = apps.get_model("quartier", "LegalPage")
    for key, title, body in PAGES:
        LegalPage.objects.get_or_create(key=key, defaults={"title": title, "body": body})


def grant_coordination(apps, schema_editor):
    # Permissions are normally created after all migrations; create ours now to assign them.
    app_config = apps.get_app_config("quartier")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Quartierskoordination")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="quartier", codename__in=COORDINATION_PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("quartier", "0003_legal_pages_and_barrier_reports"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_pages, migrations.RunPython.noop),
        migrations.RunPython(grant_coordination, migrations.RunPython.noop),
    ]
