"""Covering indexes for the report (/berichte/), PostgreSQL only.

The report counts a period's contributions, supports and comments; these indexes let it read
them without touching the tables (index-only scans) and ask "did this account take part in the
period?" with one probe each. They are kept out of the models' Meta because INCLUDE columns
and the partial conditions only matter on PostgreSQL and the models belong to other features;
SQLite (tests, development) does without them.
"""

from django.db import migrations

RECEIVED = "confirmed_at IS NOT NULL"

INDEXES = {
    # the period's contributions by month, kind, topic, channel, status and area
    "idea_received_created": (
        "participation_idea (created_at) "
        "INCLUDE (id, area_id, topic_id, kind, channel, status, author_id) "
        f"WHERE {RECEIVED}"
    ),
    # e-mail addresses of contributions without an account
    "idea_received_email": (
        "participation_idea (created_at) INCLUDE (author_email, status, area_id) "
        f"WHERE {RECEIVED} AND author_id IS NULL"
    ),
    # "a contribution of this account in the period?"
    "idea_received_author": (
        f"participation_idea (author_id, created_at) INCLUDE (status, area_id) WHERE {RECEIVED}"
    ),
    "support_user_created": "participation_support (user_id, created_at)",
    "comment_author_created": "participation_comment (author_id, created_at)",
    # each contribution's first answer
    "answer_idea_created": "participation_answer (idea_id, created_at) INCLUDE (status_to)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("participation", "0021_idea_similar_title_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
