from django.db import migrations

LISTED = (
    "confirmed_at IS NOT NULL AND NOT is_hidden AND status IN "
    "('published', 'under_review', 'planned', 'realised', 'not_feasible') "
    "AND duplicate_of_id IS NULL"
)


def create_index(apps, schema_editor):
    """Similar ideas (participation/ideas/similar.py) look for matching titles of listed ideas
    in a few areas: one GIN index on (area, title) answers both conditions together, so the
    work is bounded by the place's matches, not by every matching title of the city. The
    area column needs btree_gin. PostgreSQL only (SQLite ranks a bounded list of
    candidates)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS idea_listed_area_title_trgm ON participation_idea "
        f"USING gin (area_id, title gin_trgm_ops) WHERE {LISTED}"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS idea_listed_area_title_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0020_contribution_and_mail_language"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
