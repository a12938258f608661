"""Every list endpoint costs a fixed number of queries, the same for 3 rows as for
10: reports with photos, timelines and followers, several categories, places.
The numbers are the endpoints' own; a change that adds a query per row fails here."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from territories.reports.models import (
    Category,
    Follower,
    ReportPhoto,
    ReportUpdate,
    ResponsibleBody,
)

from .report_helpers import image_bytes, lat_lon, make_places, report_at, upload

pytestmark = pytest.mark.usefixtures("media")
KINDS = ("lighting", "yard", "waste")


@pytest.fixture(params=[3, 10], ids=lambda n: f"{n} rows")
def city(request, district):
    """n categories of a responsible body; n reports in a TOS (every other one in a
    building and a yard), each with photos, n comments and n followers."""
    n = request.param
    territory, _yard, _building = make_places(district)
    body = ResponsibleBody.objects.create(name="УК «Тест»", kind="management_company")
    categories = [
        Category.objects.create(
            code=f"q-{i}",
            name=f"категория {i}",
            responsible=body,
            questions=[{"code": "pole", "label": "Номер опоры"}],
        )
        for i in range(n)
    ]
    reports = [
        report_at(
            (i % 2) * (100 + 10 * i),
            0,
            status="in_progress" if i % 3 == 0 else "open",
            category=KINDS[i % 3],
            photos=[upload(image_bytes())],
        )
        for i in range(n)
    ]
    for report in reports:
        _add_rows(report, n)
    return SimpleNamespace(territory=territory, reports=reports, categories=categories)


def _add_rows(report, n):
    ReportPhoto.objects.bulk_create(
        ReportPhoto(report=report, image="reports/x.jpg", width=1, height=1)
        for _ in range(n)
    )
    ReportUpdate.objects.bulk_create(
        ReportUpdate(report=report, comment=f"Комментарий {i}", role="specialist")
        for i in range(n)
    )
    Follower.objects.bulk_create(
        Follower(
            report=report,
            email=f"sosed{i}@example.org",
            unsubscribe_token=f"{report.pk}-{i}",
            confirmed_at=timezone.now(),
        )
        for i in range(n)
    )


@pytest.fixture
def staff(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_user("specialist", password="x", is_staff=True)
    )
    return client


def fetch(client, url):
    """The whole body, streamed or not, so that every query runs inside the count."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def assert_costs(django_assert_num_queries, client, pinned):
    for url, queries in pinned.items():
        # Once before counting: GeoDjango reads an SRID's units from spatial_ref_sys
        # once per process, so the first request of a test run would cost one more.
        fetch(client, url)
        with django_assert_num_queries(queries, info=url):
            fetch(client, url)


def test_layers(client, city, django_assert_num_queries):
    first = city.reports[0].pk
    assert_costs(
        django_assert_num_queries,
        client,
        {
            "/api/layers/": 1,  # counts and extents of all layers in one UNION
            # the version, the count up to the cap (geo/bounds.py), the features
            "/api/layers/reports/": 3,
            f"/api/layers/reports/?territory={city.territory.pk}": 4,  # + the TOS
            "/api/layers/reports/?zoom=12": 3,  # the version, clusters (a few), points
            f"/api/layers/reports/{first}/": 1,
        },
    )


def test_reports_api(client, city, django_assert_num_queries):
    lat, lon = lat_lon()
    assert_costs(
        django_assert_num_queries,
        client,
        {
            "/api/reports/": 3,  # count, the page with its places, photos
            "/api/reports/?status=open,in_progress&category=lighting,yard,waste": 3,
            f"/api/reports/?territory={city.territory.pk}": 4,  # + the TOS
            f"/api/reports/nearby/?lat={lat}&lon={lon}&category=lighting": 1,
            f"/api/reports/{city.reports[0].pk}/": 3,  # the report, photos, timeline
        },
    )


def test_feeds(client, city, django_assert_num_queries):
    assert_costs(
        django_assert_num_queries,
        client,
        {
            "/feeds/reports.atom": 1,
            f"/feeds/reports.atom?territory={city.territory.pk}": 2,  # + the TOS
            f"/feeds/reports/{city.reports[0].pk}.atom": 2,  # the report, timeline
        },
    )


def test_workspace(staff, city, django_assert_num_queries):
    chosen = "&".join(f"report={report.pk}" for report in city.reports)
    assert_costs(
        django_assert_num_queries,
        staff,
        {
            # Session, user and the header's roles, then: count, counts by status,
            # the TOS and category choices of the filters, the page, the response
            # templates.
            "/workspace/?status=open": 9,
            # Session, user and roles, then: the TOS, the chosen reports, the TOS
            # choices, the candidates.
            f"/workspace/agenda/?territory={city.territory.pk}&{chosen}": 7,
            # Session, user and roles, then: the report, templates, timeline,
            # photos, duplicates, followers' count.
            f"/workspace/reports/{city.reports[0].pk}/": 9,
        },
    )


def test_open311(client, city, django_assert_num_queries):
    assert_costs(
        django_assert_num_queries,
        client,
        {
            "/open311/v2/services.json": 1,
            f"/open311/v2/services/{city.categories[0].code}.json": 1,
            "/open311/v2/requests.json": 1,
            "/open311/v2/requests.json?service_code=lighting,yard": 2,  # + the codes
        },
    )


def test_map_page(client, city, django_assert_num_queries):
    assert_costs(django_assert_num_queries, client, {"/": 1})  # the categories
