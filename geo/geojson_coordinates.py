"""The coordinates of one GeoJSON Polygon or MultiPolygon as people send them,
walked at their fixed depth without recursion, each fault refused naming where it is
(docs/architecture.md, "Geometry from users"). Used by `geo.geojson_input`."""

import math

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import GeometryRefused
from .text import UNSTORABLE

# Degrees never exceed 180: numbers this large are metres of a projected CRS.
PROJECTED_BEYOND = 1000
# Ring ≥ 4 positions, the last equal to the first (RFC 7946, 3.1.6).
MIN_RING = 4


class Coordinates:
    """Walks the coordinates of one Polygon or MultiPolygon at their fixed depth,
    without recursion, and refuses the first fault, naming where it is."""

    def __init__(self, kind, field):
        self.multi = kind == "MultiPolygon"
        self.kind = kind
        self.field = field

    def polygons(self, geometry):
        """The polygons (lists of rings, each a list) of the geometry: the nesting
        down to the rings, checked without looking into them."""
        if "coordinates" not in geometry:
            self.refuse("structure", _("в геометрии нет поля «coordinates»"))
        coordinates = geometry["coordinates"]
        if not isinstance(coordinates, list):
            self.refuse(
                "structure",
                _("«coordinates» должно быть массивом, а пришло: %s")
                % shown(coordinates),
            )
        if not coordinates:
            self.refuse("empty", _("геометрия пуста: «coordinates» — пустой массив"))
        polygons = coordinates if self.multi else [coordinates]
        for p, polygon in enumerate(polygons):
            self.check_polygon(p, polygon)
        return polygons

    def check_polygon(self, p, polygon):
        if not isinstance(polygon, list):
            self.refuse(
                "structure",
                _("%(where)s: ожидается массив колец, а пришло: %(what)s")
                % {"where": self.where(p), "what": shown(polygon)},
            )
        if not polygon:
            self.refuse(
                "empty", _("%s: в многоугольнике нет ни одного кольца") % self.where(p)
            )
        for r, ring in enumerate(polygon):
            if not isinstance(ring, list):
                self.refuse(
                    "structure",
                    _(
                        "%(where)s: кольцо должно быть массивом точек, "
                        "а пришло: %(what)s"
                    )
                    % {"where": self.where(p, r), "what": shown(ring)},
                )
            if ring and _is_number(ring[0]):
                self.refuse_missing_level(p, r, ring[0])

    def refuse_missing_level(self, p, r, number):
        """A number where a ring's first position should be: an array level is
        missing (a ring sent as a Polygon, a Polygon's rings as a MultiPolygon)."""
        self.refuse(
            "structure",
            _(
                "%(where)s: кольцо должно быть массивом точек, а в нём число "
                "%(number)s: у %(kind)s координаты вложены на %(depth)d уровня"
            )
            % {
                "where": self.where(p, r),
                "number": _shown_number(number),
                "kind": self.kind,
                "depth": 4 if self.multi else 3,
            },
        )

    def count(self, polygons, max_vertices):
        """Refuses more positions than `max_vertices`, counted from the rings'
        lengths alone, before any position is looked at."""
        total = sum(len(ring) for polygon in polygons for ring in polygon)
        if total > max_vertices:
            self.refuse(
                "too_many_vertices",
                _(
                    "слишком много точек: %(count)d, можно не больше %(cap)d; "
                    "упростите границу"
                )
                % {"count": total, "cap": max_vertices},
            )

    def check_rings(self, polygons):
        for p, polygon in enumerate(polygons):
            for r, ring in enumerate(polygon):
                for i, position in enumerate(ring):
                    if not _is_position(position):
                        self.refuse_position_fault(position, p, r, i)
                self.check_ring(ring, p, r)

    def refuse_position_fault(self, position, p, r, i):
        where = self.where(p, r, i)
        if not isinstance(position, list):
            self.refuse(
                "structure",
                _(
                    "%(where)s: точка должна быть массивом [долгота, широта], "
                    "а пришло: %(what)s"
                )
                % {"where": where, "what": shown(position)},
            )
        if len(position) < 2:
            self.refuse(
                "structure",
                _("%s: в точке меньше двух чисел, нужны [долгота, широта]") % where,
            )
        for value in position:  # before the count: 5 arrays are no 3D position
            if not _is_number(value):
                self.refuse(
                    "not_number",
                    _("%(where)s: координата должна быть числом, а пришло: %(what)s")
                    % {"where": where, "what": shown(value)},
                )
        if len(position) > 2:
            self.refuse(
                "dimensions",
                _(
                    "%(where)s: чисел в точке %(count)d; трёхмерные координаты не "
                    "принимаются: пришлите только долготу и широту"
                )
                % {"where": where, "count": len(position)},
            )

    def check_ring(self, ring, p, r):
        if len(ring) >= MIN_RING and ring[0] == ring[-1]:
            return
        where = self.where(p, r)
        if len(ring) < MIN_RING:
            self.refuse(
                "too_few_points",
                _(
                    "%(where)s: точек в кольце %(count)d, нужно не меньше 4 "
                    "(последняя повторяет первую)"
                )
                % {"where": where, "count": len(ring)},
            )
        self.refuse(
            "not_closed",
            _(
                "%(where)s: кольцо не замкнуто: последняя точка %(last)s не "
                "совпадает с первой %(first)s"
            )
            % {
                "where": where,
                "last": _shown_position(ring[-1]),
                "first": _shown_position(ring[0]),
            },
        )

    def check_range(self, polygons):
        """Refuses positions beyond ±180° / ±90°, saying what they look like:
        projected metres, latitude and longitude swapped, or just out of range."""
        wrong = self.first(polygons, lambda x, y: not _in_range(x, y))
        if wrong is None:
            self.check_not_swapped_into_area(polygons)
            return
        x, y = wrong[3]
        if abs(x) > PROJECTED_BEYOND or abs(y) > PROJECTED_BEYOND:
            self.refuse_position("projected", wrong)
        if self.first(polygons, lambda x, y: not _in_range(y, x)) is None:
            self.refuse_position("swapped", wrong)
        self.refuse_position("out_of_range", wrong)

    def check_not_swapped_into_area(self, polygons):
        """Positions all in range are still swapped when none lies in
        settings.GIS_AREA, where the district is, and swapped all would."""
        inside = _in_area(settings.GIS_AREA)
        if self.first(polygons, inside) is not None:
            return
        if self.first(polygons, lambda x, y: not inside(y, x)) is None:
            self.refuse_position("swapped", self.first(polygons, lambda x, y: True))

    def check_bbox(self, member, polygons):
        """A `bbox` member, when sent (RFC 7946, 5): [west, south, east, north] with
        every position inside (west > east crosses the antimeridian). One that says
        otherwise means the coordinates are not what the sender meant."""
        if "bbox" not in member:
            return
        bbox = member["bbox"]
        if not (
            isinstance(bbox, list) and len(bbox) == 4 and all(map(_is_number, bbox))
        ):
            self.refuse(
                "bbox",
                _(
                    "«bbox» должен быть массивом [запад, юг, восток, север], а "
                    "пришло: %s"
                )
                % shown(bbox),
            )
        west, south, east, north = bbox
        outside = self.first(
            polygons, lambda x, y: not _in_bbox(x, y, west, south, east, north)
        )
        if outside is not None:
            p, r, i, position = outside
            self.refuse(
                "bbox",
                _("%(where)s: точка %(position)s лежит вне «bbox» %(bbox)s")
                % {
                    "where": self.where(p, r, i),
                    "position": _shown_position(position),
                    "bbox": _shown_position(bbox),
                },
            )

    def first(self, polygons, test):
        """(p, r, i, (x, y)) of the first position for which `test(x, y)`, or None."""
        found = (
            (p, r, i, (x, y))
            for p, polygon in enumerate(polygons)
            for r, ring in enumerate(polygon)
            for i, (x, y) in enumerate(ring)
            if test(x, y)
        )
        return next(found, None)

    def refuse_position(self, code, found):
        p, r, i, position = found
        messages = {
            "projected": _(
                "%(where)s: координаты %(position)s похожи на спроецированную систему "
                "(метры, например UTM); в GeoJSON — долгота и широта в градусах WGS 84 "
                "(EPSG:4326)"
            ),
            "swapped": _(
                "%(where)s: в точке %(position)s широта и долгота, похоже, "
                "переставлены: в GeoJSON порядок [долгота, широта]"
            ),
            "out_of_range": _(
                "%(where)s: координаты %(position)s вне допустимых пределов: долгота "
                "от −180 до 180, широта от −90 до 90"
            ),
        }
        where = self.where(p, r, i)
        self.refuse(
            code,
            messages[code] % {"where": where, "position": _shown_position(position)},
        )

    def where(self, p, r=None, i=None):
        """Where in the geometry, for a person and as the JSON path: «многоугольник
        2, отверстие 1, точка 5 (coordinates[1][1][4])»."""
        parts, index = [], []
        if self.multi:
            parts.append(_("многоугольник %d") % (p + 1))
            index.append(p)
        if r is not None:
            parts.append(_("внешнее кольцо") if r == 0 else _("отверстие %d") % r)
            index.append(r)
        if i is not None:
            parts.append(_("точка %d") % (i + 1))
            index.append(i)
        path = "coordinates" + "".join(f"[{n}]" for n in index)
        return f"{', '.join(parts)} ({path})" if parts else path

    def refuse(self, code, message):
        raise GeometryRefused(self.field, message, code=code)


