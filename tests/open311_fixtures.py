"""Categories, keys and reports for the Open311 tests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from territories.reports.models import (
    Category,
    Open311Key,
    ProblemReport,
    ResponsibleBody,
)

from .conftest import utm_point

BASE = "/open311/v2/"
LAT, LON = 52.5406, 103.8880  # the centre of Angarsk, inside the test district
SECRETS = ("Секретов", "secret@example.org", "+7 900 111-22-33")
Status = ProblemReport.Status


@pytest.fixture
def body(db):
    return ResponsibleBody.objects.get_or_create(
        name="Отдел благоустройства (тест)", defaults={"kind": "department"}
    )[0]


@pytest.fixture
def lamps(body):
    return Category.objects.create(
        code="t-lamps",
        name="фонари (тест)",
        name_en="street lamps (test)",
        description="Не горит фонарь во дворе",
        responsible=body,
        questions=[
            {
                "code": "pole",
                "label": "Номер опоры",
                "datatype": "string",
                "required": True,
            },
            {
                "code": "where",
                "label": "Где",
                "datatype": "singlevaluelist",
                "values": [
                    {"key": "yard", "name": "во дворе"},
                    {"key": "road", "name": "у дороги"},
                ],
            },
            {
                "code": "kinds",
                "label": "Что не так",
                "datatype": "multivaluelist",
                "values": [
                    {"key": "dark", "name": "не горит"},
                    {"key": "blink", "name": "мигает"},
                ],
            },
        ],
        order=100,
    )


@pytest.fixture
def litter(body):
    return Category.objects.create(
        code="t-litter", name="мусор (тест)", responsible=body
    )


@pytest.fixture
def key(db):
    return Open311Key.issue("тестовый клиент")[1]


def make_report(category, status=Status.OPEN, days_ago=0, **fields):
    report = ProblemReport.objects.create(
        category=category,
        description=fields.pop("description", "Не горит фонарь"),
        status=status,
        geom=utm_point(0, 0),
        source=ProblemReport.Source.WEB,
        reporter_name="Пётр " + SECRETS[0],
        reporter_email=SECRETS[1],
        reporter_phone=SECRETS[2],
        **fields,
    )
    if days_ago:
        moment = timezone.now() - timedelta(days=days_ago)
        ProblemReport.objects.filter(pk=report.pk).update(created_at=moment)
    return report
