"""A parser of CQL2 text (OGC 21-065) for the `filter` parameter of OGC API –
Features Part 3: the Basic CQL2 and advanced comparison classes and S_INTERSECTS
(docs/architecture.md, "CQL2 filters"). It builds a small tree of the nodes below and
knows no layer; `geo.ogc.filtering` checks the names and types against a collection's
queryables and turns the tree into ORM conditions.

Hand-written rather than pygeofilter's grammar so that each refusal names the part of
the filter it cannot take (S_WITHIN, CASEI, arithmetic …) in the request's language,
and so that the limits on length, depth and vertices are checked while reading."""

import datetime as dt
from dataclasses import dataclass

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from .cql2_reader import GEOMETRIES, Reader, Shape, number, refuse, tokens

MAX_LENGTH = 4000
SPATIAL = ("S_CONTAINS", "S_CROSSES", "S_DISJOINT", "S_EQUALS", "S_OVERLAPS")
SPATIAL += ("S_TOUCHES", "S_WITHIN")
TEMPORAL = ("T_AFTER", "T_BEFORE", "T_CONTAINS", "T_DISJOINT", "T_DURING", "T_EQUALS")
TEMPORAL += ("T_FINISHEDBY", "T_FINISHES", "T_INTERSECTS", "T_MEETS", "T_METBY")
TEMPORAL += ("T_OVERLAPPEDBY", "T_OVERLAPS", "T_STARTEDBY", "T_STARTS", "INTERVAL")
ARRAY = ("A_CONTAINEDBY", "A_CONTAINS", "A_EQUALS", "A_OVERLAPS")
INSENSITIVE = ("CASEI", "ACCENTI")
KEYWORDS = {"AND", "OR", "NOT", "LIKE", "BETWEEN", "IN", "IS", "NULL", "TRUE", "FALSE"}
COMPARISONS = ("=", "<>", "<", ">", "<=", ">=")
FLIPPED = {"=": "=", "<>": "<>", "<": ">", ">": "<", "<=": ">=", ">=": "<="}
ARITHMETIC = ("+", "-", "*", "/", "%", "^")


# The tree. `name` is a property name as written; values are str, int, float, bool,
# datetime.date (DATE) or an aware datetime.datetime (TIMESTAMP).
@dataclass(frozen=True)
class Property:
    name: str


@dataclass(frozen=True)
class Both:
    """AND (`any_=False`) or OR (`any_=True`) of its parts."""

    parts: tuple
    any_: bool


@dataclass(frozen=True)
class Not:
    part: object


@dataclass(frozen=True)
class Always:
    value: bool


@dataclass(frozen=True)
class Compare:
    name: str
    op: str
    value: object


@dataclass(frozen=True)
class In:
    name: str
    values: tuple


@dataclass(frozen=True)
class Between:
    name: str
    low: object
    high: object


@dataclass(frozen=True)
class Like:
    name: str
    pattern: str


@dataclass(frozen=True)
class IsNull:
    name: str


@dataclass(frozen=True)
class Intersects:
    name: str
    shape: Shape


def unsupported(part, supported):
    return refuse(
        _("%(part)s не поддерживается; поддерживаются: %(supported)s")
        % {"part": part, "supported": supported}
    )


def parse(text):
    """The tree of a CQL2 text filter; QueryError("filter") says what is wrong."""
    if len(text) > MAX_LENGTH:
        raise refuse(_("фильтр длиннее %d символов") % MAX_LENGTH)
    if "\x00" in text:
        raise refuse(_("недопустимый символ NUL"))
    if not text.strip():
        raise refuse(_("пустой фильтр"))
    return Parser(tokens(text)).whole()


