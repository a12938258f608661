"""The `bbox=minlon,minlat,maxlon,maxlat` parameter (WGS 84), parsed and checked."""

import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Polygon
from django.utils.translation import gettext as _

# What parse_bbox takes, as an OpenAPI pattern: four decimal numbers (their ranges and
# order are checked by parse_bbox and said in its refusal).
DEGREES = r"-?[0-9]{1,3}(\.[0-9]{1,12})?"
BBOX_PATTERN = rf"^{DEGREES},{DEGREES},{DEGREES},{DEGREES}$"


class BBoxError(ValueError):
    """The bbox text is not a usable WGS 84 rectangle; the message says why."""


@dataclass(frozen=True)
class BBox:
    minlon: float
    minlat: float
    maxlon: float
    maxlat: float

    def polygon(self, srid):
        """The rectangle in `srid`, the column's CRS, so that indexes are used.

        A metric CRS is only defined near its area (a UTM zone is 6° wide): the
        rectangle is first clipped to settings.GIS_AREA, where the data can be, so a
        whole-world bbox still selects everything instead of corners gone wild. A
        rectangle wholly outside that area selects nothing."""
        area = settings.GIS_AREA
        box = (
            max(self.minlon, area[0]),
            max(self.minlat, area[1]),
            min(self.maxlon, area[2]),
            min(self.maxlat, area[3]),
        )
        if box[0] >= box[2] or box[1] >= box[3]:
            return Polygon(srid=srid)
        rectangle = Polygon.from_bbox(box)
        rectangle.srid = 4326
        return rectangle.transform(srid, clone=True)


def parse_bbox(text):
    parts = text.split(",")
    if len(parts) != 4:
        raise BBoxError(
            _("ожидается четыре числа через запятую: minlon,minlat,maxlon,maxlat")
        )
    try:
        minlon, minlat, maxlon, maxlat = (float(part) for part in parts)
    except ValueError:
        raise BBoxError(_("все четыре значения должны быть числами")) from None
    if not all(map(math.isfinite, (minlon, minlat, maxlon, maxlat))):
        raise BBoxError(_("значения должны быть конечными числами"))
    if not (-180 <= minlon <= 180 and -180 <= maxlon <= 180):
        raise BBoxError(_("долгота должна быть в пределах от -180 до 180"))
    if not (-90 <= minlat <= 90 and -90 <= maxlat <= 90):
        raise BBoxError(_("широта должна быть в пределах от -90 до 90"))
    if minlon >= maxlon or minlat >= maxlat:
        raise BBoxError(_("минимальные значения должны быть меньше максимальных"))
    return BBox(minlon, minlat, maxlon, maxlat)
