"""Groups of the two roles added with resource centres and events
(territories/accounts/roles.py)."""

from django.db import migrations

NAMES = ["Представители советов", "Сотрудники ресурсных центров"]


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in NAMES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_role_groups")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
