"""Keyset pages of the report lists (geo/paging.py; docs/architecture.md, "Long
lists: keyset pages and counts"): the API, the workspace queue and Open311 walk every
report once in order by cursor, back and forth; a bad cursor is refused by name;
page numbers stop at MAX_KEYSET_PAGE; counts are the counters or capped."""

import base64
import json
import re

import pytest
from django.utils import timezone

from geo import paging
from territories.reports.models import ProblemReport
from territories.reports.open311 import queries as open311

from .report_helpers import lat_lon, report_at

pytestmark = pytest.mark.usefixtures("media")
API = "/api/reports/"
QUEUE = "/workspace/"
SUPPORTS = (3, 0, 3, 1, 0, 0, 7)


@pytest.fixture
def reports(district):
    made = [report_at(x=100 + 10 * n) for n in range(len(SUPPORTS))]
    for report, supports in zip(made, SUPPORTS, strict=True):
        ProblemReport.objects.filter(pk=report.pk).update(support_count=supports)
    return made


@pytest.fixture
def staff(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_user("specialist", is_staff=True)
    )
    return client


def expected(sort):
    order = {
        "-created_at": ("-created_at", "-pk"),
        "created_at": ("created_at", "pk"),
        "-support_count": ("-support_count", "-created_at", "-pk"),
        "support_count": ("support_count", "created_at", "pk"),
    }[sort]
    return list(ProblemReport.objects.order_by(*order).values_list("pk", flat=True))


def walk(client, url, link):
    """Ids of every page from `url` on, following `link` ("next" / "previous")."""
    seen = []
    while url:
        body = client.get(url).json()
        seen.append([r["id"] for r in body["results"]])
        url = body[link]
    return seen


@pytest.mark.parametrize(
    "sort", ["-created_at", "created_at", "-support_count", "support_count"]
)
def test_api_cursor_walks_every_report_once_in_order(client, reports, sort):
    pages = walk(client, f"{API}?sort={sort}&page_size=2", "next")
    assert [pk for page in pages for pk in page] == expected(sort)
    assert [len(page) for page in pages] == [2, 2, 2, 1]
    last = client.get(f"{API}?sort={sort}&page_size=2").json()
    for _ in range(3):
        last = client.get(last["next"]).json()
    back = walk(client, last["previous"], "previous")
    assert back == pages[-2::-1]


def cursor(document):
    text = json.dumps(document).encode()
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


@pytest.mark.parametrize(
    "value",
    [
        "!!!",
        "abc",
        cursor({"n": 1}),
        cursor(["-created_at,-pk", "n", "2026-01-01T00:00:00+00:00"]),
        cursor(["created_at,pk", "n", "2026-01-01T00:00:00+00:00", 5]),
        cursor(["-created_at,-pk", "x", "2026-01-01T00:00:00+00:00", 5]),
        cursor(["-created_at,-pk", "n", "2026-01-01T00:00:00", 5]),
        cursor(["-created_at,-pk", "n", "yesterday", 5]),
        cursor(["-created_at,-pk", "n", "2026-01-01T00:00:00+00:00", "5"]),
        cursor(["-created_at,-pk", "n", "2026-01-01T00:00:00+00:00", 2**70]),
        cursor(["-created_at,-pk", "n", "2026-01-01T00:00:00+00:00", True]),
    ],
)
def test_a_bad_cursor_is_refused_by_name(client, reports, value):
    response = client.get(API, {"cursor": value})
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "cursor"


def test_a_made_cursor_of_the_right_shape_is_taken(client, reports):
    newest = timezone.now().isoformat()
    value = cursor(["-created_at,-pk", "n", newest, 2**40])
    body = client.get(API, {"cursor": value, "page_size": 100}).json()
    assert [r["id"] for r in body["results"]] == expected("-created_at")


def test_page_numbers_stop_at_the_cap(client, reports):
    assert client.get(API, {"page": paging.MAX_KEYSET_PAGE}).status_code == 200
    refused = client.get(API, {"page": paging.MAX_KEYSET_PAGE + 1})
    assert refused.status_code == 400
    assert refused.json()["field"] == "page" and "cursor" in refused.json()["error"]
    second = client.get(API, {"page": 2, "page_size": 3}).json()
    assert [r["id"] for r in second["results"]] == expected("-created_at")[3:6]
    assert "cursor=" in second["next"] and "cursor=" in second["previous"]
    both = client.get(API, {"page": 2, "cursor": "abc"})
    assert both.status_code == 400 and both.json()["field"] == "cursor"


