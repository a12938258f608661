"""The one parser of the events' query parameters (docs/domain.md, "Events"),
shared by the REST list, the calendar page and the `events` layer: `from` and `to`
(dates, in the district's time zone), `kind` (codes, comma-separated), `territory`
(a TOS id: see `EventQuerySet.in_territory`)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geo.dates import parse_moment
from geo.errors import QueryError
from geo.numbers import BIGINT_MAX, whole_number
from territories.registry.models import Territory

from .models import EventKind

DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
PARAMETERS = {
    "from": gettext_lazy("с даты (ГГГГ-ММ-ДД): идущие в этот день и позже"),
    "to": gettext_lazy("по дату (ГГГГ-ММ-ДД) включительно"),
    "kind": gettext_lazy("коды видов мероприятий через запятую"),
    "territory": gettext_lazy(
        "id ТОС: мероприятия в его границе (вне всех ТОС — по организатору)"
    ),
}
SCHEMAS = {
    "from": {"type": "string", "format": "date", "pattern": DATE},
    "to": {"type": "string", "format": "date", "pattern": DATE},
    "kind": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+(,[-a-zA-Z0-9_]+)*$"},
    "territory": {"type": "integer", "minimum": 1, "maximum": BIGINT_MAX},
}


def day(params, name, *, end_of_day=False):
    raw = params.get(name, "")
    if not raw:
        return None
    try:
        moment = parse_moment(raw, end_of_day=end_of_day) if len(raw) == 10 else None
    except OverflowError:
        moment = None
    if moment is None:
        raise QueryError(name, _("ожидается дата ГГГГ-ММ-ДД"))
    return moment


def kinds(params):
    raw = params.get("kind", "")
    if not raw:
        return None
    codes = sorted({code.strip() for code in raw.split(",") if code.strip()})
    known = set(EventKind.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown or not codes:
        raise QueryError(
            "kind", _("нет вида мероприятия с кодом «%s»") % (unknown or [""])[0][:64]
        )
    return codes


def territory(params):
    raw = params.get("territory", "")
    if not raw:
        return None
    pk = whole_number(raw, 1, BIGINT_MAX)
    if pk is None:
        raise QueryError("territory", _("ожидается id ТОС — целое число"))
    if not Territory.objects.filter(pk=pk).exists():
        raise QueryError("territory", _("нет ТОС с id %s") % pk)
    return pk


def filter_events(params, queryset):
    """`queryset` narrowed by the parameters; QueryError names a bad one."""
    for name, value in params.items():
        if "\x00" in str(value):
            raise QueryError(name, _("недопустимый символ NUL"))
    start = day(params, "from")
    end = day(params, "to", end_of_day=True)
    if start is not None and end is not None and end < start:
        raise QueryError("to", _("дата «по» раньше даты «с»"))
    if start is not None:
        queryset = queryset.filter(ends_at__gt=start)
    if end is not None:
        queryset = queryset.filter(starts_at__lte=end)
    codes = kinds(params)
    if codes is not None:
        queryset = queryset.of_kind(codes)
    pk = territory(params)
    if pk is not None:
        queryset = queryset.in_territory(pk)
    return queryset
