"""Pages of a list (reports, events): `page` and `page_size`, and for long lists a
keyset `cursor` (docs/architecture.md, "Long lists: keyset pages and counts").

A cursor names the last (or first) row shown by its sort key and id, so the next
page is one index range scan however deep it is; OFFSET walks every row before the
page through every join. It is opaque to clients: URL-safe base64 of the JSON
`[ordering, direction, value…]`, checked strictly on the way back in.

Query vocabulary shared by the edges that list (the REST API, the workspace,
Open311), so it lives outside any of them."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F, Value
from django.utils.translation import gettext as _

from geo.errors import QueryError
from geo.numbers import whole_number

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000
# Page numbers of keyset lists are kept for old links only, and only this deep.
MAX_KEYSET_PAGE = 20
# A count that would walk more rows than this is given as «CAP+» instead.
COUNT_CAP = 1000
CURSOR_PATTERN = "^[A-Za-z0-9_-]{1,400}={0,2}$"


def page_of(queryset, params):
    """(total count, the rows of the page, page number, page size)."""
    page = _positive(params, "page", 1, maximum=MAX_PAGE)
    size = page_size(params)
    total = queryset.count()
    rows = list(queryset[(page - 1) * size : page * size])
    return total, rows, page, size


def page_size(params, default=PAGE_SIZE, maximum=MAX_PAGE_SIZE):
    return _positive(params, "page_size", default, maximum=maximum)


def _positive(params, name, default, maximum):
    raw = params.get(name, "")
    if not raw:
        return default
    value = whole_number(raw, 1, maximum)
    if value is None:
        raise QueryError(name, _("ожидается целое число от 1 до %d") % maximum)
    return value


def schemas():
    """The OpenAPI schemas of `page` and `page_size`: what `page_of` takes."""
    return {
        "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    }


def keyset_schemas(max_page_size=MAX_PAGE_SIZE):
    """The OpenAPI schemas of what `keyset_page` takes."""
    return {
        "cursor": {"type": "string", "pattern": CURSOR_PATTERN},
        "page": {"type": "integer", "minimum": 1, "maximum": MAX_KEYSET_PAGE},
        "page_size": {"type": "integer", "minimum": 1, "maximum": max_page_size},
    }


# --- keyset pages ------------------------------------------------------------------


@dataclass
class KeysetPage:
    rows: list
    next_cursor: str | None
    previous_cursor: str | None


class RowCompare(models.Func):
    """`(a, b, c) < (x, y, z)`: one row comparison, which a B-tree index on
    (a, b, c) takes as the start of its range; the expanded OR form it equals is
    only a filter, and would walk every row before the page."""

    output_field = models.BooleanField()

    def __init__(self, columns, values, operator):
        self.operator = operator
        super().__init__(*columns, *[Value(value) for value in values])

    def as_sql(self, compiler, connection, **extra):
        parts, params = [], []
        for expression in self.source_expressions:
            sql, part_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(part_params)
        half = len(parts) // 2
        left, right = ", ".join(parts[:half]), ", ".join(parts[half:])
        return f"({left}) {self.operator} ({right})", params


def keyset_page(queryset, params, size):
    """The page of `queryset` (ordered by a key that ends in its primary key, every
    part in the same direction) that `cursor` in `params` points to, or the first.
    `page` (≤ MAX_KEYSET_PAGE, without `cursor`) still reads by OFFSET for links
    made before cursors. A bad cursor is a QueryError naming `cursor`."""
    keys = Ordering(queryset)
    raw, page = params.get("cursor", ""), params.get("page", "")
    if raw and page:
        raise QueryError("cursor", _("укажите cursor или page, но не оба"))
    if not raw:
        number = _keyset_page_number(page) if page else 1
        rows = list(queryset[(number - 1) * size : number * size + 1])
        return keys.page(rows, size, backwards=False, first=number == 1)
    backwards, values = keys.decode(raw)
    narrowed = keys.after(queryset, values, backwards)
    return keys.page(list(narrowed[: size + 1]), size, backwards, first=False)


def _keyset_page_number(raw):
    number = whole_number(raw, 1, MAX_KEYSET_PAGE)
    if number is None:
        raise QueryError(
            "page",
            _(
                "ожидается целое число от 1 до %d; дальше листайте по ссылке next "
                "(параметр cursor)"
            )
            % MAX_KEYSET_PAGE,
        )
    return number


class Ordering:
    """The sort key of a queryset, and cursors over it."""

    def __init__(self, queryset):
        order = list(queryset.query.order_by or queryset.model._meta.ordering)
        names = [name.lstrip("-") for name in order]
        descending = {name.startswith("-") for name in order}
        if not names or names[-1] not in ("pk", "id") or len(descending) != 1:
            raise ValueError(f"no keyset over the ordering {order}")
        self.queryset, self.names = queryset, names
        self.descending = descending.pop()
        self.signature = ",".join(order)

    def page(self, rows, size, backwards, first):
        """(rows of the page, cursor of the next, of the previous) from up to
        size + 1 rows read in the direction of travel."""
        more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
        has_next = more if not backwards else bool(rows)
        has_previous = (more if backwards else not first) and bool(rows)
        return KeysetPage(
            rows,
            self.encode(rows[-1], backwards=False) if has_next else None,
            self.encode(rows[0], backwards=True) if has_previous else None,
        )

    def after(self, queryset, values, backwards):
        """The rows past `values` in the direction of travel, nearest first."""
        operator = "<" if self.descending != backwards else ">"
        columns = [F("pk" if name == "id" else name) for name in self.names]
        narrowed = queryset.filter(RowCompare(columns, values, operator))
        return narrowed.reverse() if backwards else narrowed

    def encode(self, row, backwards):
        values = [_plain(_value(row, name)) for name in self.names]
        document = [self.signature, "p" if backwards else "n", *values]
        text = json.dumps(document, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(text).decode().rstrip("=")

    def decode(self, raw):
        """(backwards, the key values) of a cursor made by `encode` for this very
        ordering; anything else is refused."""
        try:
            padded = raw + "=" * (-len(raw) % 4)
            document = json.loads(base64.urlsafe_b64decode(padded.encode()))
        except (binascii.Error, ValueError, UnicodeDecodeError):
            document = None
        if (
            not isinstance(document, list)
            or len(document) != len(self.names) + 2
            or document[0] != self.signature
            or document[1] not in ("n", "p")
        ):
            raise QueryError("cursor", _("неверный курсор: возьмите ссылку next"))
        values = [
            self._checked(name, value)
            for name, value in zip(self.names, document[2:], strict=True)
        ]
        return document[1] == "p", values

    def _checked(self, name, value):
        kind = self._kind(name)
        parsed = None
        if kind is datetime and isinstance(value, str):
            parsed = _moment(value)
        elif kind is int and type(value) is int and abs(value) < 2**63:
            parsed = value
        elif kind is float and type(value) in (int, float):
            parsed = float(value)
        if parsed is None:
            raise QueryError("cursor", _("неверный курсор: возьмите ссылку next"))
        return parsed

    def _kind(self, name):
        if name in ("pk", "id"):
            return int
        try:
            field = self.queryset.model._meta.get_field(name)
        except FieldDoesNotExist:  # an annotation, such as a distance
            return float
        if isinstance(field, models.DateTimeField):
            return datetime
        return int if isinstance(field, models.IntegerField) else float


def _value(row, name):
    value = row[name] if isinstance(row, dict) else getattr(row, name)
    return getattr(value, "m", value)  # a Distance, in metres


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value


def _moment(text):
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


# --- counts --------------------------------------------------------------------------


def capped_count(queryset, cap=None):
    """(count, capped): the exact count up to `cap`, else (cap, True), reading at
    most cap + 1 rows of the index instead of the whole table."""
    cap = COUNT_CAP if cap is None else cap
    found = queryset.order_by().values("pk")[: cap + 1].count()
    return (cap, True) if found > cap else (found, False)
