"""The demo's rows, unsaved: real names and figures from the fixture, placed on the
illustrative geometry of `layout`. Geo rows carry demo keys ("demo:building/17") in
`osm_id`; the other rows are known by their names."""

import math
import random
from collections import defaultdict
from datetime import date

from django.contrib.gis.geos import Point

from territories.registry import models

from . import layout

SEED = 20190101
DEMO_PREFIX = "demo:"
RECORDED_SHARE = 0.35  # buildings whose residents are counted, not estimated
IMPROVED_YARD_AREA = (5200, 12000)
OTHER_YARD_AREA = (4500, 16000)
GROUND_AREA = {"playground": (250, 750), "sport": (450, 1400), "other": (150, 400)}
GROUND_NAME = {
    "playground": "Детская площадка",
    "sport": "Спортивная площадка",
    "other": "Площадка для отдыха",
}
COUNCIL_TITLES = {
    models.Council.Kind.MKD: "Совет МКД",
    models.Council.Kind.HOA: "ТСЖ",
    models.Council.Kind.PUBLIC: "Совет общественности",
}
HOUSE_RESIDENTS = (1, 2, 2, 3, 3, 3, 4, 4, 5)
HOUSES_PER_MEMBER = 1 / 2.4  # enough houses that a settlement holds its TOS


def demo_key(kind, n):
    return f"{DEMO_PREFIX}{kind}/{n}"


