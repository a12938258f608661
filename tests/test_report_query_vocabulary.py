"""One query vocabulary: `territory=` means inside the TOS's current approved
boundary on every edge, one parser refuses bad values with one error type that each
edge answers in its own format, and the services refuse on their own."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from geo.errors import Forbidden, QueryError, Refused
from geo.requester import Requester
from territories.registry.models import Territory
from territories.reports import services as service
from territories.reports.filters import filter_reports
from territories.reports.models import ProblemReport

from .conftest import utm_box
from .report_helpers import report_at
from .test_layers_api import collection

Status = ProblemReport.Status


@pytest.fixture
def staff(db):
    user = get_user_model().objects.create_user("spec", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def listed_everywhere(client, staff, tos):
    """The ids each edge lists for `territory=<tos>`."""
    pk = tos.pk
    api = {
        r["id"] for r in client.get(f"/api/reports/?territory={pk}").json()["results"]
    }
    layer = collection(client, f"/api/layers/reports/?territory={pk}")
    feed = client.get(f"/feeds/reports.atom?territory={pk}").content.decode()
    queue = staff.get(f"/workspace/?territory={pk}&status=open").content.decode()
    return {
        "api": api,
        "layer": {f["id"] for f in layer["features"]},
        "feed": {
            r.pk for r in ProblemReport.objects.all() if f"/reports/{r.pk}/" in feed
        },
        "workspace": {
            r.pk
            for r in ProblemReport.objects.all()
            if f"/workspace/reports/{r.pk}/" in queue
        },
    }


def test_territory_follows_the_boundary_not_the_placement(client, staff, tos):
    first = report_at(100, 100)  # placed in the TOS
    later = report_at(700, 100)  # east of it: no TOS at submission
    assert later.territory_id is None
    everywhere = listed_everywhere(client, staff, tos)
    assert everywhere == dict.fromkeys(everywhere, {first.pk})

    tos.geom = utm_box(600, 0, 500, 500)  # the boundary moves east
    tos.save()

    everywhere = listed_everywhere(client, staff, tos)
    assert everywhere == dict.fromkeys(everywhere, {later.pk})


def test_a_boundary_not_yet_approved_contains_nothing(client, staff, tos):
    report_at(100, 100)
    tos.status = Territory.Status.PROPOSED
    tos.save()
    everywhere = listed_everywhere(client, staff, tos)
    assert everywhere == dict.fromkeys(everywhere, set())


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=lost", "status"),
        ("territory=abc", "territory"),
        ("territory=999999", "territory"),
        ("since=2026-13-45", "since"),
        ("bbox=1,2,3", "bbox"),
        ("age=-1", "age"),
    ],
)
def test_one_parser_one_error_each_edge_its_format(client, district, query, field):
    with pytest.raises(QueryError) as caught:
        filter_reports(dict([query.split("=")]))
    assert caught.value.field == field

    api = client.get(f"/api/reports/?{query}")
    assert (api.status_code, api.json()["field"]) == (400, field)
    layer = client.get(f"/api/layers/reports/?{query}")
    assert (layer.status_code, layer.json()["field"]) == (400, field)
    if field != "status" and field != "age" and field != "since":
        feed = client.get(f"/feeds/reports.atom?{query}")
        assert feed.status_code == 400
        assert feed.content.decode().startswith(f"{field}:")


def test_open311_maps_its_names_onto_the_same_parser(client, district):
    response = client.get("/open311/v2/requests.json?service_request_id=²")
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("service_request_id:")


def test_status_groups_live_on_the_status_type():
    assert Status.HIDDEN not in Status.public()
    assert set(Status.active()) | set(Status.closed()) | {
        Status.MODERATION,
        Status.HIDDEN,
    } == set(Status)
    assert set(Status.awaiting()) == {Status.MODERATION, *Status.active()}


def test_change_status_refuses_a_stranger_on_its_own(district):
    report = report_at(status="fixed")
    with pytest.raises(Forbidden) as caught:
        service.change_status(report, "open", by=Requester())
    assert caught.value.field == "token"
    report.refresh_from_db()
    assert report.status == "fixed"


def test_forget_me_refuses_anyone_but_the_reporter(district):
    report = report_at(status="open", name="Аглая", email="a@example.org")
    with pytest.raises(Forbidden):
        service.remove_personal_data(report, by=Requester(token="guess"))


def imports_of(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            yield ("." * node.level) + (node.module or "")
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_edges_do_not_import_each_other():
    """Pages, Open311, feeds and the workspace never lean on the REST API package
    (docs/architecture.md, "Layers of the code")."""
    reports = Path(settings.BASE_DIR) / "territories" / "reports"
    edges = [
        *(reports / "pages").glob("*.py"),
        *(reports / "open311").glob("*.py"),
        *(reports / "workspace").glob("*.py"),
        reports / "feeds.py",
        *(reports / "services").glob("*.py"),
    ]
    leaning = [
        (path.name, module)
        for path in edges
        for module in imports_of(path)
        if module.startswith("..api") or ".reports.api" in module
    ]
    assert leaning == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/reports/nearby/?lat=0&lon=10&category=yard",
        "/feeds/reports.atom?lat=0&lon=10",
        "/api/reports/?lat=0&lon=10",
    ],
)
def test_a_point_the_stored_crs_cannot_take_is_refused_by_the_validator(
    client, district, url
):
    """lat=0, lon=10 lies outside what UTM 48N can take: the one geometry validator
    refuses it on every API that receives a point, naming the field."""
    response = client.get(url)
    assert response.status_code == 400
    assert "lat" in response.content.decode()


def test_a_submission_at_such_a_point_is_refused_on_lat(district):
    with pytest.raises(Refused) as caught:
        service.submit_report(
            {"lat": 0, "lon": 10, "category": "yard", "description": "Яма"},
            source="web",
            client_hash="far",
        )
    assert caught.value.field == "lat"
