"""What an organiser records after an event (docs/domain.md, "After the event"): the
number of participants and the outcome, a photo report, and at a planting drive the
trees planted, which join the registry's `trees` layer.

Whoever may act for the event's organiser records (specialists for anyone,
territories/accounts/organisers.py), once the event has started and unless it was
cancelled. Each call is one transaction under the event's row lock, so a recording
and a cancellation, or two photo uploads against the per-event cap, take turns.
Every call may be repeated: the figures are replaced, photos and trees added, and
`recorded_at` says when results were last recorded."""

import math

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo import photos as pipeline
from geo.errors import NotFound, Refused
from geo.numbers import whole_number
from geo.text import storable_text
from geo.validators import point_refusal_reason
from geo.wgs84 import WGS84, stored_point
from territories.accounts.organisers import check_may_act_for_row, may_act_for_row
from territories.registry.models import District, Tree

from ..models import Event, EventPhoto, PlantedTree

MAX_SPECIES = Tree._meta.get_field("species").max_length


def photo_rules():
    """An event's photos go through the reports' pipeline under EVENT_* limits."""
    return pipeline.PhotoRules(
        max_photos=settings.EVENT_PHOTOS_PER_REQUEST,
        max_bytes=settings.EVENT_MAX_PHOTO_BYTES,
        max_side=settings.EVENT_PHOTO_MAX_SIDE,
        max_pixels=settings.EVENT_PHOTO_MAX_PIXELS,
        request_max_pixels=settings.EVENT_REQUEST_MAX_PIXELS,
    )


def may_record(user, event, now=None):
    """Whether the page should offer the form (the services still decide)."""
    now = now or timezone.now()
    return (
        event.state != Event.State.CANCELLED
        and event.starts_at <= now
        and _may_act(user, event)
    )


def record_results(event_id, *, participants, outcome=None, by):
    """The participants (a whole number) and, when given, the outcome text replace
    what was recorded. Returns the event."""
    count = checked_participants(participants)
    text = None if outcome is None else checked_outcome(outcome)
    with transaction.atomic():
        event = _recordable(event_id, by)
        event.participants = count
        if text is not None:
            event.outcome = text
        event.recorded_at = timezone.now()
        event.save(update_fields=["participants", "outcome", "recorded_at"])
    return event


def record_report(event_id, *, participants, outcome, files, by):
    """The results page's form: the figures and the photos together, all or none
    (a refused photo leaves the figures as they were). The photos are checked and
    re-encoded before the event's row is locked. Returns the event."""
    count = checked_participants(participants)
    text = checked_outcome(outcome or "")
    cleaned = _cleaned(event_id, files, by) if files else []
    with transaction.atomic():
        event = _recordable(event_id, by)
        event.participants = count
        event.outcome = text
        _store_photos(event, cleaned)
        event.recorded_at = timezone.now()
        event.save(update_fields=["participants", "outcome", "recorded_at"])
    return event


def add_photos(event_id, files, *, by):
    """The photos checked and re-encoded (geo/photos.py), then stored with the event,
    all or none. Who may is asked before any photo is read; the per-event cap
    (EVENT_MAX_PHOTOS) is asked again under the lock."""
    cleaned = _cleaned(event_id, files, by)
    with transaction.atomic():
        event = _recordable(event_id, by)
        stored = _store_photos(event, cleaned)
        _touch(event)
    return stored


def _cleaned(event_id, files, by):
    _recordable_unlocked(event_id, by)
    if not files:
        raise Refused("photos", _("приложите хотя бы одну фотографию"))
    _check_room(event_id, len(files))
    return pipeline.clean_photos(files, photo_rules())


def _store_photos(event, cleaned):
    """Under the event's row lock: the cap asked again, then the photos stored."""
    _check_room(event.pk, len(cleaned))
    return [
        EventPhoto.objects.create(
            event=event, image=photo.content, width=photo.width, height=photo.height
        )
        for photo in cleaned
    ]


def add_trees(event_id, trees, *, by):
    """Trees planted at a planting drive: a list of {lon, lat, species} (EPSG:4326),
    each in the district. Each becomes a registry Tree (the drive's campaign, else its
    kind's name; planted on the drive's local date) linked to the drive; all or
    none. Returns the new trees."""
    points = checked_trees(trees)
    with transaction.atomic():
        event = _recordable(event_id, by)
        if not event.kind.is_planting:
            raise Refused(
                "trees", _("деревья записываются только у акций по посадке деревьев")
            )
        _check_in_district(points)
        planted_on = timezone.localtime(event.starts_at).date()
        campaign = event.campaign or event.kind.name
        new = Tree.objects.bulk_create(
            Tree(geom=point, species=species, planted_on=planted_on, campaign=campaign)
            for point, species in points
        )
        PlantedTree.objects.bulk_create(
            PlantedTree(event=event, tree=tree) for tree in new
        )
        _touch(event)
    return new


