"""Applications (docs/domain.md, "Contests", "Applying"): who may apply for which
nomination, editing until the window closes, up to MAX_PHOTOS photos, moderation.

Each write is one transaction under the entry's (or the season's) row lock; photos
are checked and re-encoded (geo/photos.py) before it, so a refusal stores nothing."""

from django.conf import settings
from django.contrib.gis.db.models.functions import PointOnSurface
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo import photos as pipeline
from geo.errors import Forbidden, NotFound, Refused
from territories.accounts.organisers import Organiser, may_act_for
from territories.registry.models import Building, Council, Territory, Yard

from ..models import MAX_PHOTOS, Entry, EntryPhoto, Nomination, Season
from . import checks
from .access import check_manager, check_signed_in, is_manager

Kind = Entry.ApplicantKind
PLACES = {
    Entry.PlaceKind.BUILDING: Building,
    Entry.PlaceKind.YARD: Yard,
    Entry.PlaceKind.TERRITORY: Territory,
}


def photo_rules():
    """Entries' photos go through the one pipeline under the reports' limits."""
    return pipeline.PhotoRules(
        max_photos=MAX_PHOTOS,
        max_bytes=settings.REPORT_MAX_PHOTO_BYTES,
        max_side=settings.REPORT_PHOTO_MAX_SIDE,
        max_pixels=settings.REPORT_PHOTO_MAX_PIXELS,
        request_max_pixels=settings.REPORT_REQUEST_MAX_PIXELS * 4,
    )


def apply(season_id, data, *, photos=(), by):
    """A new entry from `data` (nomination, applicant_kind, council | tos |
    display_name, title, description, place_kind, place), pending moderation."""
    check_signed_in(by, "applicant")
    values = entry_values(data)
    nomination_id = checks.identifier(data, "nomination")
    kind = checks.choice(data, "applicant_kind", Kind)
    cleaned = _cleaned_photos(photos, 0)
    with transaction.atomic():
        season = _season(season_id)
        _check_window(season)
        nomination = _nomination(season, nomination_id, kind)
        values.update(applicant(kind, data, by))
        values.update(place(values.pop("place_kind"), values.pop("place")))
        entry = Entry.objects.create(
            season=season, nomination=nomination, applicant=by, **values
        )
        _store_photos(entry, cleaned)
    return entry


def edit(entry_id, data, *, photos=(), by):
    """Change the title, description, place or (a resident's) display name, and
    add `photos`, until the window closes: all or nothing, one transaction, the
    photos cleaned before it. The entry goes back to moderation."""
    cleaned = []
    if photos:
        with transaction.atomic():
            have = _editable(entry_id, by).photos.count()
        cleaned = _cleaned_photos(photos, have)
    with transaction.atomic():
        entry = _editable(entry_id, by)
        if cleaned:
            _check_room(entry.photos.count(), len(cleaned))
        merged = {**current_values(entry), **data}
        values = entry_values(merged)
        values.update(place(values.pop("place_kind"), values.pop("place")))
        if entry.applicant_kind == Kind.RESIDENT:
            values["display_name"] = _display_name(merged)
        for field, value in values.items():
            setattr(entry, field, value)
        entry.state, entry.rejection_reason = Entry.State.PENDING, ""
        entry.save()
        _store_photos(entry, cleaned)
    return entry


def add_photos(entry_id, files, *, by):
    """More photos of the entry, all or none, up to MAX_PHOTOS in all."""
    if not files:
        raise Refused("photos", _("приложите хотя бы одну фотографию"))
    with transaction.atomic():
        have = _editable(entry_id, by).photos.count()
    cleaned = _cleaned_photos(files, have)
    with transaction.atomic():
        entry = _editable(entry_id, by)
        _check_room(entry.photos.count(), len(cleaned))
        _store_photos(entry, cleaned)
    return entry


def moderate(entry_id, state, reason="", *, by):
    """Approve or reject (with a reason) an entry, before the jury's work ends."""
    check_manager(by, "state")
    decision = checks.choice({"state": state}, "state", Entry.State)
    reason = checks.text({"reason": reason}, "reason", checks.MAX_DESCRIPTION)
    if decision == Entry.State.PENDING:
        raise Refused("state", _("решение: принять или отклонить"))
    if decision == Entry.State.REJECTED and not reason:
        raise Refused("reason", _("укажите причину отклонения"))
    with transaction.atomic():
        entry = _entry(Entry.objects.select_for_update(of=("self",)), entry_id)
        if entry.season.state not in (Season.State.OPEN, Season.State.JUDGING):
            raise Refused("state", _("оценка завершена: заявки больше не модерируются"))
        entry.state = decision
        entry.rejection_reason = reason if decision == Entry.State.REJECTED else ""
        entry.save(update_fields=["state", "rejection_reason", "edited_at"])
    return entry


def may_edit(user, entry, now=None):
    """Whether the page should offer the edit form (the service still decides)."""
    return _may_edit(user, entry) and _window_open(entry.season, now)


# --- the parts of an entry -----------------------------------------------------------


def entry_values(data):
    return {
        "title": checks.text(data, "title", checks.MAX_TITLE, required=True),
        "description": checks.text(data, "description", checks.MAX_DESCRIPTION),
        "place_kind": checks.choice(data, "place_kind", Entry.PlaceKind),
        "place": checks.identifier(data, "place"),
    }


