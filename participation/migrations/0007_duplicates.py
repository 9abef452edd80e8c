import django.db.models.deletion
from django.db import migrations, models


def create_trigram_extension(apps, schema_editor):
    """pg_trgm powers the similar-ideas search on PostgreSQL; SQLite needs nothing."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0006_subscriptions"),
    ]

    operations = [
        migrations.RunPython(create_trigram_extension, migrations.RunPython.noop),
        migrations.AddField(
            model_name="idea",
            name="duplicate_of",
            field=models.ForeignKey(
                blank=True,
                help_text="Gesetzt, wenn das Quartiersteam den Beitrag mit einem anderen zusammenführt.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="duplicates",
                to="participation.idea",
                verbose_name="Doppelt zu",
            ),
        ),
    ]
