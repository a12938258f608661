"""The dashboard's query parameters: `year` and `territory`, each checked; a bad one
is QueryError naming it (docs/domain.md, "Indicators")."""

from django.utils.translation import gettext as _

from geo.errors import QueryError
from geo.numbers import INT_MAX, whole_number
from territories.registry.models import Territory

from ..passport import SINCE

FIRST_YEAR, LAST_YEAR = SINCE, 2100
PARAMETERS = ("year", "territory")


def parse(params, allowed=PARAMETERS):
    """{year: int, territory: Territory} of the parameters given; QueryError on an
    unknown parameter or a bad value."""
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise QueryError(
            unknown[0],
            _("неизвестный параметр; допустимы: %s") % ", ".join(allowed),
        )
    chosen = {}
    if params.get("year") not in (None, ""):
        chosen["year"] = year(params["year"])
    if params.get("territory") not in (None, ""):
        chosen["territory"] = territory(params["territory"])
    return chosen


def year(raw):
    value = whole_number(raw, FIRST_YEAR, LAST_YEAR)
    if value is None:
        raise QueryError(
            "year",
            _("ожидается год от %(low)d до %(high)d")
            % {"low": FIRST_YEAR, "high": LAST_YEAR},
        )
    return value


def territory(raw):
    """A TOS by its id (any status: an archived TOS keeps its figures)."""
    pk = whole_number(raw, 1, INT_MAX)
    found = Territory.objects.filter(pk=pk).first() if pk else None
    if found is None:
        raise QueryError("territory", _("нет такого ТОС: «%s»") % raw[:64])
    return found


def echoed(chosen):
    """The filters as given: the year, the TOS's id."""
    shown = {"year": chosen.get("year"), "territory": None}
    if "territory" in chosen:
        shown["territory"] = chosen["territory"].pk
    return shown
