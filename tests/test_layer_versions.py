"""A layer's ETag follows everything its output reads: its own table, the tables it
joins or filters by, the settings it uses; and nothing else."""

import json

import pytest
from django.db import connection

from geo.layers import layers
from territories.registry.models import Building, Tree
from territories.reports.models import Category

from .conftest import utm_box, utm_point
from .report_helpers import report_at

pytestmark = pytest.mark.django_db
REPORTS = "/api/layers/reports/"
BUILDINGS = "/api/layers/buildings/"


def get(client, url, etag=None):
    """(response, its features); the features are None for a 304."""
    headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    response = client.get(url, **headers)
    if response.status_code != 200:
        return response, None
    return response, json.loads(b"".join(response.streaming_content))["features"]


def test_renaming_a_category_changes_the_reports_layer(client, tos):
    report_at(category="lighting")
    first, _features = get(client, REPORTS)
    Category.objects.filter(code="lighting").update(name="уличное освещение")
    response, features = get(client, REPORTS, etag=first["ETag"])
    assert response.status_code == 200 and response["ETag"] != first["ETag"]
    assert features[0]["properties"]["category_name"] == "уличное освещение"


@pytest.mark.parametrize("layer", ["reports", "buildings"])
def test_moving_a_tos_boundary_changes_its_layers_by_territory(client, tos, layer):
    report_at(100, 100)
    Building.objects.create(address="дом 1", geom=utm_box(90, 90, 20, 20))
    url = f"/api/layers/{layer}/?territory={tos.pk}"
    first, features = get(client, url)
    assert len(features) == 1
    tos.geom = utm_box(2000, 0, 500, 500)
    tos.save()
    response, features = get(client, url, etag=first["ETag"])
    assert response.status_code == 200 and response["ETag"] != first["ETag"]
    assert features == []


def test_the_average_household_is_part_of_the_buildings_version(client, settings):
    Building.objects.create(flats=10, geom=utm_box(0, 0, 20, 20))
    settings.AVERAGE_HOUSEHOLD = 2.0
    first, _features = get(client, BUILDINGS)
    settings.AVERAGE_HOUSEHOLD = 3.0
    response, features = get(client, BUILDINGS, etag=first["ETag"])
    assert response.status_code == 200
    assert features[0]["properties"]["residents"] == 30


def test_a_change_of_an_unrelated_table_keeps_the_reports_version(client, tos):
    report_at()
    first, _features = get(client, REPORTS)
    Tree.objects.create(species="берёза", geom=utm_point(100, 100))
    response, _features = get(client, REPORTS, etag=first["ETag"])
    assert response.status_code == 304


def test_every_table_a_layer_depends_on_records_its_changes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = c.relname || '_touch_layer'"
        )
        triggered = {table for (table,) in cursor.fetchall()}
    depended_on = {table for layer in layers.values() for table in layer.tables}
    assert depended_on - triggered == set()


def test_layers_filtered_by_territory_depend_on_the_territories(client):
    by_territory = [
        entry["name"]
        for entry in client.get("/api/layers/").json()
        if "territory" in entry["filters"]
    ]
    assert "reports" in by_territory and "buildings" in by_territory
    for name in by_territory:
        assert "territories_territory" in layers[name].tables, name
