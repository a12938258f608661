"""Illustrative geometry of the demo, in metres around the real centre of Angarsk.

A rotated grid of city blocks (the old town's «кварталы» in the west, «микрорайоны»
elsewhere) holds rows of apartment buildings along each block's edges and through its
middle, and four courtyards between them; four settlements of private houses lie
around the grid; a star-shaped outline of the district's area surrounds it all.
Everything is placed by construction so that nothing overlaps, and drawn from one
seeded random generator, so every load gives the same geometry."""

import math
import struct
from dataclasses import dataclass
from itertools import count

from django.contrib.gis.geos import GEOSGeometry

GRID_ANGLE_DEG = 28  # the street grid runs from WSW to ENE
COLS, ROWS = 10, 8
PITCH_X, PITCH_Y = 520, 440  # a block plus the street beside it
BLOCK_W, BLOCK_H = 470, 390
OLD_TOWN_COLS = 5
FIRST_KVARTAL = 71
# Cells without housing: parks, schools, hospitals, shops.
EMPTY_CELLS = {(0, 0), (4, 3), (2, 6), (8, 1), (5, 6), (9, 7), (6, 4), (8, 3), (5, 1)}
CELL_12A = (7, 5)
TOS_CELLS = {
    "Старый город": [(1, 3), (1, 4)],
    "Центральный": [(4, 4), (4, 5)],
    "12а микрорайон": [CELL_12A],
    "Перекресток": [(6, 2)],
}
# South-west corners of the private-house settlements, outside the grid.
SETTLEMENTS = {
    "Старица": (3300, 2400),
    "Старо-Байкальск": (-1600, 2900),
    "Уезд": (-4400, -700),
    "Экспедиция": (900, -3200),
}
DISTRICT_SHIFT = (-4800, -1500)  # the city lies near the Angara, in the north-east
TOS_MARGIN = 15
PLOT_W, PLOT_D, LANE = 26, 32, 16  # private-house plots, a lane after every 2 rows


@dataclass(frozen=True)
class Box:
    """An axis-parallel rectangle in local metres."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self):
        return self.x1 - self.x0

    @property
    def height(self):
        return self.y1 - self.y0

    def part(self, x0, y0, x1, y1):
        """A rectangle given in this one's own coordinates."""
        return Box(self.x0 + x0, self.y0 + y0, self.x0 + x1, self.y0 + y1)

    def centred(self, width, height):
        cx, cy = (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2
        return Box(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)

    def grown(self, margin):
        m = margin
        return Box(self.x0 - m, self.y0 - m, self.x1 + m, self.y1 + m)

    def union(self, other):
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )


class Frame:
    """Local metres (x east, y north, turned by the grid's angle) around a centre
    → coordinates of the centre's CRS."""

    def __init__(self, centre, angle_deg=GRID_ANGLE_DEG):
        self.x, self.y, self.srid = centre.x, centre.y, centre.srid
        turn = math.radians(angle_deg)
        self.cos, self.sin = math.cos(turn), math.sin(turn)

    def xy(self, x, y):
        return (
            self.x + x * self.cos - y * self.sin,
            self.y + x * self.sin + y * self.cos,
        )

    # Geometries are built as WKB: one GEOS call each instead of one per coordinate.
    def point(self, x, y):
        wkb = struct.pack("<BIdd", 1, 1, *self.xy(x, y))
        return GEOSGeometry(memoryview(wkb), srid=self.srid)

    def polygon(self, ring):
        """A MultiPolygon of one counter-clockwise ring, given without closing."""
        shell = [self.xy(x, y) for x, y in ring]
        shell.append(shell[0])
        header = struct.pack("<BIIBIII", 1, 6, 1, 1, 3, 1, len(shell))
        coords = struct.pack(f"<{2 * len(shell)}d", *(c for xy in shell for c in xy))
        return GEOSGeometry(memoryview(header + coords), srid=self.srid)

    def box(self, box):
        b = box
        return self.polygon([(b.x0, b.y0), (b.x1, b.y0), (b.x1, b.y1), (b.x0, b.y1)])


@dataclass(frozen=True)
class HouseType:
    levels: int
    section_m: float
    flats_per_floor: int
    sections: tuple[int, int]
    depth_m: float
    weight: int


# Microdistricts: 5-storey panel blocks of the 1960s–70s and 9-/10-storey ones after.
MIKRORAYON_TYPES = (
    HouseType(5, 15, 4, (2, 6), 12, 55),
    HouseType(9, 18, 4, (1, 4), 12, 35),
    HouseType(10, 18, 4, (2, 3), 12, 10),
)
# The old town: 2–5-storey brick houses of the 1950s.
OLD_TOWN_TYPES = (
    HouseType(2, 18, 2, (2, 3), 12, 20),
    HouseType(3, 20, 3, (2, 3), 13, 25),
    HouseType(4, 20, 3, (2, 4), 13, 30),
    HouseType(5, 22, 3, (2, 4), 13, 25),
)
# Rows of buildings in a block's own coordinates: two edges, the middle, two sides.
BANDS = (
    Box(40, 10, 430, 24),
    Box(40, 188, 430, 202),
    Box(40, 366, 430, 380),
    Box(10, 40, 24, 350),
    Box(446, 40, 460, 350),
)
# The courtyards between those rows, in the block's coordinates.
YARD_CELLS = (
    Box(40, 40, 225, 178),
    Box(245, 40, 430, 178),
    Box(40, 212, 225, 350),
    Box(245, 212, 430, 350),
)


