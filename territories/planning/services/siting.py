"""Where to build next (docs/domain.md, "Where to build next"): candidate sites
ranked by the residents each would newly cover, and a greedy plan of the best N
sites, computed as a background job whose progress and result are kept in its
`Analysis` row and reused until the data change."""

import hashlib
import json
import math
from datetime import timedelta

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geo import limits
from geo.errors import Refused
from geo.models import LayerState
from geo.numbers import whole_number
from geo.validators import point_refusal_reason
from territories.registry.models import District

from .. import spatial_siting
from ..models import Analysis
from . import analyses
from .coverage import checked_kind, checked_radius, data_version

State = Analysis.State
MAX_LIMIT = 200
MAX_SITES = 50
MAX_POINTS = 500
# A plan's progress: the steps of its preparation, then the rounds up to 99 (100
# comes with the result).
PREPARED = {"scope": 40, "pairs": 50}
ROUNDS_FROM = 50
# Starting a plan costs the server a job: counted per client (docs/architecture.md,
# "Limits"); a result kept or a job already under way is given back uncounted.
PLANS_PER_CLIENT = limits.Limit(
    "coverage-plans",
    "COVERAGE_PLANS_HOURLY_PER_CLIENT",
    timedelta(hours=1),
    "rate",
    gettext_lazy("слишком много расчётов за час; попробуйте позже"),
)


def checked_limit(raw):
    if raw in (None, ""):
        return 20
    limit = raw if type(raw) is int else whole_number(raw, 1, MAX_LIMIT)
    if limit is None or not 1 <= limit <= MAX_LIMIT:
        raise Refused("limit", _("limit — целое число от 1 до %d") % MAX_LIMIT)
    return limit


