from django.db import migrations

LISTED = (
    "confirmed_at IS NOT NULL AND NOT is_hidden AND status IN "
    "('published', 'under_review', 'planned', 'realised', 'not_feasible') "
    "AND duplicate_of_id IS NULL"
)
# signatures of 256 bytes (not 12) in the inner pages keep the nearest-title scan short when
# many titles share most of their trigrams
TRIGRAMS = "gist_trgm_ops(siglen=256)"


def create_indexes(apps, schema_editor):
    """Similar ideas (participation/ideas/similar.py) read the titles nearest to the typed one
    (`ORDER BY title <-> …  LIMIT n`) of listed ideas in an area, or in a box around a point
    (`point(lng, lat) <@ box`, a two-dimensional search — btree_gist's ranges on latitude and
    longitude read three times as many pages): GiST trigram indexes return them in that order
    and stop after n rows. The GIN index of 0021 had to
    collect every matching title of the area before its LIMIT (most of them when titles share
    their words) and is no longer used. The area column needs btree_gist.
    PostgreSQL only (SQLite ranks a bounded list of candidates)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS idea_listed_area_title_knn ON participation_idea "
        f"USING gist (area_id, title {TRIGRAMS}) WHERE {LISTED}"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS idea_listed_point_title_knn ON participation_idea "
        f"USING gist (point(lng, lat), title {TRIGRAMS}) WHERE {LISTED}"
    )
    schema_editor.execute("DROP INDEX IF EXISTS idea_listed_area_title_trgm")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS idea_listed_area_title_trgm ON participation_idea "
        f"USING gin (area_id, title gin_trgm_ops) WHERE {LISTED}"
    )
    schema_editor.execute("DROP INDEX IF EXISTS idea_listed_point_title_knn")
    schema_editor.execute("DROP INDEX IF EXISTS idea_listed_area_title_knn")


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0026_meeting_start_index"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
