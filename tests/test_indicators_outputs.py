"""The dashboard's outputs (docs/domain.md, "Indicators"): the CSV files hold the
JSON's figures under a translated header, the ETag changes with every source and
answers 304 otherwise, nothing personal is shown, the page speaks both languages."""

import csv
import io
from datetime import date

import pytest

from territories.indicators.services.tables import TABLES
from territories.registry.models import Tree
from territories.reports.models import ReportUpdate

from .conftest import utm_point
from .event_helpers import REGISTRANT_EMAIL, REGISTRANT_NAME, REGISTRANT_PHONE
from .indicator_helpers import REPORTER_EMAIL, REPORTER_NAME, make_practice

pytestmark = pytest.mark.django_db
URL = "/api/indicators/"


@pytest.fixture
def practice(tos, other_tos):
    return make_practice(tos, other_tos)


def rows_of(client, table, **params):
    response = client.get(f"/indicators/{table}.csv", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def cell(value):
    if value is None or value is False:
        return ""
    return "да" if value is True else str(value)


@pytest.mark.parametrize("params", [{}, {"year": "2018"}])
def test_csv_equals_the_json(client, practice, params):
    figures = client.get(URL, params).json()
    codes = [row["code"] for row in figures["rows"]]
    names = [row["name"] for row in figures["rows"]]

    by_year = rows_of(client, "by_year", **params)
    assert by_year[0] == ["Год", *names]
    assert by_year[1:] == [
        [str(y["year"]), *(cell(y[c]) for c in codes)] for y in figures["by_year"]
    ]
    by_territory = rows_of(client, "by_territory", **params)
    assert by_territory[1:] == [
        [
            t["territory"]["name"] if t["territory"] else "вне ТОС",
            *(cell(t[c]) for c in codes),
        ]
        for t in figures["by_territory"]
    ]
    reports = figures["reports"]
    keys = ["opened", "closed", "fixed", "median_days_to_fix", "fixed_within_target"]
    assert rows_of(client, "reports_by_category", **params)[1:] == [
        [r["category"]["name"], *(cell(r[k]) for k in keys)]
        for r in reports["by_category"]
    ]
    assert rows_of(client, "reports_by_year", **params)[1:] == [
        [str(r["year"]), *(cell(r[k]) for k in keys)] for r in reports["by_year"]
    ]
    passport = rows_of(client, "passport")
    assert [row[1] for row in passport[1:]] == [
        str(p["total"]) for p in figures["passport"]
    ]


def test_every_table_has_a_csv_and_an_english_header(client, practice):
    for table in TABLES:
        assert len(rows_of(client, table)) >= 2, table
    english = client.get("/indicators/by_year.csv", HTTP_ACCEPT_LANGUAGE="en")
    header = next(csv.reader(io.StringIO(english.content.decode("utf-8-sig"))))
    assert header[0] == "Year"
    assert "Activists trained" in header
    assert client.get("/indicators/nothing.csv").status_code == 404


def etag(client, headers=None, **params):
    response = client.get(URL, params, headers=headers)
    assert response.status_code == 200
    return response["ETag"]


def test_etag_changes_with_a_tree_and_a_fix_and_304_otherwise(client, practice):
    first = etag(client)
    assert client.get(URL, HTTP_IF_NONE_MATCH=first).status_code == 304
    assert (
        client.get("/indicators/by_year.csv", HTTP_IF_NONE_MATCH=first).status_code
        == 304
    )
    Tree.objects.create(geom=utm_point(15, 15), planted_on=date(2019, 6, 1))
    second = etag(client)
    assert second != first
    assert client.get(URL, HTTP_IF_NONE_MATCH=second).status_code == 304
    report = next(r for r in practice if r.status == "open")
    report.status = "fixed"
    report.save(update_fields=["status"])
    ReportUpdate.objects.create(report=report, status="fixed", role="specialist")
    third = etag(client)
    assert third not in (first, second)
    assert etag(client, year=2018) != third
    assert etag(client, headers={"Accept-Language": "en"}) != third


def test_etag_follows_every_table_the_dashboard_reads(client, practice):
    from django.db import connection

    from territories.indicators.services.dashboard import TABLES as READ

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name LIKE '%%_touch_layer'"
        )
        watched = {row[0] for row in cursor.fetchall()}
    assert set(READ) - watched == set()


def test_no_personal_data_in_any_output(client, practice):
    outputs = [client.get(URL).content, client.get("/indicators/").content]
    outputs += [client.get(f"/indicators/{t}.csv").content for t in TABLES]
    for body in outputs:
        text = body.decode("utf-8")
        for secret in (
            REPORTER_NAME,
            REPORTER_EMAIL,
            REGISTRANT_NAME,
            REGISTRANT_EMAIL,
            REGISTRANT_PHONE,
            "forum-author",
        ):
            assert secret not in text


def test_the_page_in_russian_and_english(client, practice, tos):
    russian = client.get("/indicators/").content.decode()
    assert "Показатели практики" in russian
    assert "по паспорту практики" in russian
    assert "Реализовано проектов форума" in russian
    assert 'href="/forum/implementation/"' in russian
    assert 'id="indicators-charts"' in russian
    assert "/indicators/by_year.csv" in russian
    english = client.get("/indicators/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The practice" in english or "Indicators" in english
    assert "according to the practice passport" in english
    assert "Projects of the forum" in english


def test_the_demo_notice_while_the_demo_is_loaded(client, practice, monkeypatch):
    from territories.registry import demo
    from territories.registry.templatetags import demo as tag

    assert client.get(URL).json()["illustrative"] is False
    assert demo.demo_notice() not in client.get("/indicators/").content.decode()
    monkeypatch.setattr(tag, "demo_is_loaded", lambda: True)
    page = client.get("/indicators/").content.decode()
    assert demo.demo_notice() in page
