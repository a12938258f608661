"""The report models move to their own app, `reports` (docs/architecture.md, "Apps").
Only Django's record of them leaves this app here: the tables stay, and `reports`
0001 renames them and takes them over, rows included."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("territories", "0006_follower_confirmation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="category",
                    name="responsible",
                ),
                migrations.RemoveField(
                    model_name="problemreport",
                    name="category",
                ),
                migrations.RemoveField(
                    model_name="follower",
                    name="report",
                ),
                migrations.RemoveField(
                    model_name="problemreport",
                    name="api_key",
                ),
                migrations.RemoveField(
                    model_name="problemreport",
                    name="building",
                ),
                migrations.RemoveField(
                    model_name="problemreport",
                    name="duplicate_of",
                ),
                migrations.RemoveField(
                    model_name="problemreport",
                    name="territory",
                ),
                migrations.RemoveField(
                    model_name="problemreport",
                    name="user",
                ),
                migrations.RemoveField(
                    model_name="problemreport",
                    name="yard",
                ),
                migrations.RemoveField(
                    model_name="reportphoto",
                    name="report",
                ),
                migrations.RemoveField(
                    model_name="reportupdate",
                    name="report",
                ),
                migrations.RemoveField(
                    model_name="support",
                    name="report",
                ),
                migrations.RemoveField(
                    model_name="reportupdate",
                    name="author",
                ),
                migrations.DeleteModel(
                    name="ResponseTemplate",
                ),
                migrations.RemoveField(
                    model_name="support",
                    name="user",
                ),
                migrations.DeleteModel(
                    name="ResponsibleBody",
                ),
                migrations.DeleteModel(
                    name="Category",
                ),
                migrations.DeleteModel(
                    name="Follower",
                ),
                migrations.DeleteModel(
                    name="Open311Key",
                ),
                migrations.DeleteModel(
                    name="ReportPhoto",
                ),
                migrations.DeleteModel(
                    name="ProblemReport",
                ),
                migrations.DeleteModel(
                    name="ReportUpdate",
                ),
                migrations.DeleteModel(
                    name="Support",
                ),
            ],
        )
    ]
