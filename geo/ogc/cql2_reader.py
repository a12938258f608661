"""Reading CQL2 text (geo/ogc/cql2.py): its tokens, the numbers, and the geometry
literals (WKT and BBOX) with their limit on vertices. `Reader` is the token cursor that
the grammar in `cql2.Parser` builds on."""

import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from geo.errors import QueryError

MAX_DEPTH = 20
# Four characters a vertex at the least (`1 2,`): the length alone would allow 1000.
MAX_VERTICES = 500
GEOMETRIES = ("POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING")
GEOMETRIES += ("MULTIPOLYGON", "GEOMETRYCOLLECTION")

TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<string>'(?:[^']|'')*')
    |(?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
    |(?P<quoted>"(?:[^"]|"")*")
    |(?P<word>[^\W\d]\w*)
    |(?P<op><>|<=|>=|[=<>(),+\-*/%^\[\]{}.:|])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Shape:
    """A WKT literal: `kind` (POINT …) and its coordinates as nested tuples of
    (x, y) pairs, in the filter CRS; BBOX is kind "BBOX" with its four numbers."""

    kind: str
    coordinates: tuple


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    at: int

    @property
    def upper(self):
        return self.text.upper() if self.kind == "word" else self.text


def refuse(message):
    return QueryError("filter", message)


def tokens(text):
    found, at = [], 0
    while at < len(text):
        match = TOKEN.match(text, at)
        if match is None:
            if text[at] in "'\"":
                raise refuse(_("незакрытые кавычки в позиции %d") % (at + 1))
            raise refuse(
                _("неожиданный символ «%(char)s» в позиции %(at)d")
                % {"char": text[at], "at": at + 1}
            )
        if match.lastgroup != "space":
            found.append(Token(match.lastgroup, match.group(), at + 1))
        at = match.end()
    return found


class Reader:
    """A cursor over the tokens, counting depth and vertices."""

    def __init__(self, found):
        self.found, self.at, self.depth, self.vertices = found, 0, 0, 0

    # Reading tokens.
    def peek(self, ahead=0):
        at = self.at + ahead
        return self.found[at] if at < len(self.found) else None

    def is_(self, *texts, ahead=0):
        token = self.peek(ahead)
        return (
            token is not None
            and token.kind in ("word", "op")
            and (token.upper in texts)
        )

    def take(self):
        token = self.peek()
        if token is None:
            raise refuse(_("фильтр обрывается"))
        self.at += 1
        return token

    def expect(self, text):
        token = self.take()
        if token.upper != text or token.kind not in ("word", "op"):
            raise self.wrong(token, f"«{text}»")
        return token

    def wrong(self, token, wanted):
        return refuse(
            _("в позиции %(at)d «%(got)s», а ожидается %(wanted)s")
            % {"at": token.at, "got": token.text, "wanted": wanted}
        )

    def deeper(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise refuse(_("вложенность глубже %d уровней") % MAX_DEPTH)

    # Geometry literals.
    def bbox(self):
        self.expect("(")
        numbers = [self.coordinate()]
        while self.is_(","):
            self.take()
            numbers.append(self.coordinate())
        self.expect(")")
        if len(numbers) != 4:
            raise refuse(_("BBOX: ожидается четыре числа: minx, miny, maxx, maxy"))
        return Shape("BBOX", tuple(numbers))

    def coordinate(self):
        token = self.take()
        sign = 1
        if token.text == "-":
            sign, token = -1, self.take()
        if token.kind != "number":
            raise self.wrong(token, _("число"))
        return sign * number(token.text)

    def point(self):
        self.vertices += 1
        if self.vertices > MAX_VERTICES:
            raise refuse(_("в геометриях фильтра больше %d вершин") % MAX_VERTICES)
        x, y = self.coordinate(), self.coordinate()
        token = self.peek()
        if token is not None and token.kind == "number":
            raise refuse(
                _("координаты Z и M не поддерживаются (в позиции %d)") % (token.at)
            )
        return (x, y)

    def sequence(self, item):
        self.expect("(")
        items = [item()]
        while self.is_(","):
            self.take()
            items.append(item())
        self.expect(")")
        return tuple(items)

    def geometry(self, kind):
        self.deeper()
        if self.is_("Z", "M", "ZM", "EMPTY"):
            raise refuse(
                _("%(kind)s %(word)s не поддерживается")
                % {"kind": kind, "word": self.peek().upper}
            )
        if kind == "POINT":
            coordinates = self.sequence(self.point)[0]
        elif kind == "LINESTRING":
            coordinates = self.sequence(self.point)
        elif kind == "POLYGON":
            coordinates = self.sequence(lambda: self.sequence(self.point))
        elif kind == "MULTIPOINT":
            coordinates = self.sequence(self.multipoint_member)
        elif kind == "MULTILINESTRING":
            coordinates = self.sequence(lambda: self.sequence(self.point))
        elif kind == "MULTIPOLYGON":
            coordinates = self.sequence(
                lambda: self.sequence(lambda: self.sequence(self.point))
            )
        else:
            coordinates = self.sequence(self.member)
        self.depth -= 1
        return coordinates

    def multipoint_member(self):
        if self.is_("("):
            return self.sequence(self.point)[0]
        return self.point()

    def member(self):
        token = self.take()
        if token.kind != "word" or token.upper not in GEOMETRIES:
            raise self.wrong(token, _("геометрия WKT"))
        return Shape(token.upper, self.geometry(token.upper))


def number(text):
    value = float(text) if any(c in text for c in ".eE") else int(text)
    if not math.isfinite(value):
        raise refuse(_("«%s» — слишком большое число") % text)
    return value
