"""The map's answer of the reports layer is bounded (docs/architecture.md, "Bounded
layers"): by default what waits or is being dealt with and what was closed recently;
clusters counted in SQL below zoom 18 when more than LAYER_MAP_CLUSTER_OVER match; at
most LAYER_MAP_CAP features, and an answer
that was cut says so. The OGC API still serves every report."""

import json
from datetime import timedelta
from itertools import count

import pytest
from django.test import override_settings
from django.utils import timezone

from territories.reports.layers import current_or_recent
from territories.reports.models import Category, ProblemReport

from .conftest import utm_point
from .forum_helpers import open_round, person, project

pytestmark = pytest.mark.django_db
URL = "/api/layers/reports/"
_numbers = count()


def make(status, dx=0, dy=0, days_since_change=0):
    """A report stored as it is, `days_since_change` days after its last change."""
    report = ProblemReport.objects.create(
        category=Category.objects.get(code="yard"),
        description=f"Сообщение {next(_numbers)}",
        status=status,
        geom=utm_point(dx, dy),
        source="web",
    )
    if days_since_change:
        changed = timezone.now() - timedelta(days=days_since_change)
        ProblemReport.objects.filter(pk=report.pk).update(
            created_at=changed, updated_at=changed
        )
    return report


def answer(client, query=""):
    response = client.get(f"{URL}{query}")
    body = b"".join(response.streaming_content) if response.streaming else None
    assert response.status_code == 200, response.content
    return response, json.loads(body)


def ids(collection):
    return {feature["id"] for feature in collection["features"]}


def test_by_default_old_closed_reports_stay_off_the_map(client, district):
    waiting = make("moderation", days_since_change=800)
    old_open = make("open", days_since_change=800)
    fresh_fix = make("fixed", days_since_change=10)
    old_fix = make("fixed", days_since_change=400)
    old_closed = make("closed", days_since_change=91)

    _response, collection = answer(client)

    assert ids(collection) == {waiting.pk, old_open.pk, fresh_fix.pk}
    assert collection["numberMatched"] == 3
    assert collection["limited"] is False
    # Asking for a status (or a date) chooses by itself: the old ones come back.
    _response, closed = answer(client, "?status=fixed,closed")
    assert ids(closed) == {fresh_fix.pk, old_fix.pk, old_closed.pk}
    _response, since = answer(client, "?since=2000-01-01")
    assert old_fix.pk in ids(since)


@override_settings(REPORTS_MAP_RECENT_DAYS=500)
def test_recent_days_is_a_setting(client, district):
    old_fix = make("fixed", days_since_change=400)
    _response, collection = answer(client)
    assert ids(collection) == {old_fix.pk}


def test_the_ogc_api_still_serves_every_report(client, district):
    make("open")
    make("fixed", days_since_change=400)
    make("closed", days_since_change=2000)
    response = client.get("/ogc/collections/reports/items?f=json")
    body = b"".join(response.streaming_content)
    collection = json.loads(body)
    assert collection["numberMatched"] == 3 == ProblemReport.objects.count()
    assert len(collection["features"]) == 3


