"""The way of a boundary (docs/domain.md, "TOS boundaries"): drawn as a draft by
the territory's chair or initiative group, sent for approval, approved by a planner
with the Duma's decision or returned with a comment; a planner may restore an
earlier approved version. Each step locks the territory's row, so steps on one
territory happen one after another, and notifies the other side by e-mail jobs
enqueued in the step's transaction (docs/architecture.md, "Background jobs").

The guarantees themselves are the database's (migration 0002): an approval that
would overlap an approved neighbour fails there even if it slipped past the check
here, e.g. when a neighbour was approved a moment earlier."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.errors import NotFound, Refused
from geo.geojson_input import GeometryRefused
from geo.text import without_unstorable
from territories.registry.models import Territory

from ..models import BoundaryVersion
from . import access, notify, shape

State = BoundaryVersion.State
NAME_MAX = Territory._meta.get_field("name").max_length
DECISION_MAX = BoundaryVersion._meta.get_field("decision_number").max_length
COMMENT_MAX = 2000
# The Federal Law of 28.08.1995 No. 154-FZ first set TOS in its present form; a
# Duma decision on a TOS boundary cannot be older.
EARLIEST_DECISION = date(1995, 8, 28)


def newest(territory):
    """The territory's newest version (its boundary state), or None."""
    return BoundaryVersion.objects.of(territory).newest_first().first()


def save_draft(territory, geometry, *, by):
    """A new draft version from `geometry` (GEOS, EPSG:4326) for an editor of the
    territory; refused while a version is under review. A draft may still overlap
    a neighbour (the editor sees it); it cannot be submitted so."""
    access.require_editor(by, territory)
    with transaction.atomic():
        territory = locked(territory)
        current = newest(territory)
        if current is not None and current.state == State.SUBMITTED:
            raise Refused(
                "state",
                _("граница на согласовании: дождитесь решения, чтобы изменить её"),
            )
        fitted = shape.prepared(geometry, territory.district_id, territory.pk)
        return add_version(territory, fitted.geom, author=by)


def propose(name, geometry, *, by):
    """A new TOS in draft, proposed by an initiative group: the proposer joins its
    initiative group and the drawn boundary is its version 1."""
    access.require_proposer(by)
    name = without_unstorable(name or "").strip()
    if not name:
        raise Refused("name", _("укажите название ТОС"))
    if len(name) > NAME_MAX:
        raise Refused("name", _("название длиннее %d знаков") % NAME_MAX)
    geom = shape.projected(geometry)
    district = shape.district_of(geom)
    with transaction.atomic():
        if Territory.objects.filter(name__iexact=name).exists():
            raise Refused("name", _("ТОС «%s» уже есть") % name)
        fitted = shape.prepared(geom, district.pk)
        try:
            with transaction.atomic():
                territory = Territory.objects.create(
                    district=district,
                    name=name,
                    status=Territory.Status.PROPOSED,
                    population=0,
                )
        except IntegrityError:  # the same name, created a moment ago
            raise Refused("name", _("ТОС «%s» уже есть") % name) from None
        territory.initiative_group.add(by)
        add_version(territory, fitted.geom, author=by)
        return territory


def submit(territory, *, by):
    """The newest draft goes for approval; refused with the overlaps named if it
    shares area with an approved neighbour."""
    access.require_editor(by, territory)
    with transaction.atomic():
        territory, version = locked_with_newest(
            territory,
            State.DRAFT,
            _("нет черновика границы, который можно отправить"),
        )
        version.geom = without_overlaps(version.geom, territory)
        version.state = State.SUBMITTED
        version.submitted_at = timezone.now()
        version.save(update_fields=["geom", "state", "submitted_at"])
        notify.submitted(version)
        return version


def approve(territory, *, by, decision_number, decision_date):
    """The version under review becomes the territory's approved boundary, with the
    Duma's decision. Fitted again first: a neighbour approved since the submission
    may have made a sliver; a real overlap is refused."""
    access.require_reviewer(by)
    decision_number = without_unstorable(decision_number or "").strip()
    if not decision_number:
        raise Refused("decision_number", _("укажите номер решения Думы"))
    if len(decision_number) > DECISION_MAX:
        raise Refused(
            "decision_number", _("номер решения длиннее %d знаков") % DECISION_MAX
        )
    decision_date = checked_date(decision_date)
    with transaction.atomic():
        territory, version = locked_with_newest(
            territory, State.SUBMITTED, _("нет границы на согласовании")
        )
        version.geom = without_overlaps(version.geom, territory)
        version.state = State.APPROVED
        version.reviewed_by = by
        version.reviewed_at = timezone.now()
        version.decision_number = decision_number
        version.decision_date = decision_date
        version.save()
        make_current(territory, version)
        notify.reviewed(version)
        return version