def _is_position(value):
    return (
        isinstance(value, list)
        and len(value) == 2
        and _is_number(value[0])
        and _is_number(value[1])
    )


def _is_number(value):
    """A JSON number: not a boolean, NaN or an infinity. (Integers of any size are
    finite; they fail the range check instead.)"""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value)


def _in_range(x, y):
    return -180 <= x <= 180 and -90 <= y <= 90


def _in_bbox(x, y, west, south, east, north):
    across = west > east  # the box crosses the antimeridian
    in_x = (x >= west or x <= east) if across else west <= x <= east
    return in_x and south <= y <= north


def _in_area(area):
    min_x, min_y, max_x, max_y = area
    return lambda x, y: min_x <= x <= max_x and min_y <= y <= max_y


def _shown_position(position):
    return "[" + ", ".join(_shown_number(n) for n in position) + "]"


def _shown_number(number):
    if isinstance(number, int) and number.bit_length() > 64:
        return _("(очень большое число)")
    return repr(number)


def shown(value):
    """A sent JSON value in a few words, never the whole of a large or deep one."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _("строка %s") % shown_text(value)
    if isinstance(value, list):
        return _("массив")
    if isinstance(value, dict):
        return _("объект")
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else repr(value).replace("inf", "Infinity")
    if isinstance(value, (int, float)):
        return _shown_number(value)
    return repr(value)[:40]


def shown_text(text):
    """A sent text, shortened, with what the answer could not carry (a lone
    surrogate cannot be encoded in UTF-8) shown as �."""
    text = UNSTORABLE.sub("\ufffd", text)
    return "«%s»" % (text if len(text) <= 40 else text[:40] + "…")
