"""Cheap checks first, and a budget for refusals (docs/architecture.md, "Cheap checks
first"): a sender whose submissions keep being refused ends in 429 as one who sends
too many does, on the REST API and on Open311; a refused submission decodes no
photo; what the rate refuses does not count."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import ImageFile

from geo.models import LimitHit
from territories.reports.models import Open311Key, ProblemReport

from .report_helpers import form, image_bytes, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
API = "/api/reports/"
OPEN311 = "/open311/v2/requests.json"
OUTSIDE = 30_000  # metres east of the centre: beyond the test district's edge


def attempts():
    """The counted submission attempts (the refusal budget's hits)."""
    return LimitHit.objects.filter(scope="report-refusals")


@pytest.fixture
def decoded(monkeypatch):
    """Every photo whose pixels Pillow is asked to decode."""
    calls = []
    load = ImageFile.ImageFile.load

    def spy(image):
        calls.append(image.size)
        return load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return calls


def statuses(client, count, data=None, **extra):
    return [
        client.post(API, data or form(dx=OUTSIDE), **extra).status_code
        for _ in range(count)
    ]


def test_fifteen_submissions_outside_the_district_end_in_429(
    client, district, settings
):
    settings.REPORT_HOURLY_REFUSALS = 10
    assert statuses(client, 15) == [400] * 10 + [429] * 5
    response = client.post(API, form())  # even a good one, until the hour is over
    assert response.status_code == 429 and response.json()["field"] == "rate"
    assert 3500 < int(response["Retry-After"]) <= 3600
    assert not ProblemReport.objects.exists()


def test_the_budget_is_the_senders(client, district, settings):
    settings.REPORT_HOURLY_REFUSALS = 2
    assert statuses(client, 3) == [400, 400, 429]
    other = {"REMOTE_ADDR": "192.0.2.99"}
    assert statuses(client, 1, **other) == [400]
    user = get_user_model().objects.create_user("resident", password="x")
    client.force_login(user)  # the same address, signed in: counted on its own
    assert statuses(client, 1) == [400]


@pytest.mark.parametrize(
    "fields",
    [
        {"dx": OUTSIDE},
        {"description": ""},
        {"category": "no-such-category"},
        {"lat": "north"},
    ],
    ids=["outside", "no description", "unknown category", "bad latitude"],
)
def test_a_refused_submission_decodes_no_photo(client, district, decoded, fields):
    dx = fields.pop("dx", 0)
    photos = [upload(image_bytes(size=(800, 600)), name=f"{n}.jpg") for n in "ab"]
    response = client.post(API, {**form(dx=dx, **fields), "photos": photos})
    assert response.status_code == 400 and response.json()["field"] != "photos"
    assert decoded == []


def test_an_open311_request_refused_for_its_place_decodes_no_photo(
    client, district, decoded
):
    _key, plain = Open311Key.issue("with photos")
    data = {
        "api_key": plain,
        "service_code": "lighting",
        "lat": "52.0",
        "long": "110.0",  # outside the district
        "description": "Не горит фонарь",
        "media": upload(image_bytes(size=(800, 600))),
    }
    response = client.post(OPEN311, data)
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("lat: ")
    assert decoded == []


def test_over_the_quota_a_photo_is_neither_decoded_nor_counted(
    client, district, settings, decoded
):
    settings.REPORT_HOURLY_QUOTA = 1
    assert client.post(API, form()).status_code == 201
    photo = upload(image_bytes(size=(800, 600)))
    response = client.post(API, {**form(), "photos": photo})
    assert response.status_code == 429 and decoded == []
    assert not attempts().exists()


def test_accepted_reports_leave_no_attempt_behind(client, district, settings):
    settings.REPORT_HOURLY_REFUSALS = 1
    assert statuses(client, 3, form()) == [201] * 3
    assert not attempts().exists()


def test_a_body_refused_unread_counts(client, district, settings):
    settings.REPORT_HOURLY_REFUSALS = 2
    settings.REPORT_MAX_PHOTO_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    answers = [
        client.post(API, {**form(), "photos": upload(b"\xff" * 5000)}).status_code
        for _ in range(3)
    ]
    assert answers == [413, 413, 429]


def test_an_exhausted_budget_answers_before_the_body_is_read(
    client, district, settings
):
    settings.REPORT_HOURLY_REFUSALS = 1
    assert statuses(client, 1) == [400]
    response = client.post(API, "{not json", content_type="application/json")
    assert response.status_code == 429


def test_refusals_an_hour_old_no_longer_count(client, district, settings):
    settings.REPORT_HOURLY_REFUSALS = 2
    assert statuses(client, 3) == [400, 400, 429]
    attempts().update(at=timezone.now() - timedelta(minutes=61))
    assert statuses(client, 1, form()) == [201]


def test_retry_after_says_when_the_oldest_refusal_expires(client, district, settings):
    settings.REPORT_HOURLY_REFUSALS = 2
    assert statuses(client, 2) == [400, 400]
    oldest = attempts().earliest("at")
    oldest.at -= timedelta(minutes=50)
    oldest.save()
    response = client.post(API, form(dx=OUTSIDE))
    assert response.status_code == 429
    assert 500 < int(response["Retry-After"]) <= 600


def test_staff_have_no_refusal_budget(client, district, settings):
    settings.REPORT_HOURLY_REFUSALS = 1
    staff = get_user_model().objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    assert statuses(client, 3) == [400] * 3


@pytest.mark.parametrize(
    ("change", "refused"),
    [
        ({"lat": "52.0", "long": "110.0"}, 400),  # outside the district
        ({"service_code": "no-such-service"}, 404),
        ({"long": ""}, 400),  # a point needs both coordinates
    ],
    ids=["outside", "unknown service", "no longitude"],
)
def test_open311_refusals_of_one_key_end_in_429(
    client, district, settings, change, refused
):
    settings.REPORT_HOURLY_REFUSALS = 2
    _key, plain = Open311Key.issue("flood")
    data = {
        "api_key": plain,
        "service_code": "lighting",
        "lat": form()["lat"],
        "long": form()["lon"],
        "description": "Не горит фонарь",
        **change,
    }
    answers = [client.post(OPEN311, data) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [refused, refused, 429]
    error = answers[-1].json()[0]
    assert error["code"] == 429 and error["description"].startswith("rate: ")
    assert 3500 < int(answers[-1]["Retry-After"]) <= 3600
