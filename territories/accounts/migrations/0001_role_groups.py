"""One group per role (territories/accounts/roles.py)."""

from django.db import migrations

NAMES = [
    "Жители",
    "Председатели ТОС",
    "Инициативные группы",
    "Специалисты центра поддержки",
    "Планировщики",
    "Администраторы",
]


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in NAMES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
