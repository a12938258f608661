"""A category's questions: one parser (`territories/reports/questions.py`), checked
by model validation (so by the admin), read by every edge through the same
`Question`s."""

from importlib import import_module

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from territories.reports.models import Category
from territories.reports.questions import Choice, Question, parse_questions
from territories.reports.services.answers import clean_answers

from .report_helpers import report_at

seeded = import_module("territories.registry.migrations.0004_report_categories")

WHERE = {
    "code": "where",
    "label": "Где",
    "label_en": "Where",
    "datatype": "singlevaluelist",
    "values": [
        {"key": 1, "name": "во дворе", "name_en": "in the yard"},
        {"key": "road", "name": "у дороги"},
    ],
}


def refusal(raw):
    with pytest.raises(ValidationError) as refused:
        parse_questions(raw)
    (message,) = refused.value.messages
    return message


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ({"code": "x"}, "ожидается список вопросов [...]"),
        (["pole"], "вопрос 1: нужен объект с полем code"),
        ([{"label": "Опора"}], "вопрос 1: нужен объект с полем code"),
        ([{"code": 7, "label": "Опора"}], "вопрос 1: нужен объект с полем code"),
        (
            [{"code": "a", "label": "А"}, {"code": "a", "label": "Б"}],
            "вопрос 2: код «a» повторяется",
        ),
        ([{"code": "a", "label": " "}], "вопрос 1: нужно поле label"),
        (
            [{"code": "a", "label": "А", "datatype": "datetime"}],
            "вопрос 1: datatype одно из "
            "multivaluelist, number, singlevaluelist, string, text",
        ),
        (
            [{"code": "a", "label": "А", "datatype": ["text"]}],
            "вопрос 1: datatype одно из "
            "multivaluelist, number, singlevaluelist, string, text",
        ),
        (
            [{"code": "a", "label": "А", "datatype": "multivaluelist"}],
            "вопрос 1: для списка нужны values: [{key, name}]",
        ),
        (
            [{**WHERE, "values": [{"name": "во дворе"}]}],
            "вопрос 1: для списка нужны values: [{key, name}]",
        ),
        (
            [{**WHERE, "values": [{"key": None, "name": "во дворе"}]}],
            "вопрос 1: для списка нужны values: [{key, name}]",
        ),
        (
            [{**WHERE, "values": [{"key": "1"}, {"key": 1}]}],
            "вопрос 1: вариант «1» повторяется",
        ),
        (
            [{"code": "a", "label": "А", "required": "false"}],
            "вопрос 1: required — true или false",
        ),
        (
            [{"code": "a", "label": "А", "label_en": ["A"]}],
            "вопрос 1: label_en — ожидается строка",
        ),
        (
            [{**WHERE, "values": [{"key": "x", "name_en": 5}]}],
            "вопрос 1: name_en — ожидается строка",
        ),
    ],
)
def test_parser_names_the_question_and_the_reason(raw, reason):
    assert refusal(raw) == reason


def test_a_question_is_typed_with_its_defaults():
    pole, where = parse_questions([{"code": "pole", "label": "Опора"}, WHERE])
    assert pole == Question(code="pole", label="Опора")
    assert where.values == (
        Choice(key="1", name="во дворе", name_en="in the yard"),
        Choice(key="road", name="у дороги"),
    )


def test_only_list_questions_keep_choices():
    (text,) = parse_questions([{**WHERE, "datatype": "text"}])
    assert text.values == ()


def test_a_choice_without_a_name_is_named_by_its_key():
    (question,) = parse_questions([{**WHERE, "values": [{"key": "roof"}]}])
    assert question.values == (Choice(key="roof", name="roof"),)


def test_the_seeded_categories_parse():
    for questions in seeded.QUESTIONS.values():
        assert parse_questions(questions)


@pytest.mark.django_db
def test_model_validation_refuses_bad_questions():
    category = Category(code="t", name="тест", questions=[{"code": "a"}])
    with pytest.raises(ValidationError) as refused:
        category.full_clean()
    assert refused.value.message_dict == {"questions": ["вопрос 1: нужно поле label"]}