def checked_count(raw):
    """How many sites a plan picks: a whole number from 1 to MAX_SITES (a JSON
    number or its digits)."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    count = raw if type(raw) is int else whole_number(raw, 1, MAX_SITES)
    if count is None or not 1 <= count <= MAX_SITES:
        raise Refused("count", _("число площадок — целое от 1 до %d") % MAX_SITES)
    return count


def checked_plan_radius(raw, kind):
    if isinstance(raw, bool):
        raise Refused("radius", _("радиус — число метров"))
    return checked_radius(raw, kind)


def checked_points(raw):
    """The planner's candidate sites, [[lon, lat], …] in WGS 84, each inside the
    district; None when not given (the yards are the candidates then)."""
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise Refused("points", _("точки — список пар [долгота, широта]"))
    if not raw:
        raise Refused("points", _("отметьте хотя бы одну точку"))
    if len(raw) > MAX_POINTS:
        raise Refused("points", _("не больше %d точек") % MAX_POINTS)
    area = District.objects.area()
    within = area.prepared if area is not None else None
    return [checked_point(number, item, within) for number, item in enumerate(raw, 1)]


def checked_point(number, item, within):
    def refuse(reason):
        raise Refused(
            "points", _("точка %(n)d: %(reason)s") % {"n": number, "reason": reason}
        )

    if not isinstance(item, list | tuple) or len(item) != 2:
        refuse(_("ожидается пара [долгота, широта]"))
    if not all(is_number(value) for value in item):
        refuse(_("координаты — числа"))
    lon, lat = (float(value) for value in item)
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        refuse(_("долгота от −180 до 180, широта от −90 до 90"))
    reason = point_refusal_reason(Point(lon, lat, srid=4326), within=within)
    if reason:
        refuse(reason)
    return [lon, lat]


def is_number(value):
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def siting_version():
    """The coverage data version (`data_version`) and the yards' last change: the
    yards are the candidates."""
    yards = (
        LayerState.objects.filter(table="territories_yard")
        .values_list("changed_at", flat=True)
        .first()
    )
    text = f"{data_version()}|territories_yard@{yards}"
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def share(part, whole):
    return round(part / whole, 4) if whole else None


def candidates(kind, radius=None, territory=None, limit=None, background=False):
    """Yards without a ground of the kind, ranked by the residents each alone would
    newly cover (README, "Coverage of grounds"). Kept until the data change; the
    best MAX_LIMIT are kept, `limit` of them given. With `background`, a ranking
    that would be slow and is not kept yet is queued as a job instead, and its
    `Analysis` row returned (docs/domain.md, "Coverage of grounds": slow analyses)."""
    kind = checked_kind(kind)
    radius = checked_radius(radius, kind)
    limit = checked_limit(limit)
    territory_id = territory.pk if territory is not None else None
    version = siting_version()
    key = f"candidates:{kind}:{radius:g}:{territory_id or '-'}:{version}"
    kept = Analysis.objects.filter(key=key, state=State.DONE).first()
    result = kept.result if kept else None
    if result is None and background and analyses.is_slow(territory):
        from .. import tasks

        params = {"kind": kind, "radius": radius, "territory_id": territory_id}
        return analyses.started(
            key, f"candidates:{kind}", params | {"version": version}, tasks.candidates
        )
    if result is None:
        result = ranked(kind, radius, territory_id) | {"data_version": version}
        if siting_version() == version:  # as coverage(): nothing changed meanwhile
            analyses.keep(key, f"candidates:{kind}", result)
    return result | {"candidates": result["candidates"][:limit]}


def computed_candidates(kind, radius, territory_id, version):
    """The job's work (`tasks.candidates`): the best MAX_LIMIT, with the data
    version they read."""
    return ranked(kind, radius, territory_id) | {"data_version": siting_version()}


def ranked(kind, radius, territory_id):
    residents, covered, considered, sites = spatial_siting.ranked(
        kind, radius, territory_id, MAX_LIMIT
    )
    rows = []
    for rank, site in enumerate(sites, 1):
        gain = site.pop("gain")
        rows.append(
            {
                "rank": rank,
                **site,
                "residents_newly_covered": gain,
                "coverage_after": share(covered + gain, residents),
            }
        )
    return {
        "kind": kind,
        "radius_m": radius,
        "territory": territory_id,
        "residents_total": residents,
        "residents_covered": covered,
        "coverage_share": share(covered, residents),
        "candidates_considered": considered,
        "candidates": rows,
    }


def start_plan(kind, radius=None, count=None, territory=None, points=None, *, by):
    """The plan's `Analysis` and whether a job was started for it: the kept one
    when the same plan on the same data is done or under way, else a new (or a
    failed one's) job, counted against `by`'s hourly quota (a
    `geo.requester.Requester`)."""
    kind = checked_kind(kind)
    radius = checked_plan_radius(radius, kind)
    count = checked_count(count)
    points = checked_points(points)
    territory_id = territory.pk if territory is not None else None
    key = plan_key(kind, radius, count, territory_id, points, siting_version())
    kept = Analysis.objects.filter(key=key).exclude(state=State.FAILED).first()
    if kept is not None:
        return kept, False
    client = limits.client_of(by)
    with transaction.atomic():
        limits.check(PLANS_PER_CLIENT, client)
        analysis, created = Analysis.objects.get_or_create(
            key=key,
            defaults={
                "kind": f"plan:{kind}",
                "params": {
                    "kind": kind,
                    "radius": radius,
                    "count": count,
                    "territory": territory_id,
                    "points": points,
                },
            },
        )
        if not created:
            analysis = Analysis.objects.select_for_update().get(pk=analysis.pk)
            if analysis.state != State.FAILED:
                return analysis, False  # another request started it meanwhile
            analyses.queue_again(analysis)
        from .. import tasks

        tasks.greedy_plan.defer(analysis_id=analysis.pk)
        limits.record(PLANS_PER_CLIENT, client)
    return analysis, True


def plan_key(kind, radius, count, territory_id, points, version):
    where = "yards"
    if points is not None:
        digest = hashlib.sha1(json.dumps(points).encode()).hexdigest()[:16]
        where = f"points-{digest}"
    return f"plan:{kind}:{radius:g}:{territory_id or '-'}:{count}:{where}:{version}"


def run_plan(analysis_id):
    """The job: compute the plan of an `Analysis`, writing its progress after each
    round and the result at the end (a failure is written too, then raised)."""
    rows = Analysis.objects.filter(pk=analysis_id)
    analysis = rows.first()
    if analysis is None or analysis.state == State.DONE:
        return
    rows.update(state=State.RUNNING, progress=0)
    try:
        result = plan(**analysis.params, progress=lambda p: rows.update(progress=p))
    except Exception as exc:
        rows.update(
            state=State.FAILED,
            error=_("расчёт не удался (%s)") % type(exc).__name__,
            finished_at=timezone.now(),
        )
        raise
    rows.update(
        state=State.DONE, progress=100, result=result, finished_at=timezone.now()
    )


def plan(kind, radius, count, territory=None, points=None, progress=None):
    """The greedy plan (maximum coverage): `count` times, the candidate that newly
    covers the most residents not covered yet, until none adds anyone.
    `progress(percent)` is called after each round."""
    progress = progress or (lambda percent: None)
    version = siting_version()
    with spatial_siting.GreedyPlan(kind, radius, territory, points) as greedy:
        for step in greedy.prepare():
            progress(PREPARED[step])
        residents, before, considered = greedy.before()
        sites, covered = [], before
        for rank in range(1, count + 1):
            found = greedy.next_site()
            if found is None:
                break
            gain, site = found
            covered += gain
            sites.append(
                {
                    "rank": rank,
                    **site,
                    "residents_newly_covered": gain,
                    "covered_after": covered,
                    "coverage_after": share(covered, residents),
                }
            )
            progress(min(99, ROUNDS_FROM + (100 - ROUNDS_FROM) * rank // count))
    return {
        "kind": kind,
        "radius_m": radius,
        "territory": territory,
        "candidates": "points" if points else "yards",
        "candidates_considered": considered,
        "data_version": version,
        "residents_total": residents,
        "residents_covered_before": before,
        "residents_covered_after": covered,
        "coverage_before": share(before, residents),
        "coverage_after": share(covered, residents),
        "sites": sites,
    }
