"""No 5xx from the OGC API (geo/ogc/) on hostile input: each answer is a 4xx in JSON
that names the parameter, or a 200 (docs/architecture.md, "Refusing what cannot be
served")."""

import pytest

from territories.registry.models import Tree

from .conftest import utm_point

pytestmark = pytest.mark.django_db

ITEMS = "/ogc/collections/trees/items"


@pytest.mark.parametrize(
    "url, field",
    [
        (f"{ITEMS}/99999999999999999999999", "featureId"),
        (f"{ITEMS}?offset=99999999999999999999", "offset"),
        (f"{ITEMS}?limit=99999999999999999999", "limit"),
        (f"{ITEMS}?limit=%EF%BC%91", "limit"),  # a full-width digit one
        (f"{ITEMS}?datetime=2024-13-45", "datetime"),
        (f"{ITEMS}?datetime=0000-01-01", "datetime"),
        (f"{ITEMS}?datetime=9999-12-31T23:59:59-14:00/9999-12-31", "datetime"),
        (f"{ITEMS}?datetime=/", None),
        (f"{ITEMS}?datetime=../..", None),
        (f"{ITEMS}?datetime=0001-01-01T00:00:00%2B14:00/..", "datetime"),
        (f"{ITEMS}?bbox=nan,1,2,3", "bbox"),
        (f"{ITEMS}?bbox=1,2,3,4,5,6", "bbox"),
        (
            f"{ITEMS}?bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326&bbox=1,2",
            "bbox",
        ),
        (f"{ITEMS}?year=0x10", "year"),
        (f"{ITEMS}?territory=99999999999999999999999", "territory"),
        ("/ogc/collections/reports/items?datetime=2024-01-01T00:00:00Z/..", None),
        ("/ogc/collections/events/items?datetime=2024-01-01", None),
    ],
)
def test_hostile_items_queries_are_refused_by_name(client, url, field):
    Tree.objects.create(geom=utm_point(0, 0))
    response = client.get(url)
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if field is None:
        assert response.status_code == 200, content[:300]
        return
    assert response.status_code in (400, 404), content[:300]
    assert response["Content-Type"] == "application/json"
    assert response.json()["field"] == field
