"""Storage invariants of the spatial model."""

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import IntegrityError, connection, transaction

from territories.registry.models import Ground, Tree

from .conftest import CENTRE, utm_box, utm_point

pytestmark = pytest.mark.django_db

GEO_TABLES = [
    "territories_district",
    "territories_territory",
    "territories_building",
    "territories_yard",
    "territories_ground",
    "territories_tree",
    "territories_resourcecentre",
    "territories_containersite",
]


@pytest.mark.parametrize("table", GEO_TABLES)
def test_geometry_is_stored_in_gis_srid_with_a_named_gist_index(table, settings):
    with connection.cursor() as cursor:
        cursor.execute("SELECT Find_SRID('public', %s, 'geom')", [table])
        assert cursor.fetchone()[0] == settings.GIS_SRID
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [table, "%USING gist (geom)%"],
        )
        (indexdef,) = cursor.fetchone()
    assert "_geom_gist" in indexdef


def test_invalid_geometry_is_refused_by_the_database():
    x, y = CENTRE.x, CENTRE.y
    bowtie = Polygon(((x, y), (x + 10, y + 10), (x + 10, y), (x, y + 10), (x, y)))
    with pytest.raises(IntegrityError, match="ground_geom_valid"), transaction.atomic():
        Ground.objects.create(kind="sport", geom=MultiPolygon(bowtie, srid=32648))
    assert Ground.objects.count() == 0


def test_unknown_ground_kind_is_refused_by_the_database():
    with pytest.raises(IntegrityError, match="ground_kind_known"), transaction.atomic():
        Ground.objects.create(kind="swimming", geom=utm_box(0, 0, 10, 10))


def test_osm_id_is_unique_but_optional():
    Tree.objects.create(geom=utm_point(0, 0))
    Tree.objects.create(geom=utm_point(1, 0))
    Tree.objects.create(osm_id="node/1", geom=utm_point(2, 0))
    with pytest.raises(IntegrityError), transaction.atomic():
        Tree.objects.create(osm_id="node/1", geom=utm_point(3, 0))


def test_area_is_computed_by_the_database():
    ground = Ground.objects.create(kind="playground", geom=utm_box(0, 0, 20, 15))
    ground.refresh_from_db()
    assert ground.area_m2 == pytest.approx(300)


def test_admin_map_widget_uses_our_openlayers_not_a_cdn(client):
    admin = User.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(admin)
    ground = Ground.objects.create(kind="sport", geom=utm_box(0, 0, 20, 20))
    response = client.get(f"/admin/territories/ground/{ground.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/vendor/ol/ol.js" in html
    assert "cdn" not in html.lower()
    assert "/static/geo/map-widget.js" in html  # starts it; no inline script