@override_settings(LAYER_MAP_CLUSTER_OVER=5)
def test_below_zoom_18_the_answer_is_clusters_that_count_every_report(client, district):
    # Three groups of reports 3 km apart, and closed ones the default leaves out.
    for dx in (0, 3000, 6000):
        for step in range(dx // 1000 + 1):
            make("open", dx=dx + step * 20, dy=step * 15)
    make("closed", dx=3000, days_since_change=500)
    expected = current_or_recent(ProblemReport.objects.public()).count()

    _response, collection = answer(client, "?zoom=12")

    assert collection["clustered"] is True
    clusters = collection["features"]
    assert all(feature["properties"]["cluster"] for feature in clusters)
    assert sorted(f["properties"]["count"] for f in clusters) == [1, 4, 7]
    assert sum(f["properties"]["count"] for f in clusters) == expected == 12
    assert collection["numberMatched"] == expected
    biggest = clusters[0]
    minlon, minlat, maxlon, maxlat = biggest["properties"]["extent"]
    lon, lat = biggest["geometry"]["coordinates"]
    assert minlon < lon < maxlon and minlat < lat < maxlat
    # With a status asked for, the clusters count what it selects.
    for n in range(5):
        make("closed", dx=9000 + n, days_since_change=500)
    _response, closed = answer(client, "?zoom=12&status=closed")
    assert sorted(f["properties"]["count"] for f in closed["features"]) == [1, 5]


@override_settings(LAYER_MAP_CLUSTER_OVER=3)
def test_below_zoom_18_a_few_reports_come_as_points(client, district):
    reports = {make("open", dx=1000 * n).pk for n in range(3)}
    _response, collection = answer(client, "?zoom=10")
    assert collection["clustered"] is False
    assert ids(collection) == reports


@override_settings(LAYER_MAP_CLUSTER_OVER=0)
def test_from_zoom_18_the_answer_is_points(client, district):
    report = make("open")
    _response, collection = answer(client, "?zoom=18")
    assert collection["clustered"] is False
    assert ids(collection) == {report.pk}
    assert collection["features"][0]["properties"]["status"] == "open"


@override_settings(LAYER_MAP_CAP=3)
def test_beyond_the_cap_the_answer_is_cut_and_says_so(client, district):
    reports = [make("open", dx=10 * n) for n in range(5)]

    response, collection = answer(client, "?zoom=18")

    assert collection["limited"] is True
    # Counted up to the cap only: more than `limit` matched, not how many more.
    assert "numberMatched" not in collection
    assert collection["limit"] == 3
    assert len(collection["features"]) == 3
    # The newest are the ones kept.
    assert ids(collection) == {r.pk for r in reports[2:]}
    assert response["Layer-Limited"] == "true"
    assert "Layer-Number-Matched" not in response


@override_settings(LAYER_MAP_CAP=5)
def test_at_the_cap_the_answer_is_whole(client, district):
    for n in range(5):
        make("open", dx=10 * n)
    response, collection = answer(client)
    assert collection["limited"] is False
    assert len(collection["features"]) == 5 == collection["numberMatched"]
    assert response["Layer-Limited"] == "false"


@override_settings(LAYER_MAP_CAP=2, LAYER_MAP_CLUSTER_OVER=0)
def test_too_many_clusters_are_cut_and_say_so(client, district):
    for n in range(3):
        make("open", dx=5000 * n)
    _response, collection = answer(client, "?zoom=12")
    assert collection["clustered"] is True
    assert collection["limited"] is True
    assert collection["numberMatched"] == 3
    assert len(collection["features"]) == 2


@override_settings(LAYER_MAP_CAP=2)
def test_layers_that_grow_by_season_are_cut_at_the_cap_too(client, district):
    """Forum projects and contest entries have no narrower default, but every round
    adds to them: the map gets the newest LAYER_MAP_CAP and is told of the rest."""
    round_ = open_round()
    author = person("forum-author")
    made = [project(round_, author, x=100 + 10 * n) for n in range(3)]
    for query in ("", "?zoom=12"):
        response = client.get("/api/layers/forum_projects/" + query)
        assert response.status_code == 200
        collection = json.loads(b"".join(response.streaming_content))
        assert collection["limited"] is True
        assert collection["limit"] == 2
        assert {f["id"] for f in collection["features"]} == {p.pk for p in made[1:]}
        assert response["Layer-Limited"] == "true"
    entries = {entry["name"]: entry for entry in client.get("/api/layers/").json()}
    for name in ("forum_projects", "implementation_projects", "contest_entries"):
        assert entries[name]["bound"]["limit"] == 2, name
        assert entries[name]["bound"]["cluster_below"] is None, name


@pytest.mark.parametrize("zoom", ["x", "23", "-1", "1.5", ""])
def test_a_bad_zoom_is_refused_naming_it(client, district, zoom):
    response = client.get(f"{URL}?zoom={zoom}")
    assert response.status_code == 400
    assert response.json()["field"] == "zoom"


def test_a_layer_without_a_bound_refuses_zoom(client, district):
    response = client.get("/api/layers/territories/?zoom=12")
    assert response.status_code == 400
    assert response.json()["field"] == "zoom"


def test_the_etag_covers_zoom_and_the_cap(client, district):
    make("open")
    tags = {
        client.get(f"{URL}{query}")["ETag"] for query in ("", "?zoom=12", "?zoom=16")
    }
    with override_settings(LAYER_MAP_CAP=1):
        tags.add(client.get(URL)["ETag"])
    with override_settings(LAYER_MAP_CLUSTER_OVER=0):
        tags.add(client.get(URL)["ETag"])
    assert len(tags) == 5


def test_the_catalogue_declares_the_bound(client, district):
    entries = {entry["name"]: entry for entry in client.get("/api/layers/").json()}
    bound = entries["reports"]["bound"]
    assert bound["limit"] == 2000
    assert bound["cluster_below"] == 18
    assert bound["cluster_over"] == 500
    assert bound["asks"] == ["status", "since", "age"]
    assert entries["territories"]["bound"] is None
