"""Shared pieces of the report tests: images made in memory, a TOS with a yard and a
building at the centre of Angarsk, reports made through the real services (placement in
SQL, timeline) and moved along the workflow, what is stored afterwards.

The tests that store photos use the `media` fixture of conftest.py."""

import io
from itertools import count
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from geo.requester import Requester, client_fingerprint
from territories.registry.models import Building, Territory, Yard
from territories.reports.models import (
    Follower,
    ProblemReport,
    ReportPhoto,
    ReportUpdate,
)
from territories.reports.services import change_status, submit_report

from .conftest import utm_box, utm_point

NAME = "Аглая Феоктистовна Перепёлкина"
EMAIL = "aglaya.perepelkina@example.org"
PHONE = "+7 (902) 555-01-99"
GPS_IFD = 0x8825
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
_clients = count()


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def counts():
    """Reports, photos, timeline entries and followers stored, in that order."""
    models = (ProblemReport, ReportPhoto, ReportUpdate, Follower)
    return [model.objects.count() for model in models]


def stored_nothing():
    return not any(counts()) and not media_files()


def image_bytes(kind="JPEG", size=(64, 48), exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 60, 40))
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=kind, **options)
    return buffer.getvalue()


def gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "ACME Phone"  # Make
    exif[GPS_IFD] = {1: "N", 2: (52.0, 32.0, 26.0), 3: "E", 4: (103.0, 53.0, 17.0)}
    return exif


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def lat_lon(dx=0, dy=0):
    """WGS 84 latitude and longitude of a point dx, dy metres from the centre."""
    point = utm_point(dx, dy).transform(4326, clone=True)
    return point.y, point.x


def form(dx=0, dy=0, **fields):
    lat, lon = lat_lon(dx, dy)
    data = {
        "lat": str(lat),
        "lon": str(lon),
        "category": "lighting",
        "description": "Не горит фонарь у третьего подъезда",
    }
    data.update(fields)
    return data


def make_places(district):
    """A TOS around the centre, a yard inside it, a building at the centre."""
    chair = get_user_model().objects.create_user("chair", password="x")
    territory = Territory.objects.create(
        district=district,
        name="Перекресток",
        population=2478,
        geom=utm_box(-500, -500, 1000, 1000),
        chair_user=chair,
    )
    yard = Yard.objects.create(name="Двор у дома 5", geom=utm_box(-50, -50, 100, 100))
    building = Building.objects.create(
        address="микрорайон 12а, дом 5", geom=utm_box(-10, -10, 20, 20)
    )
    return territory, yard, building


def make_report(dx=0, status="moderation", client_hash=None, **fields):
    """A lighting report from a resident with contacts, moved to `status`;
    (report, manage token)."""
    data = form(dx, name=NAME, email=EMAIL, phone=PHONE, **fields)
    client_hash = client_hash or client_fingerprint("192.0.2.7")
    report, token = submit_report(data, source="web", client_hash=client_hash)
    return move_to(report, status), token


def report_at(x=100, y=100, status="open", category="yard", photos=(), **data):
    """A report at (x, y) metres from the centre of Angarsk (inside the `tos` fixture by
    default), without contacts, from a client of its own, moved to `status`."""
    lat, lon = lat_lon(x, y)
    fields = {"lat": lat, "lon": lon, "category": category, "description": "Яма"}
    report, _token = submit_report(
        {**fields, **data},
        list(photos),
        source="web",
        client_hash=f"client-{next(_clients)}",
    )
    return move_to(report, status)


def specialist():
    """A support-centre specialist (staff account) as services see the one asking."""
    user, _new = get_user_model().objects.get_or_create(
        username="specialist", defaults={"is_staff": True}
    )
    return Requester(user)


def move_to(report, status):
    """The report, taken from «на модерации» to `status` the way a specialist does."""
    for step in PATHS[status]:
        change_status(report, step, by=specialist())
    return report