@pytest.mark.django_db
def test_a_form_without_the_questions_is_not_refused_for_them():
    category = Category(code="t", name="тест", questions=[{"code": "a"}])
    category.full_clean(exclude=["questions"])


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser("root", password="pw")
    )
    return client


def test_admin_refuses_a_bad_question_list_by_model_validation(admin_client):
    category = Category.objects.get(code="snow")
    response = admin_client.post(
        f"/admin/reports/category/{category.pk}/change/",
        {
            "code": "snow",
            "name": "снег и наледь",
            "questions": '[{"code": "a", "label": "А"}, {"code": "a", "label": "Б"}]',
            "order": 6,
            "active": "on",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {field: list(e) for field, e in errors.items()} == {
        "questions": ["вопрос 2: код «a» повторяется"]
    }
    category.refresh_from_db()
    assert [q["code"] for q in category.questions] == ["where"]


def test_admin_list_edit_of_a_category_with_unreadable_questions_still_saves(
    admin_client,
):
    # Written around the model's validation (a shell, a migration): the list's form
    # has no questions field, so it may not be refused for them.
    Category.objects.filter(code="snow").update(questions={"where": "roof"})
    snow = Category.objects.get(code="snow")
    rows = list(Category.objects.all())
    data = {
        "form-TOTAL_FORMS": len(rows),
        "form-INITIAL_FORMS": len(rows),
        "_save": "Сохранить",
    }
    for n, category in enumerate(rows):
        data |= {
            f"form-{n}-id": category.pk,
            f"form-{n}-order": 99 if category == snow else category.order,
        }
        if category.active:
            data[f"form-{n}-active"] = "on"
    response = admin_client.post("/admin/reports/category/", data)
    assert response.status_code == 302
    snow.refresh_from_db()
    assert snow.order == 99


@pytest.fixture
def counters(db):
    return Category.objects.create(
        code="t-counters",
        name="счётчики (тест)",
        questions=[
            {"code": "pole", "label": "Опора", "label_en": "Pole", "required": True},
            WHERE,
        ],
    )


def test_open311_and_the_map_read_labels_and_choices_from_the_same_questions(
    counters,
):
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    open311 = Client().get("/open311/v2/services/t-counters.json", **english).json()
    categories = Client().get("/", **english).context["report_categories"]
    (on_map,) = [c for c in categories if c["code"] == "t-counters"]
    from_open311 = [
        (a["code"], a["description"], a["required"], a["values"])
        for a in open311["attributes"]
    ]
    from_map = [
        (q["code"], q["label"], q["required"], q["values"]) for q in on_map["questions"]
    ]
    choices = [{"key": "1", "name": "in the yard"}, {"key": "road", "name": "у дороги"}]
    assert (
        from_open311
        == from_map
        == [
            ("pole", "Pole", True, []),
            ("where", "Where", False, choices),
        ]
    )


def test_clean_answers_takes_the_keys_the_forms_offer(counters):
    # The stored key is the number 1; the forms send it as text, as every choice.
    assert clean_answers(counters, {"pole": "7", "where": "1"}) == {
        "pole": "7",
        "where": "1",
    }


@pytest.mark.usefixtures("media")
def test_answers_are_labelled_in_the_language_by_their_choices(district, counters):
    report = report_at(category="t-counters", answers={"pole": "7", "where": "1"})
    assert report.labelled_answers("ru") == [("Опора", "7"), ("Где", "во дворе")]
    with translation.override("en"):
        assert report.labelled_answers() == [("Pole", "7"), ("Where", "in the yard")]


@pytest.mark.usefixtures("media")
def test_workspace_card_shows_choices_by_name(client, district, django_user_model):
    report = report_at(category="snow", answers={"where": "roof"})
    client.force_login(
        django_user_model.objects.create_user("s", password="pw", is_staff=True)
    )
    html = client.get(f"/workspace/reports/{report.pk}/").content.decode()
    assert "<dt>Где именно</dt><dd>крыша, сосульки</dd>" in html
