# Fixtures are imported from open311_fixtures; pytest finds them by parameter name.
# ruff: noqa: F811
"""Third-party Open311 clients from PyPI against the running server: civicbot's
Open311Client (the only maintained Python 3 client that can POST) for the whole round
trip, and georeport (maintained, read-only) for the reads, in JSON and in XML."""

import pytest
from civicbot.http import HttpError, HttpTransport, RateLimiter
from civicbot.open311 import CONFIRM_TOKEN, Open311Client, ValidationError
from civicbot.registry import Endpoint
from georeport import GeoReport

from territories.reports.models import ProblemReport

from .open311_fixtures import BASE, LAT, LON, SECRETS, body, key, lamps  # noqa: F401
from .report_helpers import move_to

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def civicbot(live_server):
    endpoint = Endpoint(
        id="angarsk", name="Ангарск", base_url=live_server.url + BASE, write=True
    )
    transport = HttpTransport(timeout=10, rate_limiter=RateLimiter(min_interval=0))
    return Open311Client(endpoint, transport)


@pytest.fixture(params=["json", "xml"])
def georeport(live_server, request):
    return GeoReport(live_server.url + BASE, output_format=request.param)


def send(client, key, **fields):
    prepared = client.create_request(
        "t-lamps",
        dry_run=False,
        confirm=CONFIRM_TOKEN,
        api_key=key,
        validate_remote=True,
        lat=LAT,
        lng=LON,
        **fields,
    )
    return prepared.response


def test_civicbot_posts_a_request_and_reads_it_back(civicbot, district, lamps, key):
    services = {s["service_code"]: s for s in civicbot.list_services()}
    assert services["t-lamps"]["metadata"] is True
    definition = civicbot.get_service_definition("t-lamps")
    assert [a["code"] for a in definition["attributes"]] == ["pole", "where", "kinds"]
    (created,) = send(
        civicbot,
        key,
        description="Не горит фонарь у третьего подъезда",
        attributes={"pole": "12", "kinds": ["dark", "blink"]},
        first_name="Пётр",
        last_name=SECRETS[0],
        email=SECRETS[1],
        phone=SECRETS[2],
        device_id="device-1",
    )
    report = ProblemReport.objects.get(pk=created["service_request_id"])
    assert report.category == lamps and report.source == ProblemReport.Source.OPEN311
    assert report.answers == {"pole": "12", "kinds": ["dark", "blink"]}
    back = civicbot.get_request(created["service_request_id"])
    assert back["status"] == "open" and back["status_notes"] == "на модерации"
    # Not public until moderated, like on the report page.
    assert back["description"] is None
    move_to(report, "open")
    assert civicbot.get_request(report.pk)["description"] == (
        "Не горит фонарь у третьего подъезда"
    )
    assert not set(SECRETS) & {str(v) for v in back.values()}
    listed = civicbot.list_requests(service_request_ids=[report.pk], status="open")
    assert [r["service_request_id"] for r in listed] == [str(report.pk)]


def test_civicbot_checks_our_definition_before_sending(civicbot, district, lamps, key):
    with pytest.raises(ValidationError, match="pole"):
        send(civicbot, key, description="Нет номера опоры")
    with pytest.raises(ValidationError, match="where"):
        send(civicbot, key, description="x", attributes={"pole": "1", "where": "roof"})
    assert not ProblemReport.objects.exists()


def test_civicbot_gets_403_for_a_wrong_key(civicbot, district, lamps):
    with pytest.raises(HttpError) as refused:
        send(civicbot, "wrong", description="x", attributes={"pole": "1"})
    assert refused.value.status == 403 and '"code": 403' in refused.value.body
    assert not ProblemReport.objects.exists()


def test_georeport_reads_services_and_requests(
    georeport, civicbot, district, lamps, key
):
    (created,) = send(civicbot, key, description="Фонарь", attributes={"pole": "7"})
    report_id = created["service_request_id"]
    services = georeport.get_service_list()
    services = services if isinstance(services, list) else [services]
    assert "t-lamps" in {s["service_code"] for s in services}
    definition = georeport.get_service_definition("t-lamps")
    attributes = definition["attributes"]
    if georeport.output_format == "xml":
        attributes = attributes["attribute"]
    assert attributes[0]["code"] == "pole"
    found = georeport.get_service_requests(service_request_id=report_id)
    found = found if isinstance(found, list) else [found]
    assert [r["service_request_id"] for r in found] == [report_id]
    one = georeport.get_service_request(report_id)
    assert (one["service_code"], one["status"]) == ("t-lamps", "open")
    assert one["agency_responsible"] == "Отдел благоустройства (тест)"
    recent = georeport.get_service_requests(service_code="t-lamps", status="open")
    recent = recent if isinstance(recent, list) else [recent]
    assert report_id in {r["service_request_id"] for r in recent}
