"""The jury's score sheets (docs/domain.md, "Contests", "Scoring" and "Conflicts
of interest"). One request is one sheet: a juror's scores of one entry on every
criterion of the season, stored all together or not at all, replacing the juror's
earlier sheet of that entry. The database refuses a score out of the criterion's
range or outside the judging state (migration 0002), whatever writes it."""

import math
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from geo.errors import Forbidden, NotFound, Refused
from territories.registry.models import Council, Territory

from ..models import Criterion, Entry, Juror, Score, Season
from .access import check_signed_in


def submit_sheet(entry_id, scores, *, by):
    """`scores`: {criterion id: value}. Returns the stored Score rows."""
    check_signed_in(by, "juror")
    if not isinstance(scores, dict) or not scores:
        raise Refused("scores", _("ожидается объект {номер критерия: балл}"))
    with transaction.atomic():
        entry = _entry(entry_id)
        season = Season.objects.select_for_update(of=("self",)).get(pk=entry.season_id)
        if season.state != Season.State.JUDGING:
            raise Refused("state", _("оценки ставятся только во время работы жюри"))
        juror = Juror.objects.filter(season=season, user=by).first()
        if juror is None:
            raise Forbidden("juror", _("вы не в жюри этого конкурса"))
        if entry.state != Entry.State.APPROVED:
            raise Refused("entry", _("заявка не допущена к конкурсу"))
        check_no_conflict(juror, entry)
        values = checked_sheet(season, scores)
        Score.objects.filter(juror=juror, entry=entry).delete()
        return Score.objects.bulk_create(
            Score(juror=juror, entry=entry, criterion=criterion, value=value)
            for criterion, value in values
        )


def checked_sheet(season, scores):
    """[(criterion, value)] for every criterion of the season, or Refused naming
    the criterion (`scores.<id>`)."""
    criteria = list(Criterion.objects.filter(season=season).order_by("pk"))
    known = {str(c.pk) for c in criteria}
    unknown = sorted(str(key) for key in scores if str(key) not in known)
    if unknown:
        raise Refused(
            f"scores.{unknown[0]}", _("в этом сезоне нет критерия №%s") % unknown[0]
        )
    given = {str(key): value for key, value in scores.items()}
    return [(c, _value(c, given.get(str(c.pk)))) for c in criteria]


def _value(criterion, raw):
    field = f"scores.{criterion.pk}"
    message = _("критерий «%(name)s»: поставьте балл от 0 до %(max)d") % {
        "name": criterion.name,
        "max": criterion.max_score,
    }
    if raw is None or raw == "" or isinstance(raw, bool):
        raise Refused(field, message)
    if isinstance(raw, float) and not math.isfinite(raw):
        raise Refused(field, message)
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise Refused(field, message) from None
    if not value.is_finite() or not 0 <= value <= criterion.max_score:
        raise Refused(field, message)
    if value != value.quantize(Decimal("0.01")):
        raise Refused(field, _("не больше двух знаков после запятой"))
    return value


# --- conflicts of interest -----------------------------------------------------------


def conflict(juror, entry):
    """Why `juror` may not score `entry` (a message), or None. A juror's own TOS are
    those they chair, are in the initiative group of, or declared as home; their own
    councils those they represent or declared. An entry belongs to its applicant TOS
    or council, the council's TOS, the place's TOS or the house's council, and the
    approved TOS whose boundary holds its point. First of all, an entry the juror
    filed themselves (migration 0005 holds this one in the database too)."""
    if entry.applicant_id is not None and entry.applicant_id == juror.user_id:
        return _("вы не можете оценивать свою заявку")
    user = juror.user
    territories = Territory.objects.filter(chair_user=user) | Territory.objects.filter(
        initiative_group=user
    )
    own_territories = set(territories.values_list("pk", flat=True))
    if juror.home_territory_id:
        own_territories.add(juror.home_territory_id)
    own_councils = set(
        Council.objects.filter(members=user).values_list("pk", flat=True)
    )
    if juror.home_council_id:
        own_councils.add(juror.home_council_id)
    for council in entry_councils(entry):
        if council.pk in own_councils:
            return _("вы не можете оценивать заявку своего совета «%s»") % council.name
    for territory in entry_territories(entry):
        if territory.pk in own_territories:
            return _("вы не можете оценивать заявку своего ТОС «%s»") % territory.name
    return None


def check_no_conflict(juror, entry):
    reason = conflict(juror, entry)
    if reason:
        raise Forbidden("entry", reason)


def entry_councils(entry):
    councils = [entry.applicant_council, entry.building and entry.building.council]
    return [c for c in councils if c is not None]


def entry_territories(entry):
    ids = {
        entry.applicant_territory_id,
        entry.territory_id,
        *(c.territory_id for c in entry_councils(entry)),
    }
    around = Territory.objects.approved().filter(geom__intersects=entry.geom)
    return list(
        (Territory.objects.filter(pk__in=ids - {None}) | around)
        .distinct()
        .order_by("name")
    )


def _entry(entry_id):
    entry = (
        Entry.objects.select_related("applicant_council", "building__council")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise NotFound("id", _("заявка не найдена"))
    return entry
