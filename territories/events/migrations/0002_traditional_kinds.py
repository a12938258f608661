"""The practice's nine traditional kinds of events, its tree-planting campaign and
activist training (docs/domain.md, "Events"; the practice passport, sections 9 and
19). Organisers add their own kinds beside these."""

from django.db import migrations

KINDS = [
    # code, name, is_training, is_planting
    ("vyhodi-gulyat", "Выходи гулять!", False, False),
    ("dvor-veterana", "Двор, где живёт ветеран", False, False),
    ("chisty-dvorik", "Чистый дворик", False, False),
    ("chisty-bereg", "Чистый берег", False, False),
    ("tsvetnoy-dvorik", "Цветной дворик", False, False),
    ("den-sosedey", "День соседей", False, False),
    ("den-zashchity-detey", "День защиты детей", False, False),
    ("den-semyi", "День семьи, любви и верности", False, False),
    ("den-zhivotnyh", "Всемирный день защиты животных", False, False),
    ("ukorenis", "Укоренись в Ангарске", False, True),
    ("obuchenie", "Обучение", True, False),
]


def seed(apps, schema_editor):
    EventKind = apps.get_model("events", "EventKind")
    for code, name, training, planting in KINDS:
        EventKind.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "traditional": code not in ("ukorenis", "obuchenie"),
                "is_training": training,
                "is_planting": planting,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("events", "0001_events")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
