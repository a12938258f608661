"""Hostile input against the report endpoints: each test is a request that once
answered 500 (or leaked, or let a flood through) and must now be a clean refusal."""

import io
import json

import pytest
from PIL import Image

from territories.reports.models import (
    Category,
    Open311Key,
    ProblemReport,
    ReportPhoto,
    ReportUpdate,
    Support,
)
from territories.reports.services import change_status, submit_report

from .conftest import utm_point
from .report_helpers import specialist

API = "/api/reports/"
OPEN311 = "/open311/v2/"


def lat_lon(dx=0, dy=0):
    point = utm_point(dx, dy).transform(4326, clone=True)
    return point.y, point.x


@pytest.fixture
def categories(db):
    Category.objects.create(code="t-yard", name="двор (тест)")
    return Category.objects.create(
        code="t-count",
        name="сколько",
        questions=[{"code": "n", "label": "Сколько", "datatype": "number"}],
    )


def form(**fields):
    lat, lon = lat_lon()
    return {
        "lat": lat,
        "lon": lon,
        "category": "t-yard",
        "description": "Яма",
        **fields,
    }


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def stored_nothing():
    return not (ProblemReport.objects.exists() or ReportUpdate.objects.exists())


def report(status="open", **fields):
    made, token = submit_report(form(**fields), source="web", client_hash="h")
    for step in {"open": ["open"], "fixed": ["open", "fixed"]}.get(status, []):
        change_status(made, step, by=specialist())
    return made, token


def png(size):
    buffer = io.BytesIO()
    Image.new("1", size).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "bomb.png"
    return buffer


# --- text that PostgreSQL or UTF-8 cannot carry ----------------------------------


@pytest.mark.parametrize("body", ["form", "json"])
def test_nul_in_the_category_is_refused_naming_it(client, district, categories, body):
    data = form(category="t-yard\x00")
    if body == "json":
        response = post_json(client, API, data)
    else:
        response = client.post(API, data)
    assert response.status_code == 400
    assert response.json()["field"] == "category"
    assert stored_nothing()


@pytest.mark.parametrize("field", ["description", "name", "category", "phone"])
def test_a_lone_surrogate_in_json_text_is_refused(client, district, categories, field):
    response = post_json(client, API, form(**{field: "x\ud800"}))
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert stored_nothing()


def test_a_lone_surrogate_as_an_answer_code_is_refused(client, district, categories):
    response = post_json(client, API, form(answers={"\ud800": "1"}))
    assert response.status_code == 400 and stored_nothing()


def test_a_lone_surrogate_token_is_refused(client, district, categories):
    made, _token = report("fixed")
    response = post_json(client, f"{API}{made.pk}/reopen/", {"token": "\ud800"})
    assert response.status_code in (400, 403)
    made.refresh_from_db()
    assert made.status == "fixed"


def test_a_lone_surrogate_in_a_reopen_comment_is_dropped(client, district, categories):
    made, token = report("fixed")
    response = post_json(
        client, f"{API}{made.pk}/reopen/", {"token": token, "comment": "не\ud800 так"}
    )
    assert response.status_code == 200
    assert made.updates.last().comment == "не так"


@pytest.mark.parametrize("value", ["nan", "inf", "-1e999"])
def test_a_number_answer_must_be_finite(client, district, categories, value):
    response = client.post(API, form(category="t-count", **{"answers[n]": value}))
    assert response.status_code == 400
    assert response.json()["field"] == "answers.n"
    assert stored_nothing()


# --- photos -------------------------------------------------------------------------


def test_a_photo_over_the_pixel_limit_is_refused(
    client, district, categories, media, settings
):
    # Pillow itself only warns up to twice its own limit; ours refuses 1.2 × the cap.
    settings.REPORT_PHOTO_MAX_PIXELS = 10_000
    response = client.post(API, {**form(), "photos": png((120, 100))})
    assert response.status_code == 400
    assert response.json()["field"] == "photos"
    assert "bomb.png" in response.json()["error"]
    assert stored_nothing() and not ReportPhoto.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


