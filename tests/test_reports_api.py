"""The reports API: submission (multipart, hostile input, quota, size cap), the public
list and detail (no personal data, moderation without text), nearby, support, reopen,
forget-me, follow, the schema.

Run alone: TEST_DATABASE_NAME=test_reports .venv/bin/pytest tests/test_reports_api.py
"""

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from PIL import Image

from geo.requester import Requester
from territories.reports.models import ProblemReport, ReportPhoto, Support
from territories.reports.services import change_status

from .jobs import JOBS, run_jobs
from .report_helpers import (
    EMAIL,
    GPS_IFD,
    NAME,
    PHONE,
    counts,
    form,
    gps_exif,
    image_bytes,
    lat_lon,
    make_places,
    make_report,
    media_files,
    specialist,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
URL = "/api/reports/"


def post(client, data, **extra):
    return client.post(URL, data, **extra)


def assert_refused(response, field, status=400):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["field"] == field and body["error"]


# --- submission ------------------------------------------------------------------


def test_anonymous_multipart_submission(client, district):
    territory, yard, building = make_places(district)
    photo = upload(image_bytes(exif=gps_exif()))
    data = form(photos=[photo], name=NAME, email=EMAIL, phone=PHONE)
    response = post(client, data)
    assert response.status_code == 201, response.content
    body = response.json()
    report = ProblemReport.objects.get(pk=body["id"])
    assert body["status"] == "moderation" and body["status_label"] == "на модерации"
    assert body["category"] == {"code": "lighting", "name": "освещение"}
    assert body["territory"] == {"id": territory.pk, "name": "Перекресток"}
    assert body["yard"]["id"] == yard.pk and body["building"]["id"] == building.pk
    assert report.manage_token_matches(body["manage_token"])
    assert body["manage_url"].endswith(
        f"/reports/{report.pk}/?token={body['manage_token']}"
    )
    assert (report.reporter_email, report.photos.count()) == (EMAIL, 1)
    assert report.source == "api" and report.user is None


def test_plain_client_posts_without_csrf(district):
    strict = Client(enforce_csrf_checks=True)
    assert post(strict, form()).status_code == 201


def test_signed_in_browser_needs_csrf_and_gets_the_report_linked(district):
    user = get_user_model().objects.create_user("resident", password="x")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert_refused(post(strict, form()), "csrf", 403)
    relaxed = Client()
    relaxed.force_login(user)
    response = post(relaxed, form(), HTTP_SEC_FETCH_SITE="same-origin")
    report = ProblemReport.objects.get(pk=response.json()["id"])
    assert (report.user, report.source) == (user, "web")


def test_answers_as_form_fields_and_as_json(district):
    response = post(
        client := Client(), form(category="snow", **{"answers[where]": "roof"})
    )
    assert response.status_code == 201, response.content
    text = json.dumps({"where": "drive"})
    response = post(client, form(category="snow", answers=text))
    assert ProblemReport.objects.get(pk=response.json()["id"]).answers == {
        "where": "drive"
    }


def test_outside_the_district_is_400_on_lat(client, district):
    assert_refused(post(client, form(dx=60_000)), "lat")


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"lat": ""}, "lat"),
        ({"lon": "east"}, "lon"),
        ({"category": "unicorns"}, "category"),
        ({"description": ""}, "description"),
        ({"email": "@@"}, "email"),
        ({"phone": "<b>"}, "phone"),
        ({"answers[colour]": "red"}, "answers.colour"),
        ({"answers": "{not json"}, "answers"),
    ],
)
def test_refusal_names_the_field_and_stores_nothing(client, district, fields, field):
    data = form(photos=[upload(image_bytes())], **fields)
    assert_refused(post(client, data), field)
    assert counts() == [0, 0, 0, 0] and media_files() == []


def test_json_body_that_is_not_an_object_is_refused(client, district):
    response = client.post(URL, "[1, 2]", content_type="application/json")
    assert_refused(response, "body")
    report, _token = make_report(status="fixed")
    response = client.post(f"{URL}{report.pk}/reopen/", "7", "application/json")
    assert_refused(response, "body")


def test_text_file_named_jpg_is_refused_and_stores_nothing(client, district):
    good = upload(image_bytes(), name="a.jpg")
    bad = upload(b"#!/bin/sh\necho pwned\n", name="b.jpg")
    assert_refused(post(client, form(photos=[good, bad])), "photos")
    assert counts() == [0, 0, 0, 0] and media_files() == []


def test_four_photos_are_refused(client, district):
    photos = [upload(image_bytes(), name=f"{i}.jpg") for i in range(4)]
    assert_refused(post(client, form(photos=photos)), "photos")
    assert counts() == [0, 0, 0, 0] and media_files() == []


