from django.db import migrations

FIELDS_OF_WORK = [
    ("Verkehr", "verkehr"),
    ("Grün & Spielen", "gruen-spielen"),
    ("Sauberkeit", "sauberkeit"),
    ("Sicherheit", "sicherheit"),
    ("Nachbarschaft", "nachbarschaft"),
    ("Kultur", "kultur"),
    ("Wohnen", "wohnen"),
    ("Soziales", "soziales"),
    ("Bildung", "bildung"),
    ("Gesundheit", "gesundheit"),
]

TARGET_GROUPS = [
    ("Familien", "familien"),
    ("Kinder", "kinder"),
    ("Jugendliche", "jugendliche"),
    ("Seniorinnen und Senioren", "senioren"),
    ("Menschen mit Migrationsgeschichte", "migration"),
    ("Menschen mit Behinderung", "behinderung"),
    ("Alleinerziehende", "alleinerziehende"),
    ("Menschen in Armut", "armut"),
    ("Alle im Quartier", "alle"),
]


def create(apps, schema_editor):
    FieldOfWork = apps.get_model("network", "FieldOfWork")
    TargetGroup = apps.get_model("network", "TargetGroup")
    for order, (name, slug) in enumerate(FIELDS_OF_WORK):
        FieldOfWork.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})
    for order, (name, slug) in enumerate(TARGET_GROUPS):
        TargetGroup.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