def current_values(entry):
    return {
        "title": entry.title,
        "description": entry.description,
        "place_kind": entry.place_kind,
        "place": entry.building_id or entry.yard_id or entry.territory_id,
        "display_name": entry.display_name,
    }


def applicant(kind, data, by):
    """The applicant's fields; Forbidden when `by` may not apply for them."""
    if kind == Kind.RESIDENT:
        return {"applicant_kind": kind, "display_name": _display_name(data)}
    if kind == Kind.COUNCIL:
        council = Council.objects.filter(pk=checks.identifier(data, "council")).first()
        if council is None:
            raise Refused("council", _("совет не найден"))
        if not may_act_for(by, Organiser(council=council)):
            raise Forbidden(
                "council", _("вы не представитель совета «%s»") % council.name
            )
        return {"applicant_kind": kind, "applicant_council": council}
    territory = Territory.objects.filter(pk=checks.identifier(data, "tos")).first()
    if territory is None:
        raise Refused("tos", _("ТОС не найден"))
    if not may_act_for(by, Organiser(territory=territory)):
        raise Forbidden("tos", _("вы не председатель ТОС «%s»") % territory.name)
    return {"applicant_kind": kind, "applicant_territory": territory}


def place(kind, pk):
    """The place's FK and its point on the map (a point on its surface)."""
    model = PLACES[kind]
    found = model.objects.filter(pk=pk, geom__isnull=False)
    if kind == Entry.PlaceKind.TERRITORY:
        found = found.approved()
    row = found.annotate(spot=PointOnSurface("geom")).first()
    if row is None:
        raise Refused("place", _("место не найдено на карте"))
    fields = {"building": None, "yard": None, "territory": None}
    fields[kind.value] = row
    return {"place_kind": kind, "geom": row.spot, **fields}


def _display_name(data):
    name = checks.text(data, "display_name", checks.MAX_DISPLAY_NAME)
    if not name:
        raise Refused(
            "display_name",
            _("укажите, как подписать заявку публично (например «Ирина, дом 12»)"),
        )
    return name


# --- rows, windows and locks ---------------------------------------------------------


def _season(season_id):
    season = (
        Season.objects.select_for_update(of=("self",))
        .select_related("contest")
        .filter(pk=season_id)
        .first()
    )
    if season is None:
        raise NotFound("season", _("сезон конкурса не найден"))
    return season


def _window_open(season, now=None):
    now = now or timezone.now()
    return (
        season.state == Season.State.OPEN and season.opens_at <= now < season.closes_at
    )


def _check_window(season):
    if not _window_open(season):
        raise Refused(
            "window",
            _("приём заявок закрыт: заявки принимаются с %(opens)s до %(closes)s")
            % {
                "opens": timezone.localtime(season.opens_at).strftime("%d.%m.%Y %H:%M"),
                "closes": timezone.localtime(season.closes_at).strftime(
                    "%d.%m.%Y %H:%M"
                ),
            },
        )


def _nomination(season, pk, kind):
    nomination = Nomination.objects.filter(season=season, pk=pk).first()
    if nomination is None:
        raise Refused("nomination", _("в этом сезоне нет такой номинации"))
    if not nomination.takes(kind):
        raise Refused(
            "applicant_kind",
            _("номинация «%(n)s» не принимает заявки от заявителя «%(k)s»")
            % {"n": nomination.name, "k": kind.label},
        )
    return nomination


def _entry(queryset, entry_id):
    entry = queryset.select_related("season").filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("id", _("заявка не найдена"))
    return entry


def _may_edit(user, entry):
    return is_manager(user) or (
        user is not None
        and user.is_authenticated
        and user.is_active
        and entry.applicant_id == user.pk
    )


def _editable(entry_id, by):
    """The entry under its row lock, if `by` may edit it now."""
    check_signed_in(by, "applicant")
    entry = _entry(Entry.objects.select_for_update(of=("self",)), entry_id)
    if not _may_edit(by, entry):
        raise Forbidden("applicant", _("изменять заявку может только её автор"))
    _check_window(entry.season)
    return entry


def _cleaned_photos(files, have):
    files = list(files or ())
    _check_room(have, len(files))
    return pipeline.clean_photos(files, photo_rules()) if files else []


def _check_room(have, adding):
    if have + adding > MAX_PHOTOS:
        raise Refused(
            "photos",
            _("у заявки не больше %(limit)d фотографий; уже есть %(have)d")
            % {"limit": MAX_PHOTOS, "have": have},
        )


def _store_photos(entry, cleaned):
    for photo in cleaned:
        EntryPhoto.objects.create(
            entry=entry, image=photo.content, width=photo.width, height=photo.height
        )


def shown_entry(entry_id, user):
    """The entry as `user` may see it: an approved one by anyone; a pending or
    rejected one by its author and the specialists only (NotFound to others)."""
    entry = Entry.objects.for_display().filter(pk=entry_id).first()
    if entry is None or (
        entry.state != Entry.State.APPROVED and not _may_edit(user, entry)
    ):
        raise NotFound("id", _("заявка не найдена"))
    return entry
