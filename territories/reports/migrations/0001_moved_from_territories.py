"""Takes over the report tables that `territories` created (its migrations 0003–0006)
with their rows: renamed from territories_* to reports_*, and Django's record of the
models, their content types (and so permissions and admin history) and the layer's
change time moved along. A new database gets the same tables by the same path."""

import django.contrib.gis.db.models.fields
import django.contrib.postgres.indexes
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLES = (
    "category",
    "follower",
    "open311key",
    "problemreport",
    "reportphoto",
    "reportupdate",
    "responsetemplate",
    "responsiblebody",
    "support",
)
RENAME = [f"ALTER TABLE territories_{t} RENAME TO reports_{t};" for t in TABLES] + [
    "ALTER TRIGGER territories_problemreport_touch_layer ON reports_problemreport "
    "RENAME TO reports_problemreport_touch_layer;",
    "UPDATE geo_layerstate SET \"table\" = 'reports_problemreport' "
    "WHERE \"table\" = 'territories_problemreport';",
]
RENAME_BACK = [
    f"ALTER TABLE reports_{t} RENAME TO territories_{t};" for t in TABLES
] + [
    "ALTER TRIGGER reports_problemreport_touch_layer ON territories_problemreport "
    "RENAME TO territories_problemreport_touch_layer;",
    "UPDATE geo_layerstate SET \"table\" = 'territories_problemreport' "
    "WHERE \"table\" = 'reports_problemreport';",
]


