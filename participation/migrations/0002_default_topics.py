from django.db import migrations

TOPICS = [
    ("Verkehr", "verkehr"),
    ("Grün & Spielen", "gruen-spielen"),
    ("Sauberkeit", "sauberkeit"),
    ("Sicherheit", "sicherheit"),
    ("Nachbarschaft", "nachbarschaft"),
    ("Kultur", "kultur"),
    ("Wohnen", "wohnen"),
    ("Soziales", "soziales"),
]


def create_topics(apps, schema_editor):
    Topic = apps.get_model("participation", "Topic")
    for order, (name, slug) in enumerate(TOPICS):
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("participation", "0001_topics")]

    operations = [migrations.RunPython(create_topics, migrations.RunPython.noop)]
