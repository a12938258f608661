"""The norms' defaults from the design brief, §5, each with its source; planners
change them in the admin. The norm table's changes version the kept analyses."""

from django.db import migrations

from geo.migrations_util import touch_layer_triggers

SOURCE = "СНиП 2.07.01-89* (региональные копии); сверить с ПП Иркутской обл. № 712-пп"
DEFAULTS = [
    (
        "sport_area_per_resident",
        "Площадь спортивных площадок на жителя",
        2.0,
        "м²/чел.",
        SOURCE,
    ),
    (
        "playground_area_per_resident",
        "Площадь детских площадок на жителя",
        0.7,
        "м²/чел.",
        SOURCE + "; Минстрой 2019 рекомендует 0,5–0,7",
    ),
    (
        "sport_radius",
        "Радиус пешей доступности спортивной площадки",
        500.0,
        "м",
        "СП 42.13330.2016, табл. 10.1 (помещения для физкультурных занятий)",
    ),
    (
        "playground_radius",
        "Радиус пешей доступности детской площадки",
        300.0,
        "м",
        "обычная практика планирования; настраивается",
    ),
    (
        "playground_min_distance",
        "Расстояние от окон до детской площадки, не менее",
        12.0,
        "м",
        "СП 42.13330.2016, п. 7.5",
    ),
    (
        "sport_min_distance",
        "Расстояние от окон до спортивной площадки, не менее",
        10.0,
        "м",
        "СП 42.13330.2016, п. 7.5 (10–40 м по виду площадки)",
    ),
]


def seed(apps, schema_editor):
    Norm = apps.get_model("planning", "Norm")
    for code, title, value, unit, source in DEFAULTS:
        Norm.objects.get_or_create(
            code=code,
            defaults={"title": title, "value": value, "unit": unit, "source": source},
        )


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_norms_and_analyses"), ("geo", "0003_limit_hits")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        touch_layer_triggers("planning_norm"),
    ]
