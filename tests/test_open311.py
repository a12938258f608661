# Fixtures are imported from open311_fixtures; pytest finds them by parameter name.
# ruff: noqa: F811
"""Open311 GeoReport v2 at /open311/v2/: every JSON response checked against a schema
written from the spec, every XML one parsed for the spec's element names."""

import io
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from jsonschema import Draft202012Validator
from PIL import Image

from territories.registry.models import Building
from territories.reports.models import (
    Category,
    Open311Key,
    ProblemReport,
    ReportPhoto,
    ReportUpdate,
)
from territories.reports.open311 import queries

from . import open311_schemas as schemas
from .conftest import utm_box
from .open311_fixtures import (  # noqa: F401
    BASE,
    LAT,
    LON,
    SECRETS,
    body,
    key,
    lamps,
    litter,
    make_report,
)
from .report_helpers import move_to

Status = ProblemReport.Status


def valid(schema, data):
    Draft202012Validator(schema).validate(data)
    return data


def xml_of(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def tags(element):
    return {child.tag for child in element}


def error_of(response, status, fmt="json"):
    assert response.status_code == status
    if fmt == "xml":
        root = xml_of(response)
        assert root.tag == "errors" and [e.tag for e in root] == ["error"]
        assert tags(root[0]) == schemas.XML_ELEMENTS["error"]
        assert root[0].findtext("code") == str(status)
        return root[0].findtext("description")
    errors = valid(schemas.ERRORS, response.json())
    assert errors[0]["code"] == status
    return errors[0]["description"]


def listed(client, **params):
    response = client.get(BASE + "requests.json", params)
    assert response.status_code == 200, response.content
    return [
        int(r["service_request_id"])
        for r in valid(schemas.SERVICE_REQUESTS, response.json())
    ]


def post(client, key, fmt="json", **fields):
    form = {"api_key": key, "service_code": "t-lamps", "lat": LAT, "long": LON}
    form.update({"description": "Не горит фонарь у подъезда", "attribute[pole]": "17"})
    form.update(fields)
    form = {k: v for k, v in form.items() if v is not None}
    return client.post(BASE + f"requests.{fmt}", form)


# Discovery and services


def test_discovery_names_the_v2_endpoint(client, db):
    data = valid(schemas.DISCOVERY, client.get(BASE + "discovery.json").json())
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    root = xml_of(client.get(BASE + "discovery.xml"))
    assert root.tag == "discovery" and tags(root) == schemas.XML_ELEMENTS["discovery"]
    endpoint = root.find("endpoints/endpoint")
    assert tags(endpoint) == schemas.XML_ELEMENTS["endpoint"]
    assert [f.text for f in endpoint.find("formats")] == [
        "text/xml",
        "application/json",
    ]


def test_root_redirects_to_discovery(client, db):
    response = client.get(BASE)
    assert response.status_code == 302 and response["Location"].endswith(
        "discovery.xml"
    )


def test_services_list_active_categories(client, lamps, litter):
    litter.active = False
    litter.save()
    services = valid(schemas.SERVICES, client.get(BASE + "services.json").json())
    by_code = {s["service_code"]: s for s in services}
    assert "t-litter" not in by_code
    assert by_code["t-lamps"] == {
        "service_code": "t-lamps",
        "service_name": "фонари (тест)",
        "description": "Не горит фонарь во дворе",
        "metadata": True,
        "type": "realtime",
        "keywords": "фонари (тест), street lamps (test)",
        "group": "Отдел благоустройства (тест)",
    }
    root = xml_of(client.get(BASE + "services.xml"))
    assert root.tag == "services" and {s.tag for s in root} == {"service"}
    lamp = next(s for s in root if s.findtext("service_code") == "t-lamps")
    assert tags(lamp) == schemas.XML_ELEMENTS["service"]
    assert lamp.findtext("metadata") == "true" and lamp.findtext("type") == "realtime"


def test_service_names_follow_the_language(client, lamps):
    services = client.get(BASE + "services.json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {s["service_name"] for s in services} >= {"street lamps (test)"}


def test_service_definition_lists_the_questions(client, lamps):
    data = valid(
        schemas.SERVICE_DEFINITION, client.get(BASE + "services/t-lamps.json").json()
    )
    pole, where, kinds = data["attributes"]
    assert (pole["code"], pole["required"], pole["order"], pole["values"]) == (
        "pole",
        True,
        1,
        [],
    )
    assert pole["description"] == "Номер опоры" and pole["variable"] is True
    assert where["datatype"] == "singlevaluelist" and where["required"] is False
    assert where["values"] == [
        {"key": "yard", "name": "во дворе"},
        {"key": "road", "name": "у дороги"},
    ]
    assert kinds["order"] == 3
    root = xml_of(client.get(BASE + "services/t-lamps.xml"))
    assert root.tag == "service_definition"
    assert tags(root) == schemas.XML_ELEMENTS["service_definition"]
    attribute = root.findall("attributes/attribute")[1]
    assert tags(attribute) == schemas.XML_ELEMENTS["attribute"]
    assert [v.findtext("key") for v in attribute.findall("values/value")] == [
        "yard",
        "road",
    ]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_is_404(client, db, fmt):
    message = error_of(client.get(BASE + f"services/no-such.{fmt}"), 404, fmt)
    assert "service_code" in message and "no-such" in message


def test_unknown_resource_and_method_in_the_spec_format(client, db):
    assert "requests" in error_of(client.get(BASE + "tokens/1.xml"), 404, "xml")
    assert "requests" in error_of(client.get(BASE + "services"), 404)
    response = client.delete(BASE + "requests.json")
    assert "DELETE" in error_of(response, 405)
    assert response["Allow"] == "GET, POST, HEAD, OPTIONS"


# POST requests


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_creates_a_report_in_moderation(client, district, lamps, key, fmt):
    response = post(
        client,
        key,
        fmt,
        email="ivan@example.org",
        first_name="Иван",
        last_name="Петров",
        phone="+7 900 000-00-00",
        **{"attribute[where]": "yard"},
    )
    assert response.status_code == 200, response.content
    if fmt == "json":
        (answer,) = valid(schemas.POST_RESPONSE, response.json())
        report_id, notice = answer["service_request_id"], answer["service_notice"]
    else:
        root = xml_of(response)
        assert root.tag == "service_requests" and tags(root[0]) == {
            "service_request_id",
            "service_notice",
        }
        report_id, notice = (
            root[0].findtext("service_request_id"),
            root[0].findtext("service_notice"),
        )
    assert "на модерации" in notice and "Отдел благоустройства (тест)" in notice
    report = ProblemReport.objects.get(pk=report_id)
    assert report.category == lamps and report.status == Status.MODERATION
    assert report.source == ProblemReport.Source.OPEN311
    assert report.api_key == Open311Key.find(key)
    assert report.answers == {"pole": "17", "where": "yard"}
    assert (report.reporter_name, report.reporter_email) == (
        "Иван Петров",
        "ivan@example.org",
    )
    assert report.show_name is False
    assert report.updates.count() == 1


def test_post_takes_a_multivaluelist(client, district, lamps, key):
    response = client.post(
        BASE + "requests.json",
        f"api_key={key}&service_code=t-lamps&lat={LAT}&long={LON}&description=x"
        "&attribute[pole]=1&attribute[kinds][]=dark&attribute[kinds][]=blink",
        content_type="application/x-www-form-urlencoded; charset=utf-8",
    )
    assert response.status_code == 200, response.content
    report = ProblemReport.objects.get(pk=response.json()[0]["service_request_id"])
    assert report.answers["kinds"] == ["dark", "blink"]


@pytest.mark.parametrize("api_key", [None, "", "not-a-key"])
def test_post_without_a_valid_key_is_403(client, district, lamps, api_key):
    assert "api_key" in error_of(post(client, api_key), 403)
    assert "api_key" in error_of(post(client, api_key, "xml"), 403, "xml")
    assert not ProblemReport.objects.exists()


def test_post_with_a_revoked_key_is_403(client, district, lamps, key):
    Open311Key.objects.update(active=False)
    assert "api_key" in error_of(post(client, key), 403)


@pytest.mark.parametrize(
    "fields, status, named",
    [
        ({"service_code": "no-such"}, 404, "service_code"),
        ({"service_code": "a\x00b"}, 404, "service_code"),
        ({"service_code": None}, 400, "service_code"),
        ({"lat": "52.70", "long": "105.50"}, 400, "lat"),
        ({"lat": "сорок"}, 400, "lat"),
        (
            {"lat": None, "long": None, "address_string": "ул. Ленина, 1"},
            400,
            "address_string",
        ),
        ({"long": None}, 400, "long"),
        ({"attribute[pole]": None}, 400, "attribute[pole]"),
        ({"attribute[where]": "roof"}, 400, "attribute[where]"),
        ({"attribute[colour]": "red"}, 400, "attribute[colour]"),
        ({"description": ""}, 400, "description"),
        ({"description": "x" * 4001}, 400, "description"),
        ({"email": "not-an-email"}, 400, "email"),
    ],
)
def test_post_refusals_name_the_field_and_store_nothing(
    client, district, lamps, key, fields, status, named
):
    message = error_of(post(client, key, **fields), status)
    assert message.startswith(named + ":"), message
    assert not ProblemReport.objects.exists()


def test_inactive_service_takes_no_requests(client, district, lamps, key):
    Category.objects.filter(pk=lamps.pk).update(active=False)
    assert error_of(post(client, key), 404).startswith("service_code:")


def test_media_url_is_not_stored(client, district, lamps, key):
    response = post(client, key, media_url="http://example.com/evil.jpg")
    notice = valid(schemas.POST_RESPONSE, response.json())[0]["service_notice"]
    assert "media_url" in notice
    report = ProblemReport.objects.get()
    assert "example.com" not in report.description and not report.photos.exists()


def test_keyed_quota_answers_429(client, district, lamps, db):
    plain = Open311Key.issue("маленькая квота", hourly_quota=1)[1]
    assert post(client, plain).status_code == 200
    response = post(client, plain)
    assert "rate" in error_of(response, 429) and response["Retry-After"] == "3600"
    assert ProblemReport.objects.count() == 1


# GET requests


def test_requests_default_to_the_last_90_days(client, lamps):
    recent, old = make_report(lamps, days_ago=10), make_report(lamps, days_ago=100)
    assert listed(client) == [recent.pk]
    # One end given: the 90 days that follow start_date, or precede end_date.
    start = (timezone.now() - timedelta(days=120)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert listed(client, start_date=start) == [old.pk]
    assert listed(
        client, end_date=(timezone.now() - timedelta(days=50)).isoformat()
    ) == [old.pk]


def test_requests_take_w3c_dates_with_an_unescaped_offset(client, lamps):
    report = make_report(lamps, days_ago=1)
    day = timezone.localdate() - timedelta(days=2)
    assert listed(client, start_date=f"{day}T00:00:00 08:00") == [report.pk]
    assert listed(client, start_date=str(day)) == [report.pk]


@pytest.mark.parametrize(
    "params, named",
    [
        ({"start_date": "вчера"}, "start_date"),
        (
            {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
            "end_date",
        ),
        (
            {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
            "end_date",
        ),
        ({"status": "fixed"}, "status"),
        ({"service_request_id": "1,abc"}, "service_request_id"),
    ],
)
def test_bad_filters_are_400(client, db, params, named):
    response = client.get(BASE + "requests.json", params)
    assert error_of(response, 400).startswith(named + ":")


@pytest.mark.parametrize("codes", ["t-lamps,nope", "t-lamps,a\x00b"])
def test_unknown_service_code_filter_is_404(client, lamps, codes):
    response = client.get(BASE + "requests.json", {"service_code": codes})
    assert error_of(response, 404).startswith("service_code:")
    error_of(client.get(BASE + "requests.xml", {"service_code": codes}), 404, "xml")


def test_requests_stop_at_the_cap(client, lamps, monkeypatch):
    monkeypatch.setattr(queries, "MAX_REQUESTS", 2)
    reports = [make_report(lamps, days_ago=d) for d in (3, 2, 1)]
    assert listed(client) == [reports[2].pk, reports[1].pk]


def test_the_cap_is_the_spec_default():
    assert queries.MAX_REQUESTS == 1000 and queries.WINDOW == timedelta(days=90)


@pytest.mark.parametrize(
    "status, open311",
    [
        (Status.MODERATION, "open"),
        (Status.OPEN, "open"),
        (Status.IN_PROGRESS, "open"),
        (Status.PLANNED, "open"),
        (Status.FIXED, "closed"),
        (Status.CLOSED, "closed"),
        (Status.NOT_RESPONSIBLE, "closed"),
    ],
)
def test_statuses_fold_into_open_and_closed(client, lamps, status, open311):
    report = make_report(lamps, status)
    (data,) = client.get(BASE + f"requests/{report.pk}.json").json()
    assert data["status"] == open311
    assert data["status_notes"] == report.get_status_display()
    assert listed(client, status=open311) == [report.pk]
    assert listed(client, status="closed" if open311 == "open" else "open") == []
    assert listed(client, status="open,closed") == [report.pk]


def test_status_notes_name_the_original_and_the_last_comment(client, lamps):
    original = make_report(lamps)
    duplicate = make_report(lamps, Status.DUPLICATE, duplicate_of=original)
    for comment in ("первый", "", "Уже есть сообщение об этом"):
        ReportUpdate.objects.create(
            report=duplicate, comment=comment, role="specialist"
        )
    (data,) = client.get(BASE + f"requests/{duplicate.pk}.json").json()
    assert data["status"] == "closed"
    assert (
        data["status_notes"]
        == f"дубликат сообщения №{original.pk}. Уже есть сообщение об этом"
    )


def test_requests_answer_in_english_when_asked(client, lamps):
    original = make_report(lamps)
    duplicate = make_report(lamps, Status.DUPLICATE, duplicate_of=original)
    english = client.get(BASE + "requests.json", HTTP_ACCEPT_LANGUAGE="en").json()
    russian = client.get(BASE + "requests.json", HTTP_ACCEPT_LANGUAGE="ru").json()
    by_id = {r["service_request_id"]: r for r in english}
    assert by_id[str(duplicate.pk)]["status_notes"] == (
        f"duplicate of report no. {original.pk}"
    )
    assert by_id[str(original.pk)]["status_notes"] == "open"
    assert {r["service_name"] for r in english} == {"street lamps (test)"}
    # The labels are read once per language, not once for the first one asked.
    assert {r["status_notes"] for r in russian} == {
        "открыто",
        f"дубликат сообщения №{original.pk}",
    }
    assert {r["service_name"] for r in russian} == {"фонари (тест)"}


def test_hidden_reports_never_appear(client, lamps):
    hidden, shown = make_report(lamps, Status.HIDDEN), make_report(lamps)
    assert listed(client) == [shown.pk]
    assert listed(client, service_request_id=f"{hidden.pk},{shown.pk}") == [shown.pk]
    assert "service_request_id" in error_of(
        client.get(BASE + f"requests/{hidden.pk}.json"), 404
    )
    error_of(client.get(BASE + f"requests/{hidden.pk}.xml"), 404, "xml")


def test_request_ids_override_the_window_and_filters(client, lamps, litter):
    old = make_report(litter, Status.FIXED, days_ago=400)
    assert listed(
        client, service_request_id=f" {old.pk} ", status="open", service_code="t-lamps"
    ) == [old.pk]


def test_service_code_filter_takes_a_list(client, lamps, litter, body):
    lamp, rubbish = make_report(lamps), make_report(litter)
    assert listed(client, service_code="t-lamps") == [lamp.pk]
    assert listed(client, service_code="t-lamps,t-litter") == [rubbish.pk, lamp.pk]


def test_a_request_in_full(client, lamps, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = make_report(
        lamps, description="Фонарь <script>alert(1)</script>\x07 не горит"
    )
    image = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(image, "PNG")
    photo = ReportPhoto(report=report, width=4, height=3)
    photo.image.save("lamp.png", ContentFile(image.getvalue()))
    (data,) = valid(
        schemas.SERVICE_REQUESTS, client.get(BASE + f"requests/{report.pk}.json").json()
    )
    assert data["service_request_id"] == str(report.pk)
    assert (data["service_code"], data["service_name"]) == ("t-lamps", "фонари (тест)")
    assert data["agency_responsible"] == "Отдел благоустройства (тест)"
    assert data["lat"] == pytest.approx(LAT, abs=1e-6) and data[
        "long"
    ] == pytest.approx(LON, abs=1e-6)
    assert data["media_url"] == f"http://testserver/reports/photos/{photo.pk}/"
    assert data["requested_datetime"].endswith("+08:00")
    root = xml_of(client.get(BASE + f"requests/{report.pk}.xml"))
    assert (
        root.tag == "service_requests"
        and tags(root[0]) <= schemas.XML_ELEMENTS["request"]
    )
    # The text is carried as text; a character XML cannot hold is dropped.
    assert (
        root[0].findtext("description") == "Фонарь <script>alert(1)</script> не горит"
    )
    assert root[0].findtext("lat") == str(data["lat"])


def test_a_posted_photo_and_the_building_show_in_the_request(
    client, district, lamps, key, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    Building.objects.create(address="ул. Ленина, 1", geom=utm_box(-10, -10, 20, 20))
    image = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(image, "JPEG")
    photo = ContentFile(image.getvalue(), name="lamp.jpg")
    response = post(client, key, media=photo)
    assert response.status_code == 200, response.content
    report = ProblemReport.objects.get()
    assert report.building.address == "ул. Ленина, 1" and report.photos.count() == 1
    (data,) = client.get(BASE + f"requests/{report.pk}.json").json()
    assert data["address"] == "ул. Ленина, 1"
    assert data["address_id"] == str(report.building_id)
    # Under moderation the photo is not public yet; once published it is linked.
    assert data["media_url"] is None
    move_to(report, "open")
    (data,) = client.get(BASE + f"requests/{report.pk}.json").json()
    assert (
        data["media_url"]
        == f"http://testserver/reports/photos/{report.photos.get().pk}/"
    )


def test_a_file_that_is_no_photo_is_refused(client, district, lamps, key):
    fake = ContentFile(b"<script>alert(1)</script>", name="lamp.jpg")
    assert error_of(post(client, key, media=fake), 400).startswith("media:")
    assert not ProblemReport.objects.exists()


def test_no_personal_data_in_any_output(client, district, lamps, key):
    make_report(lamps, show_name=True)
    post(
        client,
        key,
        first_name="Пётр",
        last_name=SECRETS[0],
        email=SECRETS[1],
        phone=SECRETS[2],
    )
    ProblemReport.objects.update(status=Status.OPEN)
    pk = ProblemReport.objects.first().pk
    for url in (
        "requests.json",
        "requests.xml",
        f"requests/{pk}.json",
        f"requests/{pk}.xml",
    ):
        text = client.get(BASE + url).content.decode()
        assert str(pk) in text
        for secret in SECRETS:
            assert secret not in text, (url, secret)


def test_the_list_is_one_query(client, lamps, django_assert_num_queries):
    for status in (Status.OPEN, Status.FIXED, Status.MODERATION):
        make_report(lamps, status)
    with django_assert_num_queries(1):
        assert len(listed(client)) == 3
    with django_assert_num_queries(2):  # the service codes are checked first
        assert len(listed(client, service_code="t-lamps")) == 3


# Keys


def test_open311_key_command_prints_the_key_once(db):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "open311_key", "Приложение «Город»", "--quota", "50", stdout=out, stderr=err
    )
    plain = out.getvalue().strip()
    key = Open311Key.find(plain)
    assert key.name == "Приложение «Город»" and key.hourly_quota == 50
    assert (
        plain not in str(Open311Key.objects.values_list())
        and "один раз" in err.getvalue()
    )
    with pytest.raises(CommandError, match="уже выдан"):
        call_command("open311_key", "Приложение «Город»", stdout=out, stderr=err)
    with pytest.raises(CommandError, match="quota"):
        call_command("open311_key", "Другое", "--quota", "0", stdout=out, stderr=err)