class Plan:
    """Everything the demo stores, built in dependency order."""

    def __init__(self, facts, srid):
        self.facts, self.extra = facts, facts["illustrative"]
        self.rng = random.Random(SEED)
        lon, lat = (
            facts["district"]["centre"]["lon"],
            facts["district"]["centre"]["lat"],
        )
        self.frame = layout.Frame(
            Point(lon, lat, srid=4326).transform(srid, clone=True)
        )
        self.blocks = layout.city_blocks()
        self.district = self._district()
        self.territories = self._territories()
        self.buildings, self.by_block = [], defaultdict(list)
        self._apartments()
        self._houses()
        self.councils = self._councils()
        self.yards, self.yard_boxes, self.works = [], {}, []
        self._yards()
        self.grounds = self._grounds()
        self.trees = self._trees()
        self.resource_centres = self._resource_centres()
        self.container_sites = self._container_sites()

    def _district(self):
        d = self.facts["district"]
        ring = layout.district_ring(self.rng, d["area_km2"] * 1e6)
        return models.District(
            name=d["name"],
            name_en=d["name_en"],
            population=d["population"],
            population_date=date.fromisoformat(d["population_date"]),
            geom=self.frame.polygon(ring),
        )

    def _territories(self):
        territories = {}
        for tos in self.facts["tos"]["territories"]:
            name = tos["name"]
            territories[name] = models.Territory(
                district=self.district,
                name=name,
                population=tos["population"],
                status=models.Territory.Status.APPROVED,
                geom=self.frame.box(self._tos_box(name, tos["population"])),
            )
        return territories

    def _tos_box(self, name, population):
        if name in layout.TOS_CELLS:
            return layout.tos_box([b for b in self.blocks if b.tos == name])
        plots = [box for _, box in self._plots(name, population)]
        box = plots[0]
        for plot in plots[1:]:
            box = box.union(plot)
        return box.grown(layout.TOS_MARGIN)

    def _plots(self, name, population):
        houses = math.ceil(population * HOUSES_PER_MEMBER)
        return layout.settlement_plots(layout.SETTLEMENTS[name], houses)

    def _building(self, **fields):
        n = len(self.buildings) + 1
        building = models.Building(osm_id=demo_key("building", n), **fields)
        self.buildings.append(building)
        return building

    def _apartments(self):
        for block in self.blocks:
            for band in layout.BANDS:
                origin = block.box.part(band.x0, band.y0, band.x1, band.y1)
                for kind, sections, box in layout.rows_along(
                    self.rng, origin, block.house_types
                ):
                    self._apartment(block, kind, sections, box)

    def _apartment(self, block, kind, sections, box):
        flats = kind.levels * kind.flats_per_floor * sections
        recorded = None
        if self.rng.random() < RECORDED_SHARE:
            recorded = round(flats * self.rng.uniform(1.9, 2.8))
        built = self.by_block[block]
        built.append(
            self._building(
                address=f"{block.label}, дом {len(built) + 1}",
                kind="apartments",
                levels=kind.levels,
                flats=flats,
                residents_recorded=recorded,
                geom=self.frame.box(box),
            )
        )

    def _houses(self):
        streets = self.extra["settlement_streets"]
        for tos in self.facts["tos"]["territories"]:
            name = tos["name"]
            if name not in layout.SETTLEMENTS:
                continue
            numbers = defaultdict(int)
            for row, plot in self._plots(name, tos["population"]):
                street = streets[(row // 2) % len(streets)]
                numbers[street] += 1
                self._building(
                    address=f"{name}, улица {street}, дом {numbers[street]}",
                    kind="house",
                    levels=self.rng.choice((1, 1, 1, 2)),
                    flats=1,
                    residents_recorded=self.rng.choice(HOUSE_RESIDENTS),
                    geom=self.frame.box(layout.house_in(self.rng, plot)),
                )

    def _councils(self):
        """Councils of single buildings (совет МКД, ТСЖ) and public councils of whole
        blocks, the latter standing for the block's buildings that have none."""
        share = self.extra["councils"]
        total = self.facts["councils"]["total"]
        blocks = self.rng.sample(self.blocks, share["public"])
        owners = self.rng.sample(
            [(b, house) for b in self.blocks for house in self.by_block[b]],
            total - share["public"],
        )
        councils = []
        kinds = models.Council.Kind
        for n, (block, building) in enumerate(owners):
            kind = kinds.HOA if n < share["hoa"] else kinds.MKD
            building.council = self._council(councils, kind, building, block)
        for block in blocks:
            council = self._council(councils, kinds.PUBLIC, None, block)
            for building in self.by_block[block]:
                building.council = building.council or council
        return councils

    def _council(self, councils, kind, building, block):
        place = building.address if building else block.label
        council = models.Council(
            kind=kind,
            name=f"{COUNCIL_TITLES[kind]}: {place}",
            territory=self.territories.get(block.tos),
        )
        councils.append(council)
        return council

    def _yards(self):
        improved = self._improved_yards()
        for block in self.blocks:
            for n, cell in enumerate(layout.YARD_CELLS):
                origin = block.box.part(cell.x0, cell.y0, cell.x1, cell.y1)
                area, year = improved.get((block, n), (None, None))
                area = area or self.rng.uniform(*OTHER_YARD_AREA)
                box = layout.box_of_area(origin, area)
                yard = models.Yard(
                    osm_id=demo_key("yard", len(self.yards) + 1),
                    name=f"Двор № {n + 1}, {block.label}",
                    geom=self.frame.box(box),
                )
                self.yards.append(yard)
                self.yard_boxes[yard.osm_id] = (block, box, year)
                if year:
                    self._works(yard, year)

    def _improved_yards(self):
        """{(block, yard no.): (area, year)} for the practice's yards: their areas add
        up to the passport's total, their years to the illustrative split."""
        facts = self.facts["yards"]
        years = [
            int(year)
            for year, n in self.extra["improved_yards_by_year"].items()
            for _ in range(n)
        ]
        if len(years) != facts["improved"]:
            total = facts["improved"]
            raise ValueError(f"improved_yards_by_year must add up to {total}")
        self.rng.shuffle(years)
        raw = [self.rng.uniform(*IMPROVED_YARD_AREA) for _ in years]
        scale = facts["improved_area_m2"] / sum(raw)
        blocks = self.rng.sample(self.blocks, len(years))
        return {
            (block, self.rng.randrange(len(layout.YARD_CELLS))): (area * scale, year)
            for block, area, year in zip(blocks, raw, years, strict=True)
        }

    def programme(self, year):
        return self.extra["programme_by_year"][str(year)]

    def _works(self, yard, year):
        facts = self.facts["yards"]
        self.works.append(
            models.YardWork(
                yard=yard,
                year=year,
                programme=self.programme(year),
                description=f"Благоустройство дворовой территории: {facts['works']}",
            )
        )
        drives = sum(
            w.description == self.extra["inner_drive_work"] for w in self.works
        )
        if drives < facts["inner_drives_repaired"]:
            self.works.append(
                models.YardWork(
                    yard=yard,
                    year=year,
                    programme=self.programme(year),
                    description=self.extra["inner_drive_work"],
                )
            )

    def _grounds(self):
        """One ground of the practice in each improved yard (20 sport, 28 playgrounds),
        older ones in about half of the yards."""
        g = self.facts["grounds"]
        kinds = ["sport"] * g["sport"] + ["playground"] * g["playground"]
        self.rng.shuffle(kinds)
        grounds = []
        for yard in self.yards:
            block, box, year = self.yard_boxes[yard.osm_id]
            slots = layout.ground_slots(box)
            if year:
                grounds.append(self._ground(kinds.pop(), slots[0], block, year, True))
            if self.rng.random() < 0.5:
                kind = self.rng.choice(("playground", "playground", "sport", "other"))
                older = self.rng.choice((None, *range(1965, 2014)))
                grounds.append(self._ground(kind, slots[1], block, older, False))
        if kinds:
            raise ValueError("more grounds of the practice than improved yards")
        for n, ground in enumerate(grounds, 1):
            ground.osm_id = demo_key("ground", n)
        return grounds

    def _ground(self, kind, slot, block, year, practice):
        equipment = self.extra.get(f"{kind}_equipment", [])
        picked = self.rng.sample(equipment, min(len(equipment), self.rng.randint(2, 4)))
        return models.Ground(
            kind=kind,
            name=f"{GROUND_NAME[kind]}, {block.label}",
            equipment=", ".join(picked),
            year=year,
            programme=self.programme(year) if practice else "",
            geom=self.frame.box(layout.ground_in(self.rng, slot, GROUND_AREA[kind])),
        )

    def _trees(self):
        """The campaign's trees, half of them in the improved yards; older trees in
        the other yards' free spots."""
        improved, other = [], []
        for yard in self.yards:
            _, box, year = self.yard_boxes[yard.osm_id]
            (improved if year else other).extend(layout.tree_spots(box))
        self.rng.shuffle(improved)
        self.rng.shuffle(other)
        campaign = self.extra["campaign_trees"]
        half = min(len(improved), campaign // 2)
        spots = improved[:half] + other
        trees = [self._tree(spot, True) for spot in spots[:campaign]]
        trees += [
            self._tree(spot, False)
            for spot in spots[campaign : campaign + self.extra["older_trees"]]
        ]
        for n, tree in enumerate(trees, 1):
            tree.osm_id = demo_key("tree", n)
        return trees

    def _tree(self, spot, campaign):
        species = self.extra["campaign_species" if campaign else "older_species"]
        x, y = spot
        tree = models.Tree(
            species=self.rng.choices(list(species), weights=species.values())[0],
            geom=self.frame.point(
                x + self.rng.uniform(-1.2, 1.2), y + self.rng.uniform(-1.2, 1.2)
            ),
        )
        if campaign:
            tree.campaign = self.facts["trees"]["campaign"]
            tree.planted_on = self._planting_day()
        return tree

    def _planting_day(self):
        year = self.rng.choice(self.extra["campaign_years"])
        if self.rng.random() < 0.6:
            return date(year, 5, self.rng.randint(10, 31))
        return date(year, 9, self.rng.randint(1, 30))

    def _resource_centres(self):
        """In the ground floors of buildings of blocks spread over the city."""
        texts = self.extra["resource_centre"]
        count = self.facts["resource_centres"]["count"]
        step = len(self.blocks) // count
        centres = []
        for n in range(1, count + 1):
            building = self.by_block[self.blocks[(n - 1) * step + step // 2]][0]
            centres.append(
                models.ResourceCentre(
                    osm_id=demo_key("resourcecentre", n),
                    name=texts["name"].format(n=n),
                    address=building.address,
                    rooms=texts["rooms"],
                    equipment=texts["equipment"],
                    opening_hours=texts["opening_hours"],
                    geom=building.geom.centroid,
                )
            )
        return centres

    def _container_sites(self):
        """At the edge of some of the improved yards."""
        improved = [yard for yard in self.yards if self.yard_boxes[yard.osm_id][2]]
        picked = self.rng.sample(improved, self.facts["container_sites"]["count"])
        sites = []
        for n, yard in enumerate(picked, 1):
            _, box, _ = self.yard_boxes[yard.osm_id]
            sites.append(
                models.ContainerSite(
                    osm_id=demo_key("containersite", n),
                    address=f"{yard.name} (условно)",
                    containers=self.rng.randint(3, 5),
                    geom=self.frame.point(box.x1 - 5, (box.y0 + box.y1) / 2),
                )
            )
        return sites
