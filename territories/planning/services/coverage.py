"""Coverage of residents by sport grounds or playgrounds, and the provision of
ground area against the norms (docs/domain.md, "Coverage of grounds").

A building is covered when the shortest distance between its outline and a ground
of the kind is within the radius, wherever the ground lies; it belongs to the
approved TOS holding its point on surface. The result is kept (`Analysis`) under a
key of its parameters and the data version, so it is computed once per change of
the data it reads."""

import hashlib
import math

from django.conf import settings
from django.utils.translation import gettext as _

from geo.errors import NotFound, Refused
from geo.layers import table_changes
from territories.registry.models import Territory

from .. import spatial, walking
from ..models import Analysis, Norm
from . import analyses

KINDS = ("sport", "playground")
METHODS = ("straight", "network")
# What an analysis reads: a change to any of these tables changes its result.
TABLES = (
    "territories_building",
    "territories_ground",
    "territories_territory",
    "planning_norm",
    "territories_way",
)


def checked_kind(raw):
    if raw not in KINDS:
        raise Refused("kind", _("вид площадок: sport или playground"))
    return raw


def checked_method(raw):
    raw = raw or "straight"
    if raw not in METHODS:
        raise Refused("method", _("способ: straight (по прямой) или network (пешком)"))
    return raw


def checked_radius(raw, kind):
    """The radius in metres: the norm's when not given; a positive number up to
    settings.COVERAGE_MAX_RADIUS_M."""
    if raw in (None, ""):
        return Norm.objects.value(f"{kind}_radius")
    try:
        radius = float(raw)
    except (TypeError, ValueError):
        raise Refused("radius", _("радиус — число метров")) from None
    if not math.isfinite(radius) or radius <= 0:
        raise Refused("radius", _("радиус должен быть больше нуля"))
    cap = settings.COVERAGE_MAX_RADIUS_M
    if radius > cap:
        raise Refused("radius", _("радиус не больше %s м") % f"{cap:g}")
    return radius


def checked_territory(raw):
    """An approved TOS by id, None when not given."""
    if raw in (None, ""):
        return None
    text = str(raw)
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise Refused("territory", _("id ТОС — целое число"))
    territory = Territory.objects.approved().filter(pk=int(text)).first()
    if territory is None:
        raise NotFound("territory", _("нет утверждённого ТОС с id %s") % text)
    return territory


def data_version():
    """Changes whenever what an analysis reads changes: the tables' last changes
    (kept by their triggers) and the settings the figures depend on."""
    changed = table_changes(TABLES)
    parts = [f"{table}@{changed.get(table)}" for table in TABLES]
    parts.append(f"household={settings.AVERAGE_HOUSEHOLD!r}")
    parts.append(f"snap={settings.WALKING_SNAP_M!r}")
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


def coverage(kind, radius=None, territory=None, method="straight", background=False):
    """The coverage answer (README, "Coverage of grounds"); `territory` a Territory
    or None. Kept and reused until the data change. With `background`, an analysis
    that would be slow and is not kept yet is queued as a job instead, and its
    `Analysis` row returned (docs/domain.md, "Coverage of grounds": slow analyses)."""
    kind = checked_kind(kind)
    radius = checked_radius(radius, kind)
    method = checked_method(method)
    if method == "network" and (reason := walking.unavailable_reason()):
        raise Refused("method", reason)
    version = data_version()
    territory_id = territory.pk if territory is not None else None
    key = f"coverage:{kind}:{radius:g}:{territory_id or '-'}:{method}:{version}"
    kept = Analysis.objects.filter(key=key, state=Analysis.State.DONE).first()
    if kept is not None:
        return kept.result
    if background and analyses.is_slow(territory, method):
        from .. import tasks

        params = {"kind": kind, "radius": radius, "territory_id": territory_id}
        params |= {"method": method, "version": version}
        return analyses.started(key, f"coverage:{kind}", params, tasks.coverage)
    result = compute(kind, radius, territory_id, method) | {"data_version": version}
    # Each query reads the data committed when it starts: kept only if nothing was
    # committed to what it read while it ran, so a key never holds figures of
    # another version.
    if data_version() == version:
        analyses.keep(key, f"coverage:{kind}", result)
    return result


def computed(kind, radius, territory_id, method, version):
    """The job's work (`tasks.coverage`): the answer, with the data version it
    read (the key's, unless the data changed since the request)."""
    return compute(kind, radius, territory_id, method) | {
        "data_version": data_version()
    }


def compute(kind, radius, territory_id, method):
    per_resident = Norm.objects.value(f"{kind}_area_per_resident")
    totals = spatial.totals(kind, radius, territory_id, method)
    areas = spatial.ground_areas(kind)
    approved = Territory.objects.approved().order_by("name")
    if territory_id is not None:
        approved = approved.filter(pk=territory_id)
    rows = []
    for tos in approved.values_list("pk", "name"):
        buildings, residents, covered = totals.get(tos[0], (0, 0, 0))
        rows.append(
            figures(tos, residents, covered, areas.get(tos[0], 0.0), per_resident)
        )
    if territory_id is None:
        residents = sum(t[1] for t in totals.values())
        covered = sum(t[2] for t in totals.values())
        area = sum(areas.values())
    else:
        residents, covered = rows[0]["residents_total"], rows[0]["residents_covered"]
        area = rows[0]["ground_area_m2"]
    whole = figures(None, residents, covered, area, per_resident)
    del whole["id"], whole["name"]
    return {
        "kind": kind,
        "radius_m": radius,
        "method": method,
        **whole,
        "norm_area_per_resident_m2": per_resident,
        "territories": rows,
    }


def figures(tos, residents, covered, ground_area, per_resident):
    norm_area = residents * per_resident
    return {
        "id": tos[0] if tos else None,
        "name": tos[1] if tos else None,
        "residents_total": residents,
        "residents_covered": covered,
        "coverage_share": round(covered / residents, 4) if residents else None,
        "ground_area_m2": round(ground_area, 1),
        "norm_area_m2": round(norm_area, 1),
        "deficit_m2": round(max(0.0, norm_area - ground_area), 1),
    }