def move_content_types(apps, schema_editor, source="territories", target="reports"):
    """Permissions and admin log entries point at content types: moving the rows
    keeps every staff member's rights over reports."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    moving = ContentType.objects.filter(app_label=source, model__in=TABLES)
    # A stale, empty twin (made by a post_migrate run) would block the move.
    ContentType.objects.filter(
        app_label=target, model__in=moving.values("model")
    ).delete()
    moving.update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="reports", target="territories")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("territories", "0007_reports_moved_to_own_app"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("geo", "0002_touch_layer_function"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(RENAME, RENAME_BACK)],
            state_operations=[
                migrations.CreateModel(
                    name="Category",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "code",
                            models.SlugField(
                                max_length=64, unique=True, verbose_name="код"
                            ),
                        ),
                        (
                            "name",
                            models.CharField(max_length=200, verbose_name="название"),
                        ),
                        (
                            "name_en",
                            models.CharField(
                                blank=True,
                                max_length=200,
                                verbose_name="название по-английски",
                            ),
                        ),
                        (
                            "description",
                            models.TextField(blank=True, verbose_name="описание"),
                        ),
                        (
                            "questions",
                            models.JSONField(
                                blank=True,
                                default=list,
                                help_text='Список вопросов: [{"code": "lamp_no", "label": "Номер опоры", "label_en": "Pole number", "datatype": "string", "required": false, "values": [{"key": "...", "name": "..."}]}]; datatype: string, number, text, singlevaluelist, multivaluelist.',
                                verbose_name="дополнительные вопросы",
                            ),
                        ),
                        (
                            "active",
                            models.BooleanField(
                                default=True, verbose_name="принимает сообщения"
                            ),
                        ),
                        (
                            "order",
                            models.PositiveSmallIntegerField(
                                default=0, verbose_name="порядок"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "категория проблем",
                        "verbose_name_plural": "категории проблем",
                        "ordering": ["order", "name"],
                    },
                ),
                migrations.CreateModel(
                    name="Open311Key",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "name",
                            models.CharField(
                                max_length=200, unique=True, verbose_name="клиент"
                            ),
                        ),
                        (
                            "key_hash",
                            models.CharField(
                                editable=False, max_length=64, unique=True
                            ),
                        ),
                        (
                            "prefix",
                            models.CharField(
                                editable=False,
                                max_length=8,
                                verbose_name="начало ключа",
                            ),
                        ),
                        (
                            "active",
                            models.BooleanField(default=True, verbose_name="действует"),
                        ),
                        (
                            "hourly_quota",
                            models.PositiveIntegerField(
                                default=600, verbose_name="сообщений в час"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, verbose_name="выдан"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "ключ Open311",
                        "verbose_name_plural": "ключи Open311",
                    },
                ),
                migrations.CreateModel(
                    name="ResponseTemplate",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "title",
                            models.CharField(
                                max_length=200, unique=True, verbose_name="название"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("moderation", "на модерации"),
                                    ("open", "открыто"),
                                    ("in_progress", "в работе"),
                                    ("planned", "запланировано"),
                                    ("fixed", "решено"),
                                    ("closed", "закрыто без решения"),
                                    ("duplicate", "дубликат"),
                                    ("not_responsible", "не в компетенции"),
                                    ("hidden", "скрыто"),
                                ],
                                max_length=16,
                                verbose_name="для статуса",
                            ),
                        ),
                        ("text", models.TextField(verbose_name="текст")),
                    ],
                    options={
                        "verbose_name": "шаблон ответа",
                        "verbose_name_plural": "шаблоны ответов",
                        "ordering": ["title"],
                    },
                ),
                migrations.CreateModel(
                    name="ResponsibleBody",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "name",
                            models.CharField(
                                max_length=300, unique=True, verbose_name="название"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("management_company", "управляющая компания"),
                                    ("department", "отдел администрации"),
                                    ("other", "другая организация"),
                                ],
                                max_length=32,
                                verbose_name="вид",
                            ),
                        ),
                        (
                            "email",
                            models.EmailField(
                                blank=True,
                                max_length=254,
                                verbose_name="e-mail для уведомлений",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "ответственная организация",
                        "verbose_name_plural": "ответственные организации",
                    },
                ),
                migrations.CreateModel(
                    name="ProblemReport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "description",
                            models.TextField(max_length=4000, verbose_name="описание"),
                        ),
                        (
                            "answers",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                verbose_name="ответы на вопросы",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("moderation", "на модерации"),
                                    ("open", "открыто"),
                                    ("in_progress", "в работе"),
                                    ("planned", "запланировано"),
                                    ("fixed", "решено"),
                                    ("closed", "закрыто без решения"),
                                    ("duplicate", "дубликат"),
                                    ("not_responsible", "не в компетенции"),
                                    ("hidden", "скрыто"),
                                ],
                                default="moderation",
                                max_length=16,
                                verbose_name="статус",
                            ),
                        ),
                        (
                            "geom",
                            django.contrib.gis.db.models.fields.PointField(
                                spatial_index=False, srid=32648, verbose_name="место"
                            ),
                        ),
                        (
                            "reporter_name",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="имя заявителя"
                            ),
                        ),
                        (
                            "show_name",
                            models.BooleanField(
                                default=False, verbose_name="показывать имя"
                            ),
                        ),
                        (
                            "reporter_email",
                            models.EmailField(
                                blank=True,
                                max_length=254,
                                verbose_name="e-mail заявителя",
                            ),
                        ),
                        (
                            "reporter_phone",
                            models.CharField(
                                blank=True,
                                max_length=32,
                                verbose_name="телефон заявителя",
                            ),
                        ),
                        (
                            "manage_token_hash",
                            models.CharField(blank=True, editable=False, max_length=64),
                        ),
                        (
                            "personal_data_removed_at",
                            models.DateTimeField(
                                blank=True,
                                null=True,
                                verbose_name="личные данные удалены",
                            ),
                        ),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("web", "сайт"),
                                    ("api", "API"),
                                    ("open311", "Open311"),
                                ],
                                max_length=16,
                                verbose_name="источник",
                            ),
                        ),
                        (
                            "client_hash",
                            models.CharField(blank=True, editable=False, max_length=64),
                        ),
                        (
                            "support_count",
                            models.PositiveIntegerField(
                                default=0, verbose_name="поддержали"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, db_index=True, verbose_name="создано"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                auto_now=True, verbose_name="изменено"
                            ),
                        ),
                        (
                            "api_key",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="reports",
                                to="reports.open311key",
                                verbose_name="ключ Open311",
                            ),
                        ),
                        (
                            "building",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to="territories.building",
                                verbose_name="дом",
                            ),
                        ),
                        (
                            "category",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="reports",
                                to="reports.category",
                                verbose_name="категория",
                            ),
                        ),
                        (
                            "duplicate_of",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="duplicates",
                                to="reports.problemreport",
                                verbose_name="дубликат сообщения",
                            ),
                        ),
                        (
                            "territory",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to="territories.territory",
                                verbose_name="ТОС",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="problem_reports",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="пользователь",
                            ),
                        ),
                        (
                            "yard",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to="territories.yard",
                                verbose_name="двор",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "сообщение о проблеме",
                        "verbose_name_plural": "сообщения о проблемах",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="Follower",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "email",
                            models.EmailField(max_length=254, verbose_name="e-mail"),
                        ),
                        (
                            "unsubscribe_token",
                            models.CharField(
                                editable=False, max_length=43, unique=True
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, verbose_name="когда"
                            ),
                        ),
                        (
                            "confirmed_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="подтверждено"
                            ),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="followers",
                                to="reports.problemreport",
                                verbose_name="сообщение",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "подписчик",
                        "verbose_name_plural": "подписчики",
                    },
                ),
                migrations.CreateModel(
                    name="ReportPhoto",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "image",
                            models.ImageField(
                                upload_to="reports/%Y/%m/", verbose_name="фото"
                            ),
                        ),
                        ("width", models.PositiveIntegerField(verbose_name="ширина")),
                        ("height", models.PositiveIntegerField(verbose_name="высота")),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, verbose_name="загружено"
                            ),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="photos",
                                to="reports.problemreport",
                                verbose_name="сообщение",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "фото",
                        "verbose_name_plural": "фото",
                        "ordering": ["pk"],
                    },
                ),
                migrations.CreateModel(
                    name="ReportUpdate",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("moderation", "на модерации"),
                                    ("open", "открыто"),
                                    ("in_progress", "в работе"),
                                    ("planned", "запланировано"),
                                    ("fixed", "решено"),
                                    ("closed", "закрыто без решения"),
                                    ("duplicate", "дубликат"),
                                    ("not_responsible", "не в компетенции"),
                                    ("hidden", "скрыто"),
                                ],
                                max_length=16,
                                verbose_name="новый статус",
                            ),
                        ),
                        (
                            "previous_status",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("moderation", "на модерации"),
                                    ("open", "открыто"),
                                    ("in_progress", "в работе"),
                                    ("planned", "запланировано"),
                                    ("fixed", "решено"),
                                    ("closed", "закрыто без решения"),
                                    ("duplicate", "дубликат"),
                                    ("not_responsible", "не в компетенции"),
                                    ("hidden", "скрыто"),
                                ],
                                max_length=16,
                                verbose_name="прежний статус",
                            ),
                        ),
                        (
                            "comment",
                            models.TextField(
                                blank=True, max_length=4000, verbose_name="комментарий"
                            ),
                        ),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("reporter", "заявитель"),
                                    ("specialist", "специалист"),
                                    ("tos_chair", "председатель ТОС"),
                                    ("system", "система"),
                                ],
                                max_length=16,
                                verbose_name="кто",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, db_index=True, verbose_name="когда"
                            ),
                        ),
                        (
                            "author",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="автор",
                            ),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="updates",
                                to="reports.problemreport",
                                verbose_name="сообщение",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "запись хроники",
                        "verbose_name_plural": "хроника сообщения",
                        "ordering": ["created_at", "pk"],
                    },
                ),
                migrations.AddField(
                    model_name="category",
                    name="responsible",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="categories",
                        to="reports.responsiblebody",
                        verbose_name="кто отвечает",
                    ),
                ),
                migrations.CreateModel(
                    name="Support",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("voter", models.CharField(editable=False, max_length=64)),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, verbose_name="когда"
                            ),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="supports",
                                to="reports.problemreport",
                                verbose_name="сообщение",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "поддержка",
                        "verbose_name_plural": "поддержки",
                    },
                ),
                migrations.AddIndex(
                    model_name="problemreport",
                    index=django.contrib.postgres.indexes.GistIndex(
                        fields=["geom"], name="problemreport_geom_gist"
                    ),
                ),
                migrations.AddIndex(
                    model_name="problemreport",
                    index=models.Index(
                        fields=["status", "category"], name="report_status_category"
                    ),
                ),
                migrations.AddIndex(
                    model_name="problemreport",
                    index=models.Index(
                        fields=["client_hash", "created_at"], name="report_client_time"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="problemreport",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("geom__isvalid", True)),
                        name="problemreport_geom_valid",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="problemreport",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("status", "duplicate"),
                            ("duplicate_of__isnull", True),
                            _connector="OR",
                        ),
                        name="report_duplicate_only_when_duplicate",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="follower",
                    constraint=models.UniqueConstraint(
                        fields=("report", "email"), name="follow_once"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="support",
                    constraint=models.UniqueConstraint(
                        fields=("report", "voter"), name="support_once"
                    ),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
