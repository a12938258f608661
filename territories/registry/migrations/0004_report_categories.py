"""The ten report categories of the practice and who answers for them. They are data:
the support centre edits them in the admin (names of the bodies included)."""

from django.db import migrations

from geo.migrations_util import touch_layer_triggers

COMPANY = "Управляющая компания дома"
DEPARTMENT = "Администрация Ангарского городского округа"
CATEGORIES = [
    ("yard", "благоустройство двора", "yard improvement", COMPANY),
    ("lighting", "освещение", "street lighting", DEPARTMENT),
    ("waste", "мусор и контейнерные площадки", "waste and container sites", COMPANY),
    (
        "grounds",
        "детские и спортивные площадки",
        "playgrounds and sport grounds",
        DEPARTMENT,
    ),
    ("greenery", "зелёные насаждения", "trees and greenery", DEPARTMENT),
    ("roads", "дороги и проезды", "roads and inner drives", DEPARTMENT),
    ("snow", "снег и наледь", "snow and ice", COMPANY),
    ("building", "подъезд и МКД", "entrance and apartment building", COMPANY),
    ("animals", "бездомные животные", "stray animals", DEPARTMENT),
    ("other", "другое", "other", DEPARTMENT),
]
QUESTIONS = {
    "lighting": [
        {
            "code": "pole",
            "label": "Номер опоры, если виден",
            "label_en": "Pole number, if visible",
            "datatype": "string",
            "required": False,
        },
    ],
    "snow": [
        {
            "code": "where",
            "label": "Где именно",
            "label_en": "Where exactly",
            "datatype": "singlevaluelist",
            "required": False,
            "values": [
                {"key": "roof", "name": "крыша, сосульки"},
                {"key": "drive", "name": "проезд"},
                {"key": "path", "name": "тротуар, дорожка"},
            ],
        },
    ],
}


def seed(apps, schema_editor, app_label="territories"):
    """Also used by tests to seed again after a flush, with the models' label today."""
    body_model = apps.get_model(app_label, "ResponsibleBody")
    category_model = apps.get_model(app_label, "Category")
    bodies = {
        COMPANY: body_model.objects.get_or_create(
            name=COMPANY, defaults={"kind": "management_company"}
        )[0],
        DEPARTMENT: body_model.objects.get_or_create(
            name=DEPARTMENT, defaults={"kind": "department"}
        )[0],
    }
    for order, (code, name, name_en, body) in enumerate(CATEGORIES):
        category_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "responsible": bodies[body],
                "questions": QUESTIONS.get(code, []),
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("territories", "0003_problem_reports")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        touch_layer_triggers("territories_problemreport"),
    ]
