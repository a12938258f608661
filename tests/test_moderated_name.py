"""Moderation covers the reporter's name too (issue #7): sent with show_name, a name
such as a spam link appeared at once on every public output while the report was
still «на модерации». Each output is asked here, during moderation (nothing) and,
where the name is public at all, after publication (the name).

Run alone: TEST_DATABASE_NAME=test_modname .venv/bin/pytest tests/test_moderated_name.py
"""

import json

import pytest

from territories.reports.services import change_status

from .report_helpers import lat_lon, report_at, specialist

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
SPAM = "BUY CHEAP PILLS http://spam.example"


@pytest.fixture
def waiting(district):
    """A report under moderation whose reporter asked to show a spam «name»."""
    return report_at(
        status="moderation", category="lighting", name=SPAM, show_name=True
    )


def publish(report):
    change_status(report, "open", by=specialist())


def text(response):
    assert response.status_code == 200, response.content
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_api_list_and_detail_show_the_name_only_once_published(client, waiting):
    listed = client.get("/api/reports/").json()["results"]
    assert [row["reporter_name"] for row in listed] == [""]
    detail = client.get(f"/api/reports/{waiting.pk}/").json()
    assert detail["reporter_name"] == ""
    publish(waiting)
    assert client.get("/api/reports/").json()["results"][0]["reporter_name"] == SPAM
    assert client.get(f"/api/reports/{waiting.pk}/").json()["reporter_name"] == SPAM


def test_api_answer_to_the_submission_shows_no_name_yet(client, district):
    lat, lon = lat_lon()
    fields = {"lat": lat, "lon": lon, "category": "lighting", "description": "Темно"}
    response = client.post("/api/reports/", {**fields, "name": SPAM, "show_name": "1"})
    assert response.status_code == 201, response.content
    assert response.json()["reporter_name"] == ""


def test_api_nearby_never_shows_a_name(client, waiting):
    publish(waiting)
    lat, lon = lat_lon()
    body = text(
        client.get(f"/api/reports/nearby/?lat={lat}&lon={lon}&category=lighting")
    )
    assert str(waiting.pk) in body and SPAM not in body


def test_report_page_shows_the_name_only_once_published(client, waiting):
    assert SPAM not in text(client.get(f"/reports/{waiting.pk}/"))
    publish(waiting)
    assert SPAM in text(client.get(f"/reports/{waiting.pk}/"))


def test_atom_entry_has_no_author_until_published(client, waiting):
    body = text(client.get("/feeds/reports.atom"))
    assert f"/reports/{waiting.pk}/" in body and SPAM not in body
    publish(waiting)
    assert f"<name>{SPAM}</name>" in text(client.get("/feeds/reports.atom"))


def test_atom_timeline_of_a_report_never_names_the_reporter(client, waiting):
    publish(waiting)
    assert SPAM not in text(client.get(f"/feeds/reports/{waiting.pk}.atom"))


def before_and_after_publication(report, check):
    check()
    publish(report)
    check()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_never_shows_the_name(client, waiting, fmt):
    def check():
        for path in ("requests", f"requests/{waiting.pk}"):
            body = text(client.get(f"/open311/v2/{path}.{fmt}"))
            assert str(waiting.pk) in body and SPAM not in body

    before_and_after_publication(waiting, check)


def test_reports_layer_never_shows_the_name(client, waiting):
    def check():
        collection = json.loads(text(client.get("/api/layers/reports/")))
        assert [f["id"] for f in collection["features"]] == [waiting.pk]
        assert SPAM not in json.dumps(collection, ensure_ascii=False)

    before_and_after_publication(waiting, check)


def test_staff_see_the_name_in_the_workspace_during_moderation(client, waiting):
    client.force_login(specialist().account)
    card = text(client.get(f"/workspace/reports/{waiting.pk}/"))
    assert SPAM in card and "показывается публично" in card
