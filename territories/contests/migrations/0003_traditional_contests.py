"""The four city contests the practice runs every year (docs/domain.md,
"Contests"); the administrator may add more."""

from django.db import migrations

TRADITIONAL = [
    ("luchshiy-sovet-mkd", "Лучший совет многоквартирного дома, ТСЖ"),
    ("luchshiy-tos", "Лучший ТОС, совет общественности"),
    ("dom-v-kotorom-ya-zhivu", "Дом, в котором я живу"),
    ("novogodniy-perepolokh", "Новогодний переполох"),
]


def seed(apps, schema_editor):
    Contest = apps.get_model("contests", "Contest")
    for code, name in TRADITIONAL:
        Contest.objects.update_or_create(
            code=code, defaults={"name": name, "traditional": True}
        )


def unseed(apps, schema_editor):
    Contest = apps.get_model("contests", "Contest")
    Contest.objects.filter(code__in=[c for c, _n in TRADITIONAL]).delete()


class Migration(migrations.Migration):
    dependencies = [("contests", "0002_guards_and_layer_triggers")]

    operations = [migrations.RunPython(seed, unseed)]
