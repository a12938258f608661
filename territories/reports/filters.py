"""The one parser of report query parameters. The REST API, the reports layer, the
Atom feeds, the workspace queue and Open311 (which maps its own names onto these)
all narrow reports through `filter_reports`; a bad value raises one error type,
`geo.errors.QueryError`, that each edge turns into its own answer.

Parameters: status, group, category, territory, bbox, since, until, age, older_than,
min_supports, id, lat + lon + radius, sort. Each field also says what it takes as an
OpenAPI schema (`parameter_schemas`), so the API's schema declares what is checked
here and nothing looser."""

import math
import re

import django_filters
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geo.bbox import BBOX_PATTERN, BBoxError, parse_bbox
from geo.dates import parse_moment
from geo.errors import QueryError, Refused
from geo.numbers import BIGINT_MAX, whole_number
from geo.wgs84 import received_point
from territories.registry.models import Territory

from .models import ProblemReport

Status = ProblemReport.Status
MAX_AGE_DAYS = 36500
MAX_RADIUS_M = 5000
ID = "[1-9][0-9]{0,17}"  # ASCII only: "²".isdigit() is true, and int("٣") is 3
# A date, or a date and time with an optional offset: what parse_moment reads.
MOMENT = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?$"
)
SORTS = {
    "-created_at": ("-created_at", "-pk"),
    "created_at": ("created_at", "pk"),
    "-support_count": ("-support_count", "-created_at", "-pk"),
    "support_count": ("support_count", "created_at", "pk"),
}
# The groups of statuses a list may ask for (`group`); the list filters by them and
# counts itself from the status counters by the same statuses.
GROUP_STATUSES = {
    "active": Status.active(),
    "awaiting": Status.awaiting(),
    "closed": Status.closed(),
    # Open311's "open": whatever is not closed (and public: hidden never is).
    "open": tuple(s for s in Status.public() if s not in Status.closed()),
}


def _items(value):
    return [item.strip() for item in str(value).split(",") if item.strip()]


def list_pattern(item):
    """A JSON-Schema pattern of `item` (a regex) repeated with commas."""
    return f"^({item})(,({item}))*$"


class ListField(forms.Field):
    """`a,b,c` (or the parameter repeated) as a list of stripped, non-empty items."""

    def to_python(self, value):
        return _items(value) if value not in (None, "") else []

    def schema(self):
        return {"type": "string"}


