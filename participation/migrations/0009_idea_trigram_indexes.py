from django.db import migrations

INDEXES = {"idea_title_trgm": "title"}


def create_trigram_indexes(apps, schema_editor):
    """A trigram index on titles that finds similar ideas (participation/similar.py) without computing a
    score for every idea; PostgreSQL only (SQLite ranks a bounded list of candidates)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON participation_idea "
            f"USING gin ({column} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0008_idea_public_indexes"),
    ]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
