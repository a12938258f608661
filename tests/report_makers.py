"""Problem reports for tests of the workspace and the feeds: made through the real
services (placement in SQL, timeline), then moved along the workflow."""

import io
from itertools import count

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from territories.models import ReportUpdate, Territory
from territories.services.reports import change_status, submit_report

from .conftest import utm_box, utm_point

_clients = count()
# How a report gets from «на модерации» to each status (specialist's path).
PATHS = {
    "moderation": [],
    "open": ["open"],
    "in_progress": ["open", "in_progress"],
    "planned": ["open", "planned"],
    "fixed": ["open", "fixed"],
    "closed": ["open", "closed"],
    "hidden": ["hidden"],
    "not_responsible": ["not_responsible"],
}


def lat_lon(x, y):
    point = utm_point(x, y).transform(4326, clone=True)
    return point.y, point.x


def jpeg(name="photo.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 90, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def make_report(x=100, y=100, status="open", category="yard", photos=(), **data):
    """A report at (x, y) metres from the centre of Angarsk, in `status`."""
    lat, lon = lat_lon(x, y)
    fields = {"lat": lat, "lon": lon, "category": category, "description": "Яма"}
    report, _token = submit_report(
        {**fields, **data},
        list(photos),
        source="web",
        client_hash=f"client-{next(_clients)}",
    )
    for step in PATHS[status]:
        change_status(report, step, role=ReportUpdate.Role.SPECIALIST)
    return report


def make_territory(district, name, x, y, size=500):
    return Territory.objects.create(
        district=district, name=name, geom=utm_box(x, y, size, size)
    )
