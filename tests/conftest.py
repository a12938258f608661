import importlib

import pytest
from django.apps import apps
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.test import Client

from territories.registry.models import District, Territory

from .jobs import forget_jobs

SRID = 32648
# A point near the real centre of Angarsk, in UTM 48N.
CENTRE = Point(103.8880, 52.5406, srid=4326).transform(SRID, clone=True)


def utm_box(x, y, width, height):
    """A rectangle in UTM 48N metres, offset from the centre of Angarsk."""
    x0, y0 = CENTRE.x + x, CENTRE.y + y
    polygon = Polygon.from_bbox((x0, y0, x0 + width, y0 + height))
    return MultiPolygon(polygon, srid=SRID)


def utm_point(x, y):
    return Point(CENTRE.x + x, CENTRE.y + y, srid=SRID)


def transactional(request):
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _jobs_end_with_the_test(request, django_db_blocker):
    """A transactional test commits its jobs; they go when its rows go."""
    yield
    if transactional(request):
        with django_db_blocker.unblock():
            forget_jobs()


@pytest.fixture
def categories(db):
    """The report categories the migrations seed, for transactional tests: the flush
    after an earlier one removed them."""
    migration = importlib.import_module(
        "territories.registry.migrations.0004_report_categories"
    )
    migration.seed(apps, None, app_label="reports")


@pytest.fixture
def kinds(db):
    """The kinds of events the migrations seed, for transactional tests (as
    `categories`)."""
    migration = importlib.import_module(
        "territories.events.migrations.0002_traditional_kinds"
    )
    migration.seed(apps, None)


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def district(db):
    return District.objects.create(
        name="Ангарский городской округ", geom=utm_box(-20_000, -20_000, 40_000, 40_000)
    )


@pytest.fixture
def media(settings, tmp_path):
    """Photos go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def tos(district):
    """A TOS of 500 m × 500 m north-east of the centre of Angarsk."""
    return Territory.objects.create(
        district=district, name="Перекресток", geom=utm_box(0, 0, 500, 500)
    )


@pytest.fixture
def other_tos(district):
    """A second TOS, 2 km east of the first."""
    return Territory.objects.create(
        district=district, name="Старица", geom=utm_box(2000, 0, 500, 500)
    )
