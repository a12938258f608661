"""Shared pieces of the report tests: a media folder per test, images made in memory,
a TOS with a yard and a building at the centre of Angarsk, a submitted report."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from territories.models import Building, Territory, Yard
from territories.services.reports import (
    Role,
    change_status,
    client_fingerprint,
    submit_report,
)

from .conftest import CENTRE, utm_box

NAME = "Аглая Феоктистовна Перепёлкина"
EMAIL = "aglaya.perepelkina@example.org"
PHONE = "+7 (902) 555-01-99"
GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Autouse where imported: every test writes photos to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


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
    point = Point(CENTRE.x + dx, CENTRE.y + dy, srid=CENTRE.srid)
    point = point.transform(4326, clone=True)
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


def make_report(dx=0, status=None, client_hash=None, **fields):
    """A report from a resident (with contacts), moved to `status` by a specialist."""
    data = form(dx, name=NAME, email=EMAIL, phone=PHONE, **fields)
    client_hash = client_hash or client_fingerprint("192.0.2.7")
    report, token = submit_report(data, source="web", client_hash=client_hash)
    path = {
        None: [],
        "moderation": [],
        "open": ["open"],
        "fixed": ["open", "fixed"],
        "in_progress": ["open", "in_progress"],
        "hidden": ["hidden"],
        "closed": ["open", "closed"],
    }[status]
    for step in path:
        change_status(report, step, role=Role.SPECIALIST)
    return report, token