# --- dates and numbers that leave the calendar --------------------------------------


@pytest.mark.parametrize(
    "since", ["2024-02-30T10:00", "2024-13-01T00:00", "9999-12-31T23:59:59-23:59"]
)
def test_an_impossible_since_is_a_400(client, db, since):
    response = client.get(API, {"since": since})
    assert response.status_code == 400
    assert response.json()["field"] == "since"


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "9999-12-31"},
        {"end_date": "0001-01-01"},
    ],
)
def test_an_open311_window_off_the_calendar_is_a_400(client, db, params):
    response = client.get(OPEN311 + "requests.json", params)
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


def test_an_offset_beyond_postgresqls_is_taken_in_utc(client, db):
    response = client.get(
        OPEN311 + "requests.json", {"start_date": "2026-01-01T00:00:00-23:59"}
    )
    assert response.status_code == 200
    response = client.get(API, {"since": "2026-01-01T00:00:00+23:59"})
    assert response.status_code == 200


def test_a_huge_age_on_the_reports_layer_is_a_400(client, db):
    response = client.get("/api/layers/reports/", {"age": "99999999999999999999"})
    assert response.status_code == 400
    assert response.json()["field"] == "age"


def test_nul_in_a_layer_filter_is_a_400_before_streaming(client, db):
    response = client.get("/api/layers/reports/", {"category": "\x00"})
    assert response.status_code == 400
    assert response.json()["field"] == "category"


# --- Open311 ------------------------------------------------------------------------


def test_open311_shows_no_description_or_photo_before_moderation(
    client, district, categories, media
):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "yard.jpg"
    secret = "Позвоните мне: +7 902 555 01 99"
    response = client.post(API, {**form(description=secret), "photos": buffer})
    pk = response.json()["id"]
    url = f"{OPEN311}requests/{pk}.json"
    (data,) = client.get(url).json()
    assert data["description"] is None and data["media_url"] is None
    assert secret not in client.get(f"{OPEN311}requests/{pk}.xml").content.decode()
    assert secret not in client.get(OPEN311 + "requests.json").content.decode()

    change_status(ProblemReport.objects.get(pk=pk), "open", by=specialist())
    (data,) = client.get(url).json()
    assert data["description"] == secret
    # The link works: it is the photo view, not the unserved MEDIA_ROOT.
    assert client.get(data["media_url"]).status_code == 200


def test_an_oversized_open311_post_is_a_413_in_the_spec_format(
    client, district, categories
):
    _key, plain = Open311Key.issue("test")
    data = {
        "api_key": plain,
        "service_code": "t-yard",
        "lat": lat_lon()[0],
        "long": lat_lon()[1],
        "description": "x" * (5 * 1024 * 1024),
    }
    response = client.post(OPEN311 + "requests.json", data)
    assert response.status_code == 413
    assert response.json()[0]["code"] == 413
    assert stored_nothing()


# --- «меня тоже» floods -------------------------------------------------------------


def test_supports_from_one_address_without_cookies_are_capped(
    client, district, categories, settings
):
    settings.REPORT_SUPPORT_HOURLY_PER_ADDRESS = 3
    made, _token = report("open")
    url = f"{API}{made.pk}/support/"
    answers = []
    for _ in range(5):
        client.cookies.clear()  # a fresh "browser" each time
        answers.append(client.post(url).status_code)
    assert answers == [200, 200, 200, 429, 429]
    made.refresh_from_db()
    assert made.support_count == 3 == Support.objects.filter(report=made).count()


def test_a_repeat_vote_at_the_cap_is_answered_as_a_repeat(
    client, district, categories, settings
):
    settings.REPORT_SUPPORT_HOURLY_PER_ADDRESS = 1
    made, _token = report("open")
    url = f"{API}{made.pk}/support/"
    assert client.post(url).json()["counted"] is True
    again = client.post(url)  # the same browser: its cookie was kept
    assert again.status_code == 200 and again.json()["counted"] is False
