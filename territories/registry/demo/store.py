"""Writing the demo's rows: each row is known by a natural key (a demo key in `osm_id`,
a name), inserted when new, updated only when it changed; demo rows no longer
generated are removed. Nothing is duplicated however often it is loaded."""

from dataclasses import dataclass
from operator import attrgetter

from django.db.models import Q
from django.utils import timezone

from territories.registry import models

from .plan import COUNCIL_TITLES, DEMO_PREFIX

TIMESTAMPS = {"created_at", "updated_at"}
BATCH = 1000


@dataclass
class Outcome:
    total: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0


def upsert(objs, existing, key, *, stale=None):
    """Store `objs` (unsaved instances of one model) against the rows of the queryset
    `existing`, matched by `key(row)`; the rows of `existing` left unmatched are
    deleted where `stale(row)` says so. Afterwards every obj has its primary key."""
    if not objs:
        return Outcome()
    model = type(objs[0])
    fields = _data_fields(model)
    for obj in objs:
        _sync_foreign_keys(obj, fields)
    old_rows = {key(row): row for row in existing}
    new, changed = [], []
    for obj in objs:
        old = old_rows.pop(key(obj), None)
        if old is None:
            new.append(obj)
            continue
        obj.pk, obj._state.adding, obj._state.db = old.pk, False, old._state.db
        differ = [
            f for f in fields if getattr(obj, f.attname) != getattr(old, f.attname)
        ]
        if differ:
            changed.append((obj, differ))
    model.objects.bulk_create(new, batch_size=BATCH)
    _update(model, changed)
    gone = [row.pk for row in old_rows.values() if stale and stale(row)]
    if gone:
        model.objects.filter(pk__in=gone).delete()
    return Outcome(len(objs), len(new), len(changed), len(gone))


def _data_fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not f.generated and f.name not in TIMESTAMPS
    ]


def _sync_foreign_keys(obj, fields):
    """Assigning the related object again copies its primary key, given since the
    assignment, into the `*_id` attribute that comparison and keys read."""
    for f in fields:
        if f.is_relation:
            setattr(obj, f.name, getattr(obj, f.name))


def _update(model, changed):
    """One UPDATE a row, of the fields that differ: bulk_update's CASE expressions
    cost seconds a thousand rows, and reloads rarely change anything."""
    stamp = {}
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        stamp["updated_at"] = timezone.now()
    for obj, fields in changed:
        values = {f.attname: getattr(obj, f.attname) for f in fields}
        model.objects.filter(pk=obj.pk).update(**values, **stamp)


def _demo(model):
    return model.objects.filter(osm_id__startswith=DEMO_PREFIX)


def _named(model, objs):
    return model.objects.filter(name__in=[obj.name for obj in objs])


def _councils(plan):
    """The councils of the plan's names, and those the demo made earlier: named as
    it names them and serving no building but demo ones."""
    titled = Q()
    for title in COUNCIL_TITLES.values():
        titled |= Q(name__startswith=f"{title}: ")
    others = models.Building.objects.exclude(osm_id__startswith=DEMO_PREFIX)
    earlier = Q(titled) & ~Q(pk__in=others.values("council_id"))
    names = [council.name for council in plan.councils]
    return models.Council.objects.filter(Q(name__in=names) | earlier), set(names)


def _work_key(work):
    return (work.yard_id, work.year, work.programme, work.description)


def _always(row):
    return True


def save(plan):
    """Store the plan; {layer name: Outcome}. Rows known by name may be people's
    own: only the demo's are ever removed."""
    by_name, by_key = attrgetter("name"), attrgetter("osm_id")
    territories = list(plan.territories.values())
    councils, names = _councils(plan)
    outcomes = {
        "district": upsert(
            [plan.district], _named(models.District, [plan.district]), by_name
        ),
        "territories": upsert(
            territories, _named(models.Territory, territories), by_name
        ),
        "councils": upsert(
            plan.councils, councils, by_name, stale=lambda c: c.name not in names
        ),
    }
    keyed = [
        ("buildings", models.Building, plan.buildings),
        ("yards", models.Yard, plan.yards),
        ("grounds", models.Ground, plan.grounds),
        ("trees", models.Tree, plan.trees),
        ("resource centres", models.ResourceCentre, plan.resource_centres),
        ("container sites", models.ContainerSite, plan.container_sites),
    ]
    for name, model, objs in keyed:
        outcomes[name] = upsert(objs, _demo(model), by_key, stale=_always)
    works = models.YardWork.objects.filter(
        yard__osm_id__startswith=DEMO_PREFIX,
        programme__in=set(plan.extra["programme_by_year"].values()),
    )
    outcomes["yard works"] = upsert(plan.works, works, _work_key, stale=_always)
    return outcomes


def unload(plan):
    """Delete the demo's rows (the district stays: it may hold others' rows);
    the number of rows deleted."""
    deleted = 0
    for model in (
        models.Tree,
        models.Ground,
        models.ContainerSite,
        models.ResourceCentre,
        models.Yard,
        models.Building,
    ):
        deleted += _demo(model).delete()[0]
    councils, _ = _councils(plan)
    deleted += councils.delete()[0]
    deleted += _named(models.Territory, list(plan.territories.values())).delete()[0]
    return deleted