def return_for_changes(territory, *, by, comment):
    """The version under review goes back to its editors with the planner's comment."""
    access.require_reviewer(by)
    comment = without_unstorable(comment or "").strip()
    if not comment:
        raise Refused("comment", _("напишите, что исправить"))
    if len(comment) > COMMENT_MAX:
        raise Refused("comment", _("комментарий длиннее %d знаков") % COMMENT_MAX)
    with transaction.atomic():
        territory, version = locked_with_newest(
            territory, State.SUBMITTED, _("нет границы на согласовании")
        )
        version.state = State.RETURNED
        version.comment = comment
        version.reviewed_by = by
        version.reviewed_at = timezone.now()
        version.save()
        notify.reviewed(version)
        return version


def restore(territory, number, *, by):
    """An earlier approved version becomes the approved boundary again, as a new
    version carrying that version's decision; refused while a submission is under
    review (return or approve it first) or if it now overlaps a neighbour."""
    access.require_reviewer(by)
    with transaction.atomic():
        territory = locked(territory)
        earlier = BoundaryVersion.objects.of(territory).filter(number=number).first()
        if earlier is None:
            raise NotFound("version", _("нет версии %s") % number)
        if earlier.state != State.APPROVED:
            raise Refused("version", _("восстановить можно только утверждённую версию"))
        current = newest(territory)
        if current.state == State.SUBMITTED:
            raise Refused(
                "state",
                _("граница на согласовании: сначала утвердите или верните её"),
            )
        if territory.geom is not None and territory.geom.equals_exact(earlier.geom):
            raise Refused("version", _("эта граница уже действует"))
        version = add_version(
            territory,
            without_overlaps(earlier.geom, territory),
            author=by,
            state=State.APPROVED,
            reviewed_by=by,
            reviewed_at=timezone.now(),
            decision_number=earlier.decision_number,
            decision_date=earlier.decision_date,
            comment=_("восстановлена версия %d") % earlier.number,
            restored_from=earlier,
        )
        make_current(territory, version)
        notify.reviewed(version)
        return version


def make_current(territory, version):
    """Write the approved version to the territory; the database refuses an
    overlap it would make (the trigger of migration 0002)."""
    territory.geom = version.geom
    territory.status = Territory.Status.APPROVED
    territory.decision_no = version.decision_number
    territory.decision_date = version.decision_date
    try:
        with transaction.atomic():
            territory.save(
                update_fields=["geom", "status", "decision_no", "decision_date"]
            )
    except IntegrityError as error:
        raise refused_by_database(error) from None


def refused_by_database(error):
    """The domain's refusal for a trigger's: the overlap or the district."""
    constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", "")
    if constraint == "territory_approved_no_overlap":
        return GeometryRefused(
            "geometry",
            _("граница пересекается с территорией, утверждённой только что"),
            code="overlap",
        )
    if constraint in ("territory_inside_district", "boundaryversion_inside_district"):
        return shape.outside_district(0)
    raise error


def add_version(territory, geom, *, author, state=State.DRAFT, **fields):
    number = (
        BoundaryVersion.objects.of(territory)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    ) + 1
    return BoundaryVersion.objects.create(
        territory=territory,
        number=number,
        state=state,
        geom=geom,
        author=author,
        **fields,
    )


def locked_with_newest(territory, state, refusal):
    """The territory's row, locked, and its newest version, which must be in `state`
    (else Refused on "state" with `refusal`)."""
    territory = locked(territory)
    version = newest(territory)
    if version is None or version.state != state:
        raise Refused("state", refusal)
    return territory, version


def without_overlaps(geom, territory):
    """`geom` fitted to the approved neighbours as they are now (a neighbour
    approved meanwhile may have made a sliver); a real overlap is refused."""
    fitted = shape.prepared(geom, territory.district_id, territory.pk)
    if fitted.overlaps:
        raise shape.overlap_refusal(fitted.overlaps)
    return fitted.geom


def locked(territory):
    """The territory's row, locked to the end of the transaction."""
    found = Territory.objects.select_for_update().filter(pk=territory.pk).first()
    if found is None:
        raise NotFound("territory", _("ТОС не найден"))
    return found


def checked_date(value):
    """A decision date: a date (or ISO string) not in the future."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise Refused(
                "decision_date", _("дата в формате ГГГГ-ММ-ДД, например 2026-11-30")
            ) from None
    if not isinstance(value, date):
        raise Refused("decision_date", _("укажите дату решения Думы"))
    if value > timezone.localdate():
        raise Refused("decision_date", _("дата решения не может быть в будущем"))
    if value < EARLIEST_DECISION:
        raise Refused(
            "decision_date",
            _("дата решения не раньше %s: тогда появились ТОС в нынешнем виде")
            % EARLIEST_DECISION.strftime("%d.%m.%Y"),
        )
    return value