# --- checks of the input, before anything is read from the database ---------------


def checked_participants(value):
    """A whole number from 0 to EVENT_MAX_PARTICIPANTS, given as a JSON number or
    ASCII digits (geo/numbers.py); Refused naming `participants`."""
    limit = settings.EVENT_MAX_PARTICIPANTS
    if isinstance(value, bool):
        value = None
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        value = str(value) if value >= 0 else None
    number = whole_number(value.strip(), 0, limit) if isinstance(value, str) else None
    if number is None:
        raise Refused(
            "participants",
            _("укажите число участников: целое число от 0 до %d") % limit,
        )
    return number


def checked_outcome(value):
    text = storable_text("outcome", value)
    if len(text) > settings.EVENT_MAX_OUTCOME:
        raise Refused("outcome", _("не длиннее %d знаков") % settings.EVENT_MAX_OUTCOME)
    return text


def checked_trees(trees):
    """[(point in GIS_SRID, species)], or Refused naming `trees` or `trees[i].x`."""
    limit = settings.EVENT_MAX_TREES_PER_REQUEST
    if not isinstance(trees, list) or not trees:
        raise Refused("trees", _("ожидается непустой список деревьев"))
    if len(trees) > limit:
        raise Refused("trees", _("не больше %d деревьев за один раз") % limit)
    return [_checked_tree(index, tree) for index, tree in enumerate(trees)]


def _checked_tree(index, tree):
    field = f"trees[{index}]"
    if not isinstance(tree, dict):
        raise Refused(field, _("ожидается объект {lon, lat, species}"))
    lon = _degrees(f"{field}.lon", tree.get("lon"), 180)
    lat = _degrees(f"{field}.lat", tree.get("lat"), 90)
    species = storable_text(f"{field}.species", tree.get("species"))
    if not species:
        raise Refused(f"{field}.species", _("укажите породу дерева"))
    if len(species) > MAX_SPECIES:
        raise Refused(f"{field}.species", _("не длиннее %d знаков") % MAX_SPECIES)
    reason = point_refusal_reason(Point(lon, lat, srid=WGS84))
    if reason:
        raise Refused(f"{field}.lat", reason)
    return stored_point(lon, lat), species


def _degrees(field, value, bound):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Refused(field, _("ожидается число (градусы, EPSG:4326)"))
    if not math.isfinite(value) or abs(value) > bound:
        raise Refused(field, _("ожидается число от −%(b)d до %(b)d") % {"b": bound})
    return float(value)


def _check_in_district(points):
    area = District.objects.area()
    if area is None:
        return
    for index, (point, _species) in enumerate(points):
        if not area.covers(point):
            raise Refused(f"trees[{index}].lat", _("точка вне городского округа"))


# --- who, when, how many ------------------------------------------------------------


def _may_act(user, event):
    return may_act_for_row(user, event, event.created_by_id)


def _recordable_unlocked(event_id, by):
    event = _event(Event.objects, event_id)
    _check_recordable(event, by)
    return event


def _recordable(event_id, by):
    """The event under its row lock, if `by` may record its results now."""
    event = _event(Event.objects.select_for_update(of=("self",)), event_id)
    _check_recordable(event, by)
    return event


def _event(queryset, event_id):
    event = (
        queryset.select_related("kind", "territory", "council")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        raise NotFound("id", _("мероприятие не найдено"))
    return event


def _check_recordable(event, by):
    check_may_act_for_row(by, event, event.created_by_id)
    if event.state == Event.State.CANCELLED:
        raise Refused("state", _("мероприятие отменено: итоги не вносятся"))
    if event.starts_at > timezone.now():
        raise Refused(
            "starts_at", _("мероприятие ещё не началось: итоги вносятся после начала")
        )


def _check_room(event_id, adding):
    have = EventPhoto.objects.filter(event_id=event_id).count()
    limit = settings.EVENT_MAX_PHOTOS
    if have + adding > limit:
        raise Refused(
            "photos",
            _("у мероприятия не больше %(limit)d фотографий; уже есть %(have)d")
            % {"limit": limit, "have": have},
        )


def _touch(event):
    event.recorded_at = timezone.now()
    event.save(update_fields=["recorded_at"])
