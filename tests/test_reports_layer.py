"""The `reports` map layer: public fields only, hidden reports left out, moderation
without text, filters by status, category and age.

Run alone: TEST_DATABASE_NAME=test_rlayer .venv/bin/pytest tests/test_reports_layer.py
"""

import json
from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from territories.reports.models import ProblemReport
from territories.reports.services import change_status, submit_report

from .conftest import CENTRE
from .report_helpers import specialist

pytestmark = pytest.mark.django_db

NAME = "Иван Петрович Сидоров"
EMAIL = "ivan.sidorov@example.org"
PHONE = "+7 (902) 555-12-34"


def report(category="lighting", dx=0, status=None, description="Не горит фонарь"):
    point = Point(CENTRE.x + dx, CENTRE.y, srid=CENTRE.srid).transform(4326, clone=True)
    data = {
        "lat": point.y,
        "lon": point.x,
        "category": category,
        "description": description,
        "name": NAME,
        "email": EMAIL,
        "phone": PHONE,
        "show_name": False,
    }
    created, _token = submit_report(data, source="web", client_hash=f"t{dx}")
    if status:
        change_status(created, "open", by=specialist())
        if status != "open":
            change_status(created, status, by=specialist())
    return created


def fetch(client, query=""):
    response = client.get(f"/api/layers/reports/{query}")
    content = b"".join(response.streaming_content) if response.streaming else None
    return response, content


def features(client, query=""):
    response, content = fetch(client, query)
    assert response.status_code == 200, response.content
    collection = json.loads(content)
    assert collection["type"] == "FeatureCollection"
    return {feature["id"]: feature for feature in collection["features"]}


def test_layer_is_a_feature_collection_of_points(client, district):
    published = report(status="open")
    found = features(client, "?bbox=103.8,52.5,104.0,52.6")
    feature = found[published.pk]
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "Point"
    lon, lat = feature["geometry"]["coordinates"]
    assert lon == pytest.approx(103.888, abs=1e-4)
    assert lat == pytest.approx(52.5406, abs=1e-4)
    properties = feature["properties"]
    assert properties["category"] == "lighting"
    assert properties["category_name"] == "освещение"
    assert properties["status"] == "open"
    assert properties["support_count"] == 0
    assert properties["description"] == "Не горит фонарь"
    assert properties["url"] == f"/reports/{published.pk}/"
    assert properties["created_at"].startswith(str(timezone.now().year))


def test_hidden_reports_are_left_out(client, district):
    shown = report(status="open", dx=10)
    hidden = report(status="hidden", dx=20)
    found = features(client)
    assert shown.pk in found and hidden.pk not in found


def test_reports_awaiting_moderation_show_no_text(client, district):
    waiting = report(description="Секретный текст до модерации")
    response, content = fetch(client)
    properties = json.loads(content)["features"][0]["properties"]
    assert properties["status"] == "moderation"
    assert properties["description"] is None
    assert "Секретный текст" not in content.decode()
    assert waiting.pk == json.loads(content)["features"][0]["id"]


def test_no_personal_data_in_the_layer(client, district):
    report(status="open")
    report()
    _response, content = fetch(client)
    text = content.decode()
    for secret in (NAME, EMAIL, PHONE, "Сидоров", "555-12-34", "example.org"):
        assert secret not in text
    properties = json.loads(text)["features"][0]["properties"]
    assert set(properties) == {
        "category",
        "category_name",
        "status",
        "created_at",
        "support_count",
        "description",
        "url",
    }


def test_filters_by_status_category_and_age(client, district):
    lamp = report(status="open", dx=10)
    waste = report("waste", status="in_progress", dx=20)
    fixed = report(status="fixed", dx=30)
    old = report(status="open", dx=40)
    ProblemReport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    assert set(features(client, "?status=open")) == {lamp.pk, old.pk}
    assert set(features(client, "?status=in_progress,fixed")) == {waste.pk, fixed.pk}
    assert set(features(client, "?category=waste")) == {waste.pk}
    assert set(features(client, "?category=lighting&status=open&age=30")) == {lamp.pk}
    since = (timezone.now() - timedelta(days=30)).date().isoformat()
    assert old.pk not in features(client, f"?since={since}")


@pytest.mark.parametrize(
    "query, field",
    [
        ("?status=hidden", "status"),
        ("?status=open,bogus", "status"),
        ("?age=week", "age"),
        ("?age=-1", "age"),
        ("?since=yesterday", "since"),
        ("?reporter_email=x", "reporter_email"),
    ],
)
def test_bad_filters_are_refused_naming_the_parameter(client, district, query, field):
    response = client.get(f"/api/layers/reports/{query}")
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_one_report_feature_hides_personal_data_too(client, district):
    waiting = report()
    response = client.get(f"/api/layers/reports/{waiting.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert EMAIL not in text and NAME not in text and PHONE not in text
    assert json.loads(text)["properties"]["description"] is None


def test_a_hidden_report_is_not_served_alone(client, district):
    hidden = report(status="hidden")
    assert client.get(f"/api/layers/reports/{hidden.pk}/").status_code == 404