def test_png_named_jpg_is_accepted(client, district):
    photo = upload(image_bytes("PNG"), name="x.jpg", content_type="image/jpeg")
    assert post(client, form(photos=[photo])).status_code == 201
    assert [p.suffix for p in media_files()] == [".png"]


def test_exif_gps_is_gone_from_the_stored_photo(client, district):
    post(client, form(photos=[upload(image_bytes(exif=gps_exif()))]))
    (path,) = media_files()
    exif = Image.open(path).getexif()
    assert len(exif) == 0 and not exif.get_ifd(GPS_IFD)


def test_file_over_the_cap_is_refused(client, district, settings):
    settings.REPORT_MAX_PHOTO_BYTES = 2000
    photo = upload(image_bytes(size=(300, 300)) + b"\0" * 2000)
    assert_refused(post(client, form(photos=[photo])), "photos")
    assert counts() == [0, 0, 0, 0] and media_files() == []


def test_body_over_the_request_cap_is_413_on_photos(client, district, settings):
    settings.REPORT_MAX_PHOTO_BYTES = 1000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    photo = upload(b"\xff" * 5000)
    assert_refused(post(client, form(photos=[photo])), "photos", 413)
    assert counts() == [0, 0, 0, 0]


def test_request_data_too_big_is_json_on_photos(client, district, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    settings.REPORT_MAX_PHOTO_BYTES = 10_000  # the whole body is under the cap
    data = form(description="я" * 1500)  # but the text fields are not
    assert_refused(post(client, data), "photos", 413)
    assert counts() == [0, 0, 0, 0]


def test_quota_then_429_on_rate(client, district, settings):
    settings.REPORT_HOURLY_QUOTA = 2
    assert [post(client, form()).status_code for _ in range(2)] == [201, 201]
    assert_refused(post(client, form()), "rate", 429)
    other = post(client, form(), REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 201 and ProblemReport.objects.count() == 3


def test_script_in_description_is_kept_as_text(client, district):
    text = '<script>alert("x")</script> & <b>фонарь</b>'
    report_id = post(client, form(description=text)).json()["id"]
    change_status(ProblemReport.objects.get(pk=report_id), "open", by=specialist())
    assert ProblemReport.objects.get(pk=report_id).description == text
    response = client.get(f"{URL}{report_id}/")
    assert response["Content-Type"] == "application/json"
    assert response.json()["description"] == text


# --- public list and detail -----------------------------------------------------


def secrets_of(report):
    values = [NAME, EMAIL, PHONE, report.client_hash, report.manage_token_hash]
    return [value for value in values if value]


def test_no_personal_data_in_list_detail_or_nearby(client, district):
    report, token = make_report(status="open")
    user = get_user_model().objects.create_user("secret-login-name", is_staff=True)
    ProblemReport.objects.filter(pk=report.pk).update(user=user)
    change_status(report, "in_progress", by=Requester(user))
    lat, lon = lat_lon()
    pages = [
        client.get(URL).content.decode(),
        client.get(f"{URL}{report.pk}/").content.decode(),
        client.get(
            f"{URL}nearby/?lat={lat}&lon={lon}&category=lighting"
        ).content.decode(),
    ]
    for page in pages:
        assert str(report.pk) in page
        for secret in [*secrets_of(report), token, "secret-login-name"]:
            assert secret not in page
    detail = client.get(f"{URL}{report.pk}/").json()
    assert not {"user", "author", "email", "phone"} & set(detail)
    assert all("author" not in update for update in detail["updates"])
    assert detail["reporter_name"] == ""


def test_name_shown_only_when_the_reporter_chose_it(client, district):
    report, _token = make_report(status="open", show_name="on")
    assert client.get(f"{URL}{report.pk}/").json()["reporter_name"] == NAME


def test_hidden_is_404_and_not_listed(client, district):
    report, _token = make_report(status="hidden")
    assert_refused(client.get(f"{URL}{report.pk}/"), "id", 404)
    assert client.get(URL).json()["count"] == 0


def test_moderation_is_listed_without_description_and_photos(client, district):
    response = post(client, form(photos=[upload(image_bytes())]))
    detail = client.get(f"{URL}{response.json()['id']}/").json()
    assert detail["status"] == "moderation"
    assert (detail["description"], detail["photos"]) == (None, [])
    listed = client.get(URL).json()["results"][0]
    assert (listed["description"], listed["photos"]) == (None, [])


def test_published_detail_has_photos_and_timeline(client, district):
    report_id = post(client, form(photos=[upload(image_bytes())])).json()["id"]
    report = ProblemReport.objects.get(pk=report_id)
    change_status(report, "open", by=specialist(), comment="Передано в УК")
    detail = client.get(f"{URL}{report_id}/").json()
    assert detail["description"].startswith("Не горит фонарь")
    (photo,) = detail["photos"]
    assert client.get(photo["url"]).status_code == 200
    timeline = [
        (u["status_label"], u["role_label"], u["comment"]) for u in detail["updates"]
    ]
    assert timeline == [
        ("на модерации", "заявитель", ""),
        ("открыто", "специалист", "Передано в УК"),
    ]


def test_photo_of_a_report_under_moderation_is_not_served(client, district):
    post(client, form(photos=[upload(image_bytes())]))
    photo = ReportPhoto.objects.get()
    assert client.get(f"/reports/photos/{photo.pk}/").status_code == 404


def test_list_filters(client, district):
    territory, _yard, _building = make_places(district)
    lighting, _t = make_report(status="open")
    snow, _t = make_report(dx=2000, status="fixed", category="snow")
    old, _t = make_report(dx=30, status="in_progress")
    ProblemReport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    lat, lon = lat_lon(2000)
    bbox = f"{lon - 0.001},{lat - 0.001},{lon + 0.001},{lat + 0.001}"

    def ids(query):
        response = client.get(URL + query)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("?status=open,fixed") == {lighting.pk, snow.pk}
    assert ids("?category=snow") == {snow.pk}
    assert ids(f"?territory={territory.pk}") == {lighting.pk, old.pk}
    assert ids(f"?bbox={bbox}") == {snow.pk}
    assert ids("?age=30") == {lighting.pk, snow.pk}
    since = (timezone.now() - timedelta(days=50)).date().isoformat()
    assert ids(f"?since={since}") == {lighting.pk, snow.pk, old.pk}


@pytest.mark.parametrize(
    "query, field",
    [
        ("status=hidden", "status"),
        ("status=lost", "status"),
        ("territory=first", "territory"),
        ("bbox=1,2,3", "bbox"),
        ("since=yesterday", "since"),
        ("age=-1", "age"),
        ("sort=description", "sort"),
        ("page=0", "page"),
        ("page_size=1000", "page_size"),
    ],
)
def test_bad_list_parameters_are_named(client, query, field):
    assert_refused(client.get(f"{URL}?{query}"), field)


def test_nul_in_a_parameter_is_refused(client):
    assert_refused(client.get(f"{URL}?category=a%00b"), "category")
    assert_refused(client.get(f"{URL}nearby/?lat=1&lon=1&category=%00"), "category")


def test_sorted_by_support_and_paginated(client, district):
    first, _t = make_report(status="open")
    second, _t = make_report(dx=10, status="open")
    Support.objects.create(report=first, voter="v")
    ProblemReport.objects.filter(pk=first.pk).update(support_count=1)
    response = client.get(URL + "?sort=-support_count&page_size=1").json()
    assert response["count"] == 2 and [r["id"] for r in response["results"]] == [
        first.pk
    ]
    assert "cursor=" in response["next"] and response["previous"] is None
    following = client.get(response["next"]).json()
    assert [r["id"] for r in following["results"]] == [second.pk]
    assert following["next"] is None
    back = client.get(following["previous"]).json()
    assert [r["id"] for r in back["results"]] == [first.pk]
    by_date = client.get(URL + "?sort=-created_at").json()["results"]
    assert [r["id"] for r in by_date] == [second.pk, first.pk]


def test_list_costs_three_queries(client, district, django_assert_num_queries):
    make_places(district)
    for dx in range(0, 50, 10):
        report, _t = make_report(dx=dx, status="open")
        ReportPhoto.objects.create(
            report=report, image="reports/x.jpg", width=1, height=1
        )
    with django_assert_num_queries(3):  # count, page (with places), photos
        response = client.get(URL)
    assert len(response.json()["results"]) == 5


# --- nearby, support -------------------------------------------------------------


def test_nearby_lists_open_reports_of_the_category_within_250_m(client, district):
    near, _t = make_report(dx=120, status="open", description="x" * 500)
    make_report(dx=600, status="open")
    lat, lon = lat_lon()
    rows = client.get(f"{URL}nearby/?lat={lat}&lon={lon}&category=lighting").json()
    assert [row["id"] for row in rows] == [near.pk]
    assert rows[0]["distance_m"] == pytest.approx(120, abs=2)
    assert len(rows[0]["description"]) <= 140 and rows[0]["url"].endswith(
        f"/reports/{near.pk}/"
    )


def test_nearby_needs_a_point_and_a_category(client):
    assert_refused(client.get(f"{URL}nearby/?lat=52.5&category=x"), "lon")
    assert_refused(client.get(f"{URL}nearby/?lat=52.5&lon=103.9"), "category")


def test_support_once_per_browser(client, district):
    report, _t = make_report(status="open")
    url = f"{URL}{report.pk}/support/"
    first = client.post(url).json()
    again = client.post(url).json()
    assert first == {"support_count": 1, "counted": True}
    assert again == {"support_count": 1, "counted": False}
    other = Client().post(url).json()  # another browser, same address
    assert other == {"support_count": 2, "counted": True}


def test_support_once_per_account_whatever_the_browser(district):
    report, _t = make_report(status="open")
    user = get_user_model().objects.create_user("resident")
    answers = []
    for _ in range(2):
        browser = Client()
        browser.force_login(user)
        answers.append(browser.post(f"{URL}{report.pk}/support/").json()["counted"])
    assert answers == [True, False]


def test_support_under_moderation_is_refused(client, district):
    report, _t = make_report()
    assert_refused(client.post(f"{URL}{report.pk}/support/"), "status")


# --- reopen, forget-me, follow -----------------------------------------------------


def test_reporter_reopens_a_fixed_report_with_the_token(client, district):
    report, token = make_report(status="fixed")
    response = client.post(
        f"{URL}{report.pk}/reopen/", {"token": token, "comment": "Опять темно"}
    )
    assert response.status_code == 200, response.content
    last = response.json()["updates"][-1]
    assert (last["status"], last["role"], last["comment"]) == (
        "open",
        "reporter",
        "Опять темно",
    )


def test_stranger_cannot_reopen(client, district):
    report, _token = make_report(status="fixed")
    assert_refused(
        client.post(f"{URL}{report.pk}/reopen/", {"token": "nope"}), "token", 403
    )
    report.refresh_from_db()
    assert report.status == "fixed"


def test_tos_chair_reopens(district):
    territory, _yard, _building = make_places(district)
    report, _token = make_report(status="fixed")
    chair = Client()
    chair.force_login(territory.chair_user)
    response = chair.post(f"{URL}{report.pk}/reopen/")
    assert response.status_code == 200
    assert response.json()["updates"][-1]["role_label"] == "председатель ТОС"


def test_reporter_cannot_reopen_what_is_not_fixed(client, district):
    report, token = make_report(status="open")
    response = client.post(f"{URL}{report.pk}/reopen/", {"token": token})
    assert_refused(response, "status", 403)


def test_forget_me_with_the_token(client, district):
    report, token = make_report(status="open", show_name="1")
    response = client.post(
        f"{URL}{report.pk}/forget-me/", json.dumps({"token": token}), "application/json"
    )
    assert response.status_code == 200 and response.json()["reporter_name"] == ""
    report.refresh_from_db()
    assert (report.reporter_name, report.reporter_email, report.reporter_phone) == (
        "",
        "",
        "",
    )


def test_forget_me_refused_to_others(client, district):
    report, _token = make_report(status="open")
    assert_refused(client.post(f"{URL}{report.pk}/forget-me/"), "token", 403)
    report.refresh_from_db()
    assert report.reporter_email == EMAIL


def test_follow_and_unsubscribe(client, district):
    report, _token = make_report(status="open")
    response = client.post(f"{URL}{report.pk}/follow/", {"email": "sosed@example.org"})
    assert response.json() == {"following": True}
    follower = report.followers.get(email="sosed@example.org")
    unsubscribed = client.get(f"/reports/unsubscribe/{follower.unsubscribe_token}/")
    assert unsubscribed.status_code == 200
    assert not report.followers.filter(email="sosed@example.org").exists()


def test_follow_needs_an_address(client, district):
    report, _token = make_report(status="open")
    assert_refused(client.post(f"{URL}{report.pk}/follow/", {"email": "x"}), "email")


@JOBS
@pytest.mark.usefixtures("categories")
def test_follower_is_told_of_a_status_change(client, district, mailoutbox):
    report, _token = make_report(status="open")
    client.post(f"{URL}{report.pk}/follow/", {"email": "sosed@example.org"})
    follower = report.followers.get(email="sosed@example.org")
    client.get(f"/reports/follow/confirm/{follower.unsubscribe_token}/")
    run_jobs()
    mailoutbox.clear()  # the confirmation request
    change_status(report, "in_progress", by=specialist())
    run_jobs()
    recipients = sorted(to for message in mailoutbox for to in message.to)
    assert recipients == sorted([EMAIL, "sosed@example.org"])


# --- schema --------------------------------------------------------------------------


def test_schema_documents_the_reports_api(client):
    response = client.get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/reports/",
        "/api/reports/{id}/",
        "/api/reports/nearby/",
        "/api/reports/{id}/support/",
        "/api/reports/{id}/reopen/",
        "/api/reports/{id}/forget-me/",
        "/api/reports/{id}/follow/",
    ):
        assert path in paths
    assert (
        "multipart/form-data"
        in paths["/api/reports/"]["post"]["requestBody"]["content"]
    )


def test_schema_of_the_reports_api_generates_cleanly(capsys):
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # OpenAPI 3 JSON Schema
    problems = capsys.readouterr().err
    assert "territories" not in problems and "reports" not in problems, problems