@dataclass(frozen=True)
class Block:
    col: int
    row: int
    label: str  # "квартал 85", "микрорайон 12а"
    old_town: bool
    tos: str | None

    @property
    def box(self):
        x0 = (self.col - COLS / 2) * PITCH_X + (PITCH_X - BLOCK_W) / 2
        y0 = (self.row - ROWS / 2) * PITCH_Y + (PITCH_Y - BLOCK_H) / 2
        return Box(x0, y0, x0 + BLOCK_W, y0 + BLOCK_H)

    @property
    def house_types(self):
        return OLD_TOWN_TYPES if self.old_town else MIKRORAYON_TYPES


def city_blocks():
    """The grid's blocks with their labels and the TOS they belong to."""
    kvartal, mikrorayon = count(FIRST_KVARTAL), count(1)
    tos_of = {cell: name for name, cells in TOS_CELLS.items() for cell in cells}
    blocks = []
    for col in range(COLS):
        for row in range(ROWS):
            if (col, row) in EMPTY_CELLS:
                continue
            old_town = col < OLD_TOWN_COLS
            if (col, row) == CELL_12A:
                label = "микрорайон 12а"
            elif old_town:
                label = f"квартал {next(kvartal)}"
            else:
                label = f"микрорайон {next(mikrorayon)}"
            blocks.append(Block(col, row, label, old_town, tos_of.get((col, row))))
    return blocks


def tos_box(blocks):
    """The outline of a TOS made of whole blocks: their blocks and the streets
    between them, and half of the streets around."""
    box = blocks[0].box
    for block in blocks[1:]:
        box = box.union(block.box)
    return box.grown(TOS_MARGIN)


def rows_along(rng, band, types):
    """(house type, sections, footprint) of buildings one after another along a
    band, with gaps between them."""
    along_x = band.width >= band.height
    length = band.width if along_x else band.height
    pos = rng.uniform(0, 12)
    while True:
        kind = rng.choices(types, weights=[t.weight for t in types])[0]
        sections = rng.randint(*kind.sections)
        while sections and pos + sections * kind.section_m > length:
            sections -= 1
        if not sections:
            return
        size = sections * kind.section_m
        yield kind, sections, _footprint(band, along_x, pos, size, kind.depth_m)
        pos += size + rng.uniform(14, 30)


def _footprint(band, along_x, pos, size, depth):
    if along_x:
        mid = (band.y0 + band.y1) / 2
        return Box(
            band.x0 + pos, mid - depth / 2, band.x0 + pos + size, mid + depth / 2
        )
    mid = (band.x0 + band.x1) / 2
    return Box(mid - depth / 2, band.y0 + pos, mid + depth / 2, band.y0 + pos + size)


def box_of_area(cell, area):
    """A rectangle of `area` m² centred in `cell`, of the cell's proportions."""
    width = math.sqrt(area * cell.width / cell.height)
    return cell.centred(width, area / width)


def ground_slots(yard, margin=12):
    """The two places for grounds in a yard, side by side, clear of its edges
    (where the trees stand)."""
    width = (yard.width - 3 * margin) / 2
    return [
        yard.part(margin, margin, margin + width, yard.height - margin),
        yard.part(
            2 * margin + width, margin, 2 * margin + 2 * width, yard.height - margin
        ),
    ]


def ground_in(rng, slot, area_range):
    area = rng.uniform(*area_range)
    width = min(slot.width, math.sqrt(area * rng.uniform(0.7, 1.4)))
    return slot.centred(width, min(slot.height, area / width))


def tree_spots(yard, step=5, inset=5):
    """Spots for trees along the yard's long edges, `step` metres apart."""
    spots = []
    x = yard.x0 + inset + 1
    while x < yard.x1 - inset - 1:
        spots += [(x, yard.y0 + inset), (x, yard.y1 - inset)]
        x += step
    return spots


def settlement_plots(origin, houses):
    """(row, plot box) of `houses` private-house plots, a lane after every 2 rows."""
    cols = math.ceil(math.sqrt(houses * 1.6))
    x0, y0 = origin
    for n in range(houses):
        row, col = divmod(n, cols)
        y = y0 + row * PLOT_D + (row // 2) * LANE
        yield row, Box(x0 + col * PLOT_W, y, x0 + (col + 1) * PLOT_W, y + PLOT_D)


def house_in(rng, plot):
    box = plot.centred(rng.uniform(8, 11), rng.uniform(8, 10))
    dx, dy = rng.uniform(-3, 3), rng.uniform(-3, 3)
    return Box(box.x0 + dx, box.y0 + dy, box.x1 + dx, box.y1 + dy)


def district_ring(rng, area_m2, vertices=48):
    """A star-shaped outline (always a simple polygon) of the given area, longer
    along the Angara."""
    phase = rng.uniform(0, 2 * math.pi)
    ring = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        radius = 1 + 0.15 * math.sin(3 * angle + phase) + rng.uniform(-0.05, 0.05)
        ring.append((radius * math.cos(angle) / 1.25, radius * math.sin(angle) * 1.25))
    scale = math.sqrt(area_m2 / _shoelace(ring))
    dx, dy = DISTRICT_SHIFT
    return [(dx + x * scale, dy + y * scale) for x, y in ring]


def _shoelace(ring):
    pairs = zip(ring, ring[1:] + ring[:1], strict=True)
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairs)) / 2