class StatusListField(ListField):
    def __init__(self, *args, statuses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.statuses = tuple(statuses or Status.public())

    def to_python(self, value):
        codes = super().to_python(value)
        unknown = [code for code in codes if code not in self.statuses]
        if unknown:
            raise forms.ValidationError(
                _("нет такого статуса: «%(code)s»; есть: %(known)s")
                % {"code": unknown[0], "known": ", ".join(self.statuses)}
            )
        return codes

    def schema(self):
        codes = "|".join(re.escape(code) for code in self.statuses)
        return {"type": "string", "pattern": list_pattern(codes)}


class IdListField(ListField):
    """Positive whole numbers, e.g. TOS or report ids."""

    def __init__(self, *args, message="", **kwargs):
        super().__init__(*args, **kwargs)
        self.message = message

    def to_python(self, value):
        ids = [whole_number(item, 1, BIGINT_MAX) for item in super().to_python(value)]
        if None in ids:
            raise forms.ValidationError(self.message)
        return ids

    def schema(self):
        return {"type": "string", "pattern": list_pattern(ID)}


class BBoxField(forms.Field):
    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return parse_bbox(value)
        except BBoxError as error:
            raise forms.ValidationError(str(error)) from None

    def schema(self):
        return {"type": "string", "pattern": BBOX_PATTERN}


class MomentField(forms.Field):
    """A date (YYYY-MM-DD) or a date and time (ISO 8601), as an aware datetime; a
    bare date is its first moment, or its last with `end_of_day`."""

    def __init__(self, *args, end_of_day=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.end_of_day = end_of_day

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            moment = parse_moment(value.strip(), end_of_day=self.end_of_day)
        except OverflowError:
            raise forms.ValidationError(_("дата вне допустимого диапазона")) from None
        if moment is None:
            raise forms.ValidationError(
                _("ожидается дата ГГГГ-ММ-ДД или дата и время ISO 8601")
            )
        return moment

    def schema(self):
        return {"type": "string", "pattern": MOMENT}


class BoundedNumberField(forms.Field):
    """A finite number within [low, high]; `whole` for integers."""

    def __init__(self, *args, low, high, whole=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.low, self.high, self.whole = low, high, whole

    def to_python(self, value):
        if value in (None, ""):
            return None
        if self.whole:
            number = whole_number(str(value), self.low, self.high)
        else:
            number = _float(value)
        if number is None or not (
            math.isfinite(number) and self.low <= number <= self.high
        ):
            kind = _("целое число") if self.whole else _("число")
            raise forms.ValidationError(
                _("ожидается %(kind)s от %(low)g до %(high)g")
                % {"kind": kind, "low": self.low, "high": self.high}
            )
        return number

    def schema(self):
        kind = "integer" if self.whole else "number"
        return {"type": kind, "minimum": self.low, "maximum": self.high}


def _float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _filter(field_class, method, description, **field_kwargs):
    """A filter whose form field is `field_class` (the field does the parsing)."""
    kind = type(f"{field_class.__name__}Filter", (django_filters.Filter,), {})
    kind.field_class = field_class
    return kind(method=method, label=description, **field_kwargs)


def days(description, method):
    return _filter(
        BoundedNumberField, method, description, low=0, high=MAX_AGE_DAYS, whole=True
    )


class ReportFilterSet(django_filters.FilterSet):
    status = _filter(
        StatusListField,
        "filter_status",
        gettext_lazy(
            "статус (через запятую): moderation, open, in_progress, planned, fixed, "
            "closed, duplicate, not_responsible"
        ),
    )
    group = django_filters.ChoiceFilter(
        choices=[(name, name) for name in GROUP_STATUSES],
        method="filter_group",
        label=gettext_lazy("группа статусов: active, awaiting, closed, open"),
    )
    category = _filter(
        ListField, "filter_category", gettext_lazy("код категории (через запятую)")
    )
    territory = _filter(
        IdListField,
        "filter_territory",
        gettext_lazy("id ТОС (через запятую): внутри утверждённой границы"),
        message=gettext_lazy("ожидается номер ТОС"),
    )
    bbox = _filter(
        BBoxField, "filter_bbox", gettext_lazy("minlon,minlat,maxlon,maxlat (WGS 84)")
    )
    since = _filter(
        MomentField,
        "filter_since",
        gettext_lazy("поданы не раньше: дата ГГГГ-ММ-ДД или дата и время ISO 8601"),
    )
    until = _filter(
        MomentField,
        "filter_until",
        gettext_lazy("поданы не позже: дата (весь день) или дата и время ISO 8601"),
        end_of_day=True,
    )
    age = days(gettext_lazy("поданы за последние N дней"), "filter_age")
    older_than = days(gettext_lazy("поданы раньше, чем N дней назад"), "filter_older")
    min_supports = _filter(
        BoundedNumberField,
        "filter_min_supports",
        gettext_lazy("поддержек не меньше"),
        low=0,
        high=10**9,
        whole=True,
    )
    id = _filter(
        IdListField,
        "filter_id",
        gettext_lazy("номера сообщений через запятую"),
        message=gettext_lazy("ожидаются номера сообщений через запятую"),
    )
    sort = django_filters.ChoiceFilter(
        choices=[(name, name) for name in SORTS],
        method="filter_sort",
        label=gettext_lazy("порядок: -created_at, created_at, -support_count, …"),
    )

    class Meta:
        model = ProblemReport
        fields = []

    def __init__(self, data=None, queryset=None, *, statuses=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.territories = []
        if statuses is not None:
            self.form.fields["status"].statuses = tuple(statuses)

    def filter_status(self, reports, name, codes):
        return reports.with_status(codes)

    def filter_group(self, reports, name, group):
        return reports.with_status(GROUP_STATUSES[group])

    def filter_category(self, reports, name, codes):
        return reports.in_category(codes)

    def filter_territory(self, reports, name, ids):
        # Read once: a missing TOS is an error, and the edges name the ones found.
        self.territories = list(
            Territory.objects.filter(pk__in=ids).only("pk", "name", "status")
        )
        missing = sorted(set(ids) - {t.pk for t in self.territories})
        if missing:
            raise QueryError("territory", _("нет ТОС с id %s") % missing[0])
        return reports.in_territory(ids)

    def filter_bbox(self, reports, name, bbox):
        return reports.in_bbox(bbox)

    def filter_since(self, reports, name, moment):
        return reports.created_since(moment)

    def filter_until(self, reports, name, moment):
        return reports.created_until(moment)

    def filter_age(self, reports, name, n):
        return reports.created_within_days(n)

    def filter_older(self, reports, name, n):
        return reports.older_than_days(n)

    def filter_min_supports(self, reports, name, n):
        return reports.filter(support_count__gte=n)

    def filter_id(self, reports, name, ids):
        return reports.filter(pk__in=ids)

    def filter_sort(self, reports, name, key):
        return reports.order_by(*SORTS[key])


CIRCLE = ("lat", "lon", "radius")
CIRCLE_BOUNDS = {"lat": (-90, 90), "lon": (-180, 180), "radius": (1, MAX_RADIUS_M)}
PARAMETERS = (*ReportFilterSet.base_filters, *CIRCLE)


def filter_reports(params, queryset=None, *, allowed=None, statuses=None):
    """`queryset` (default: the public reports) narrowed by the query parameters
    `params` (a dict or QueryDict), as (queryset, the TOS named by `territory`).
    Parameters outside `allowed` (when given) are refused; QueryError names the
    parameter and the reason."""
    params = _checked(params, allowed)
    if queryset is None:
        queryset = ProblemReport.objects.public()
    filterset = ReportFilterSet(params, queryset, statuses=statuses)
    if not filterset.is_valid():
        field, errors = next(iter(filterset.errors.items()))
        raise QueryError(field, errors[0])
    reports = filterset.qs
    if any(params.get(name) for name in CIRCLE):
        reports = _in_circle(reports, params)
    return reports, filterset.territories


def chosen_statuses(params, statuses):
    """The statuses (of `statuses`) a list covers when only `status` and `group`
    narrow it, so that it can be counted from the status counters; None when any
    other filter narrows it. `params` have passed `filter_reports`."""
    narrowing = set(PARAMETERS) - {"sort", "status", "group"}
    if any(params.get(name) for name in narrowing):
        return None
    chosen = set(statuses)
    if params.get("status"):
        # Read as the filter reads it (one value, the last of a repeated one), so
        # the count is that of the very list.
        chosen &= set(_items(params.get("status")))
    if params.get("group"):
        chosen &= set(GROUP_STATUSES[params["group"]])
    return [status for status in statuses if status in chosen]


def parameters(allowed=PARAMETERS):
    """{name: description} of the parameters, for catalogues and API docs."""
    described = {name: flt.label for name, flt in ReportFilterSet.base_filters.items()}
    described |= {
        "lat": gettext_lazy("широта центра круга (WGS 84)"),
        "lon": gettext_lazy("долгота центра круга (WGS 84)"),
        "radius": gettext_lazy("радиус круга, м (по умолчанию 1000, не больше 5000)"),
    }
    return {name: described[name] for name in allowed}


def parameter_schemas(allowed=PARAMETERS):
    """{name: OpenAPI schema} of the parameters, from the fields that parse them, so
    the API's schema declares what is checked (and no looser)."""
    schemas = {
        name: _schema(flt.field) for name, flt in ReportFilterSet.base_filters.items()
    }
    schemas |= {
        name: {"type": "number", "minimum": low, "maximum": high}
        for name, (low, high) in CIRCLE_BOUNDS.items()
    }
    return {name: schemas[name] for name in allowed}


def _schema(field):
    if isinstance(field, forms.ChoiceField):
        codes = [code for code, _label in field.choices if code]
        return {"type": "string", "enum": codes}
    return field.schema()


def _checked(params, allowed):
    names = set(params)
    if allowed is not None:
        unknown = sorted(names - set(allowed))
        if unknown:
            raise QueryError(
                unknown[0],
                _("неизвестный параметр; здесь понимают: %s") % ", ".join(allowed),
            )
    # PostgreSQL cannot compare text with NUL in it: refused before any query.
    for name in sorted(names):
        values = params.getlist(name) if hasattr(params, "getlist") else [params[name]]
        if any("\x00" in str(value) for value in values):
            raise QueryError(name, _("недопустимый символ NUL"))
    return params


def _in_circle(reports, params):
    values = {}
    for name, (low, high) in CIRCLE_BOUNDS.items():
        raw = params.get(name)
        if not raw:
            if name != "radius":
                raise QueryError(name, _("обязательный параметр вместе с lat, lon"))
            values[name] = 1000
            continue
        try:
            values[name] = BoundedNumberField(low=low, high=high).clean(raw)
        except forms.ValidationError as error:
            raise QueryError(name, error.messages[0]) from None
    try:
        point = received_point(values["lon"], values["lat"])
    except Refused as refused:
        raise QueryError(refused.field, str(refused)) from None
    return reports.near(point, values["radius"])
