"""A season's states (docs/domain.md, "Contests", "States"): open → judging →
closed → published, one step at a time, by specialists and administrators only.
Each step is one transaction under the season's row lock, logged in StateChange;
publishing stores the ranking computed in SQL (ranking.py) in the same
transaction. The database refuses any other move and a second log of a step
(migration 0002), so two racing steps from one state cannot both happen."""

from django.db import transaction
from django.utils.translation import gettext as _

from geo.errors import NotFound, Refused

from .. import ranking
from ..models import Season, StateChange
from .access import check_manager

NEXT = {
    Season.State.OPEN: Season.State.JUDGING,
    Season.State.JUDGING: Season.State.CLOSED,
    Season.State.CLOSED: Season.State.PUBLISHED,
}


def change_state(season_id, to, *, by, expected=None):
    """Move the season to `to`, the next state after its current one. `expected`
    (the state the asker saw) is refused if it has changed meanwhile."""
    check_manager(by, "state")
    if to not in Season.State.values:
        raise Refused("to", _("неизвестное состояние «%s»") % to)
    with transaction.atomic():
        season = Season.objects.select_for_update(of=("self",)).filter(pk=season_id)
        season = season.first()
        if season is None:
            raise NotFound("season", _("сезон конкурса не найден"))
        current = Season.State(season.state)
        if expected and expected != current:
            raise Refused("from", _("состояние уже изменено: «%s»") % current.label)
        if NEXT.get(current) != to:
            raise Refused(
                "to",
                _("из состояния «%(from)s» можно перейти только в «%(next)s»")
                % {
                    "from": current.label,
                    "next": NEXT[current].label if current in NEXT else "—",
                },
            )
        season.state = to
        season.save(update_fields=["state"])
        StateChange.objects.create(
            season=season, from_state=current, to_state=to, by=by
        )
        if to == Season.State.PUBLISHED:
            ranking.store_placings(season)
    return season
