"""Analyses that would be slow run as background jobs (docs/domain.md, "Coverage of
grounds": slow analyses): the request queues a job on an `Analysis` row and is
answered 202 with it; the job writes its progress and result into that row, and
the next identical request is answered from the kept result."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from territories.registry.models import Building

from ..models import Analysis

State = Analysis.State
# A job's progress around its steps: started, computed, kept (with the result).
STARTED, COMPUTED = 10, 90


def is_slow(territory, method="straight"):
    """Whether an analysis of the buildings in scope would take more than a few
    seconds: more than COVERAGE_SYNC_MAX_BUILDINGS of them, or
    COVERAGE_SYNC_MAX_BUILDINGS_NETWORK for walking distance."""
    limit = settings.COVERAGE_SYNC_MAX_BUILDINGS
    if method == "network":
        limit = min(limit, settings.COVERAGE_SYNC_MAX_BUILDINGS_NETWORK)
    buildings = Building.objects.all()
    if territory is not None:
        buildings = buildings.filter(geom__intersects=territory.geom)
    # Counting stops one past the limit: a large city is not counted in full.
    return buildings[: limit + 1].count() > limit


def started(key, kind, params, task):
    """The `Analysis` under `key` when it is done or under way; else a new one (or
    the failed one again) with `task` queued for it in the same transaction."""
    kept = Analysis.objects.filter(key=key).exclude(state=State.FAILED).first()
    if kept is not None:
        return kept
    with transaction.atomic():
        analysis, created = Analysis.objects.get_or_create(
            key=key, defaults={"kind": kind, "params": params}
        )
        if not created:
            analysis = Analysis.objects.select_for_update().get(pk=analysis.pk)
            if analysis.state != State.FAILED:
                return analysis  # another request queued it meanwhile
            queue_again(analysis)
        task.defer(analysis_id=analysis.pk)
    return analysis


def keep(key, kind, result):
    """Store a result computed in the request; a concurrent request that stored it
    first wins."""
    try:
        with transaction.atomic():
            Analysis.objects.create(
                key=key,
                kind=kind,
                state=State.DONE,
                progress=100,
                result=result,
                finished_at=timezone.now(),
            )
    except IntegrityError:
        pass


def queue_again(analysis):
    analysis.state = State.QUEUED
    analysis.progress = 0
    analysis.result = None
    analysis.error = ""
    analysis.finished_at = None
    analysis.save(update_fields=["state", "progress", "result", "error", "finished_at"])


def run(analysis_id, work):
    """The job: `work(**params)` of an `Analysis`, its progress written around it
    and its result at the end (a failure is written too, then raised)."""
    rows = Analysis.objects.filter(pk=analysis_id)
    analysis = rows.first()
    if analysis is None or analysis.state == State.DONE:
        return
    rows.update(state=State.RUNNING, progress=STARTED)
    try:
        result = work(**analysis.params)
    except Exception as exc:
        rows.update(
            state=State.FAILED,
            error=_("расчёт не удался (%s)") % type(exc).__name__,
            finished_at=timezone.now(),
        )
        raise
    rows.update(progress=COMPUTED)
    rows.update(
        state=State.DONE, progress=100, result=result, finished_at=timezone.now()
    )
