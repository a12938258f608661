"""`geo.validators` runs in every geo model's validation (`GeoFeature.validate_geom`),
so the admin refuses a geometry with the validator's reason, not the database's."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError

from territories.registry import models
from territories.registry.models import District, Ground, Territory, Yard

from .conftest import CENTRE, utm_box, utm_point
from .report_helpers import report_at

pytestmark = pytest.mark.django_db

SELF_INTERSECTION = "недопустимая геометрия: самопересечение"
OUTSIDE = "вне городского округа"


def bow_tie(x=0, y=0):
    """A self-intersecting outline near the centre of Angarsk."""
    x, y = CENTRE.x + x, CENTRE.y + y
    ring = ((x, y), (x + 10, y + 10), (x + 10, y), (x, y + 10), (x, y))
    return MultiPolygon(Polygon(ring), srid=32648)


def geom_errors(instance):
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    return refused.value.message_dict["geom"]


def the_district():
    return District.objects.first() or District.objects.create(
        name="округ", geom=utm_box(-20_000, -20_000, 40_000, 40_000)
    )


OUTLINED = {
    models.District: lambda: {"name": "другой округ"},
    models.Territory: lambda: {"name": "ТОС", "district": the_district()},
    models.Building: dict,
    models.Yard: lambda: {"name": "двор"},
    models.Ground: lambda: {"kind": "sport"},
}
POINTS = {
    models.Tree: dict,
    models.ResourceCentre: lambda: {"name": "центр"},
    models.ContainerSite: dict,
}


@pytest.mark.parametrize("model", OUTLINED, ids=lambda m: m.__name__)
def test_full_clean_explains_an_invalid_outline(model, district):
    instance = model(geom=bow_tie(), **OUTLINED[model]())
    (reason,) = geom_errors(instance)
    assert reason.startswith(SELF_INTERSECTION)


@pytest.mark.parametrize("model", POINTS, ids=lambda m: m.__name__)
def test_full_clean_refuses_a_point_that_cannot_be_stored(model, district):
    beyond_the_pole = Point(103.9, 95, srid=4326)
    instance = model(geom=beyond_the_pole, **POINTS[model]())
    assert geom_errors(instance) == ["не переводится в систему координат EPSG:32648"]


@pytest.mark.parametrize("model", [*OUTLINED, *POINTS], ids=lambda m: m.__name__)
def test_a_place_must_lie_in_the_district(model, district):
    fields = {**OUTLINED, **POINTS}[model]()
    far = utm_box(30_000, 0, 10, 10) if model in OUTLINED else utm_point(30_000, 0)
    near = utm_box(0, 0, 10, 10) if model in OUTLINED else utm_point(0, 0)
    model(geom=near, **fields).full_clean()
    if model is District:  # it is the area itself
        model(geom=far, **fields).full_clean()
    else:
        assert geom_errors(model(geom=far, **fields)) == [OUTSIDE]


def test_a_place_in_wgs84_is_checked_where_it_will_be_stored(district):
    inside = utm_point(100, 100).transform(4326, clone=True)
    models.Tree(geom=inside).full_clean()


def test_a_tos_must_lie_in_its_own_district(district):
    neighbour = District.objects.create(name="сосед", geom=utm_box(30_000, 0, 900, 900))
    tos = Territory(name="ТОС", district=district, geom=utm_box(30_100, 100, 50, 50))
    assert geom_errors(tos) == [OUTSIDE]
    tos.district = neighbour
    tos.full_clean()


def test_places_are_not_refused_before_a_district_is_recorded(db):
    models.Tree(geom=utm_point(30_000, 0)).full_clean()


def test_a_report_moved_out_of_the_district_is_refused(district, media):
    report = report_at()
    report.geom = utm_point(30_000, 0)
    assert geom_errors(report) == [OUTSIDE]


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser("root", password="pw")
    )
    return client


# Each makes a stored feature and the rest of its admin form: (feature, form data).
def ground(district):
    feature = Ground.objects.create(kind="sport", geom=utm_box(0, 0, 20, 20))
    return feature, {"kind": "sport"}


def yard(district):
    feature = Yard.objects.create(name="двор", geom=utm_box(0, 0, 20, 20))
    works = {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MAX_NUM_FORMS": 1000}
    return feature, {"name": "двор", **{f"works-{k}": v for k, v in works.items()}}


def territory(district):
    feature = Territory.objects.create(
        name="ТОС", district=district, geom=utm_box(0, 0, 20, 20)
    )
    data = {"name": "ТОС", "district": district.pk, "population": 0}
    return feature, {**data, "status": "approved"}


@pytest.mark.parametrize("make", [ground, yard, territory], ids=lambda f: f.__name__)
def test_admin_change_form_shows_the_reason_and_keeps_the_geometry(
    make, admin_client, district
):
    instance, data = make(district)
    before = instance.geom
    meta = instance._meta
    response = admin_client.post(
        f"/admin/{meta.app_label}/{meta.model_name}/{instance.pk}/change/",
        {**data, "geom": bow_tie().ewkt},
    )
    assert response.status_code == 200
    (reason,) = response.context["adminform"].form.errors["geom"]
    assert reason.startswith(SELF_INTERSECTION)
    assert SELF_INTERSECTION in response.content.decode()
    instance.refresh_from_db()
    assert instance.geom.equals_exact(before)
