"""The catalogue counts what a layer publishes, not every row of its table."""

import pytest

from territories.reports.models import Category, ProblemReport

from .conftest import utm_point

pytestmark = pytest.mark.django_db


def report(status, x):
    return ProblemReport.objects.create(
        category=Category.objects.get(code="yard"),
        description="яма",
        status=status,
        source="web",
        geom=utm_point(x, 0),
    )


def test_hidden_reports_are_neither_counted_nor_in_the_extent(client):
    report("open", 0)
    report("moderation", 100)
    report("hidden", 5000)
    entries = {e["name"]: e for e in client.get("/api/layers/").json()}
    assert entries["reports"]["count"] == 2
    minlon, _, maxlon, _ = entries["reports"]["extent"]
    # 5 km east of the others would stretch the extent by ~0.07° of longitude.
    assert maxlon - minlon < 0.01