class Parser(Reader):
    """Recursive descent over the tokens, in CQL2's precedence: OR, AND, NOT."""

    # The grammar.
    def whole(self):
        tree = self.disjunction()
        token = self.peek()
        if token is not None:
            raise self.wrong(token, _("AND, OR или конец фильтра"))
        return tree

    def disjunction(self):
        parts = [self.conjunction()]
        while self.is_("OR"):
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else Both(tuple(parts), True)

    def conjunction(self):
        parts = [self.negation()]
        while self.is_("AND"):
            self.take()
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else Both(tuple(parts), False)

    def negation(self):
        self.deeper()
        if self.is_("NOT"):
            self.take()
            tree = Not(self.negation())
        elif self.is_("("):
            self.take()
            tree = self.disjunction()
            self.expect(")")
        else:
            tree = self.predicate()
        self.depth -= 1
        return tree

    def predicate(self):
        token = self.peek()
        if token is not None and token.kind == "word" and self.is_("(", ahead=1):
            if token.upper == "S_INTERSECTS":
                return self.intersects()
            if token.upper not in ("DATE", "TIMESTAMP"):
                raise self.function(token)
        if self.is_("TRUE", "FALSE") and not self.operator_follows():
            return Always(self.take().upper == "TRUE")
        left = self.operand()
        negated = self.is_("NOT")
        if negated:
            self.take()
        token = self.take()
        if token.upper in COMPARISONS and not negated:
            return self.comparison(left, token.upper, self.operand())
        if token.upper == "LIKE":
            tree = Like(self.named(left, "LIKE"), self.pattern())
        elif token.upper == "BETWEEN":
            tree = self.between(left)
        elif token.upper == "IN":
            tree = In(self.named(left, "IN"), self.listed())
        elif token.upper == "IS" and not negated:
            return self.is_null(left)
        else:
            raise self.wrong(token, _("оператор сравнения, LIKE, BETWEEN, IN или IS"))
        return Not(tree) if negated else tree

    def operator_follows(self):
        token = self.peek(1)
        return token is not None and token.upper in (
            *COMPARISONS,
            "NOT",
            "LIKE",
            "BETWEEN",
            "IN",
            "IS",
        )

    def function(self, token):
        name = token.upper
        for family, supported in (
            (SPATIAL, "S_INTERSECTS"),
            (TEMPORAL, _("сравнения дат и времени (=, <, >, BETWEEN …)")),
            (ARRAY, _("IN (…)")),
            (INSENSITIVE, _("LIKE и сравнения с учётом регистра")),
        ):
            if name in family:
                return unsupported(name, supported)
        return unsupported(
            _("функция %s") % token.text,
            _("S_INTERSECTS, DATE('…'), TIMESTAMP('…')"),
        )

    def comparison(self, left, op, right):
        if isinstance(left, Property) and isinstance(right, Property):
            raise unsupported(
                _("сравнение двух свойств (%(a)s %(op)s %(b)s)")
                % {"a": left.name, "op": op, "b": right.name},
                _("сравнение свойства со значением"),
            )
        if isinstance(right, Property):
            left, op, right = right, FLIPPED[op], left
        if not isinstance(left, Property):
            raise unsupported(
                _("сравнение двух значений"), _("сравнение свойства со значением")
            )
        return Compare(left.name, op, right)

    def named(self, operand, operator):
        if not isinstance(operand, Property):
            raise refuse(_("слева от %s ожидается имя свойства") % operator)
        return operand.name

    def pattern(self):
        token = self.peek()
        if token is not None and token.kind == "word" and self.is_("(", ahead=1):
            raise self.function(token)
        value = self.operand()
        if not isinstance(value, str):
            raise refuse(_("после LIKE ожидается шаблон в кавычках"))
        return value

    def between(self, left):
        name = self.named(left, "BETWEEN")
        low = self.literal()
        self.expect("AND")
        return Between(name, low, self.literal())

    def listed(self):
        self.expect("(")
        values = [self.literal()]
        while self.is_(","):
            self.take()
            values.append(self.literal())
        self.expect(")")
        return tuple(values)

    def is_null(self, left):
        name = self.named(left, "IS NULL")
        negated = self.is_("NOT")
        if negated:
            self.take()
        self.expect("NULL")
        return Not(IsNull(name)) if negated else IsNull(name)

    def literal(self):
        value = self.operand()
        if isinstance(value, Property):
            raise refuse(
                _("«%s» — здесь ожидается значение, а не свойство") % value.name
            )
        return value

    def operand(self):
        token = self.take()
        value = self.value(token)
        after = self.peek()
        if after is not None and after.kind == "op" and after.text in ARITHMETIC:
            raise unsupported(
                _("арифметика («%s»)") % after.text,
                _("сравнение свойства со значением"),
            )
        return value

    def value(self, token):
        if token.kind == "string":
            return token.text[1:-1].replace("''", "'")
        if token.kind == "number":
            return number(token.text)
        if token.upper == "-" and self.peek() is not None:
            if self.peek().kind == "number":
                return -number(self.take().text)
        if token.kind == "quoted":
            return Property(token.text[1:-1].replace('""', '"'))
        if token.kind == "word":
            if self.is_("("):
                if token.upper in ("DATE", "TIMESTAMP"):
                    return self.instant(token.upper)
                raise self.function(token)
            if token.upper in ("TRUE", "FALSE"):
                return token.upper == "TRUE"
            if token.upper not in KEYWORDS:
                return Property(token.text)
        if token.text in ("[", "{"):
            raise unsupported(_("массив [ … ]"), _("IN (…)"))
        if token.text == "(":
            raise unsupported(
                _("выражение в скобках на месте значения"),
                _("сравнение свойства со значением"),
            )
        raise self.wrong(token, _("имя свойства или значение"))

    def instant(self, kind):
        self.expect("(")
        token = self.take()
        text = token.text[1:-1] if token.kind == "string" else None
        self.expect(")")
        try:
            if kind == "DATE":
                value = parse_date(text or "") if "T" not in (text or "T") else None
            else:
                value = parse_datetime(text or "")
                if value is not None and value.tzinfo is None:
                    value = None
        except ValueError:  # a well-formed but impossible date: 30 February
            value = None
        if value is None or text is None:
            wanted = "'2024-05-01'" if kind == "DATE" else "'2024-05-01T12:00:00Z'"
            raise refuse(
                _("%(kind)s(%(text)s) — ожидается %(kind)s(%(wanted)s)")
                % {"kind": kind, "text": token.text, "wanted": wanted}
            )
        if isinstance(value, dt.datetime):
            try:
                value = value.astimezone(dt.UTC)
            except OverflowError:
                raise refuse(_("«%s» — вне допустимых дат") % text) from None
        return value

    # S_INTERSECTS and its geometry.
    def intersects(self):
        self.take()
        self.expect("(")
        first = self.spatial_operand()
        self.expect(",")
        second = self.spatial_operand()
        self.expect(")")
        if isinstance(first, Shape):
            first, second = second, first
        if not isinstance(first, Property) or not isinstance(second, Shape):
            raise refuse(
                _("S_INTERSECTS ожидает свойство-геометрию и геометрию WKT или BBOX")
            )
        return Intersects(first.name, second)

    def spatial_operand(self):
        token = self.take()
        if token.kind == "quoted":
            return Property(token.text[1:-1].replace('""', '"'))
        if token.kind != "word":
            raise self.wrong(token, _("имя свойства, геометрия WKT или BBOX(…)"))
        kind = token.upper
        if kind == "BBOX":
            return self.bbox()
        if kind in GEOMETRIES:
            return Shape(kind, self.geometry(kind))
        if self.is_("("):
            raise self.function(token)
        return Property(token.text)