def test_counts_come_from_the_counters_or_stop_at_the_cap(client, reports, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    plain = client.get(API).json()
    assert (plain["count"], plain["count_capped"]) == (len(SUPPORTS), False)
    filtered = client.get(API, {"min_supports": 1}).json()
    assert (filtered["count"], filtered["count_capped"]) == (3, True)
    few = client.get(API, {"min_supports": 4}).json()
    assert (few["count"], few["count_capped"]) == (1, False)
    grouped = client.get(API, {"group": "closed"}).json()
    assert (grouped["count"], grouped["count_capped"]) == (0, False)


def test_the_schema_says_what_count_capped_means(client, db):
    schema = client.get("/api/schema/?format=json").json()
    page = schema["components"]["schemas"]["ReportPage"]
    assert page["properties"]["count_capped"]["type"] == "boolean"
    assert "1000+" in page["properties"]["count"]["description"]
    names = {p["name"] for p in schema["paths"][API]["get"]["parameters"]}
    assert {"cursor", "page", "page_size"} <= names


# --- the workspace queue -----------------------------------------------------------


def listed(response):
    return [
        int(pk)
        for pk in re.findall(r'name="reports" value="(\d+)"', response.content.decode())
    ]


def link(response, rel):
    found = re.search(rf'href="([^"]+)" rel="{rel}"', response.content.decode())
    return found and found[1].replace("&amp;", "&")


def test_queue_cursor_walks_every_report_once(staff, reports, monkeypatch):
    monkeypatch.setattr("territories.reports.workspace.views.PAGE_SIZE", 3)
    first = staff.get(QUEUE + "?status=&sort=supports")
    second = staff.get(QUEUE + link(first, "next"))
    third = staff.get(QUEUE + link(second, "next"))
    assert listed(first) + listed(second) + listed(third) == expected("-support_count")
    assert link(first, "prev") is None and link(third, "next") is None
    assert listed(staff.get(QUEUE + link(third, "prev"))) == listed(second)


def test_queue_with_a_bad_cursor_says_so_and_shows_the_first_page(staff, reports):
    response = staff.get(QUEUE + "?status=&cursor=abc")
    assert response.status_code == 200
    assert "cursor: " in response.content.decode()
    assert listed(response) == expected("-created_at")


def test_filtered_tabs_are_capped_counts(staff, reports, tos, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 5)
    html = staff.get(QUEUE + f"?status=&territory={tos.pk}").content.decode()
    counts = dict(re.findall(r'data-status="(\w+)">([\d+]+)<', html))
    assert counts["open"] == "5+" and counts["fixed"] == "0"
    assert "Найдено сообщений: 5+" in re.sub(r"\s+", " ", html)


# --- Open311 -------------------------------------------------------------------------


def test_open311_next_page_is_a_link_header(client, reports, monkeypatch):
    monkeypatch.setattr(open311, "MAX_REQUESTS", 4)
    first = client.get("/open311/v2/requests.json")
    assert len(first.json()) == 4
    following = re.fullmatch(r'<([^>]+)>; rel="next"', first["Link"])[1]
    rest = client.get(following)
    assert "Link" not in rest
    ids = [int(r["service_request_id"]) for r in first.json() + rest.json()]
    assert ids == expected("-created_at")


def test_open311_bad_cursor_is_named(client, reports):
    response = client.get("/open311/v2/requests.json", {"cursor": "abc"})
    assert response.status_code == 400
    assert "cursor" in response.content.decode()


def test_api_cursor_walks_a_circle_nearest_first(client, reports):
    lat, lon = lat_lon(100, 100)
    url = f"{API}?lat={lat}&lon={lon}&radius=500&page_size=3"
    pages = walk(client, url, "next")
    ids = [pk for page in pages for pk in page]
    assert ids == [r.pk for r in reports]  # 10 m apart, eastwards from the centre
    assert [len(page) for page in pages] == [3, 3, 1]
