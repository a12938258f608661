"""What OpenStreetMap tags say about the district's buildings, grounds, trees and the
ways people walk."""

import datetime
import re

from django.conf import settings

from territories.registry.models import Ground

NOT_BUILDINGS = {"no", "demolished", "razed", "destroyed"}
RESIDENTIAL = {
    "apartments",
    "residential",
    "dormitory",
    "house",
    "detached",
    "semidetached_house",
    "terrace",
    "bungalow",
}
# Levels assumed when `building:levels` is missing: houses have one, Angarsk's blocks
# of flats are mostly five-storey.
DEFAULT_LEVELS = {"house": 1, "detached": 1, "semidetached_house": 1, "bungalow": 1}
DEFAULT_LEVELS |= {"terrace": 2, "yes": 1}
BLOCK_LEVELS = 5
# A `building=yes` is counted as housing only with a house number and no sign of
# another use: most such outlines without an address are garages and sheds.
OTHER_USE = ("shop", "amenity", "office", "craft", "industrial", "tourism")

GROUND_KINDS = {"playground": Ground.Kind.PLAYGROUND}
# Outdoor rinks are flooded in Angarsk's yards every winter.
SPORT = ("pitch", "track", "fitness_station", "sports_centre", "stadium", "ice_rink")
GROUND_KINDS |= dict.fromkeys(SPORT, Ground.Kind.SPORT)
SPORT_NAMES = {
    "soccer": "футбол",
    "basketball": "баскетбол",
    "volleyball": "волейбол",
    "ice_hockey": "хоккей",
    "ice_skating": "коньки",
    "tennis": "теннис",
    "table_tennis": "настольный теннис",
    "athletics": "лёгкая атлетика",
    "running": "бег",
    "fitness": "фитнес",
    "calisthenics": "воркаут",
    "skateboard": "скейтбординг",
    "multi": "разные виды спорта",
}
# Ways a pedestrian may walk unless tagged otherwise (docs/domain.md, "Walking
# distance"); motorways and trunk roads only with an explicit foot=yes.
WALKABLE = {
    "footway",
    "path",
    "pedestrian",
    "living_street",
    "residential",
    "service",
    "unclassified",
    "road",
    "steps",
    "cycleway",
    "track",
    "bridleway",
    "tertiary",
    "tertiary_link",
    "secondary",
    "secondary_link",
    "primary",
    "primary_link",
}
FAST_ROADS = {"motorway", "motorway_link", "trunk", "trunk_link"}
FOOT_ALLOWED = {"yes", "designated", "permissive"}
NO_ACCESS = {"no", "private"}
LEAF_TYPES = {"broadleaved": "лиственное", "needleleaved": "хвойное"}

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})-(\d{2}))?")


def is_building(tags):
    return tags.get("building", "no") not in NOT_BUILDINGS


def ground_kind(tags):
    """Ground.Kind of a playground or sport `leisure=*`, else None."""
    return GROUND_KINDS.get(tags.get("leisure"))


def is_tree(tags):
    return tags.get("natural") == "tree"


def is_walkable(tags):
    """Whether a `highway=*` way is open to pedestrians: a walkable kind not closed by
    `foot=no` or `access=no|private`, or a fast road explicitly open on foot."""
    kind, foot = tags.get("highway"), tags.get("foot")
    if foot in FOOT_ALLOWED:
        return kind in WALKABLE or kind in FAST_ROADS
    return kind in WALKABLE and foot != "no" and tags.get("access") not in NO_ACCESS


def way_fields(tags, area_m2):
    return {"kind": tags["highway"][:64], "name": tags.get("name", "")[:200]}


def building_fields(tags, area_m2):
    kind = tags["building"]
    levels = count(tags.get("building:levels"), 200)
    flats = count(tags.get("building:flats"), 100_000)
    residents = estimate_residents(tags, levels, flats, area_m2)
    return {
        "address": address(tags)[:300],
        "kind": kind[:64],
        "levels": levels,
        "flats": flats,
        "residents_estimated": residents,
    }


def estimate_residents(tags, levels, flats, area_m2):
    """Flats × average household; without flats, for housing only, levels × footprint
    / living area per resident (docs/domain.md, "Residents and households")."""
    if flats:
        return round(flats * settings.AVERAGE_HOUSEHOLD)
    if not is_residential(tags):
        return None
    kind = tags["building"]
    floors = levels or DEFAULT_LEVELS.get(kind, BLOCK_LEVELS)
    return round(floors * area_m2 / settings.LIVING_AREA_PER_RESIDENT_M2)


def is_residential(tags):
    kind = tags.get("building")
    if kind == "yes":
        has_number = "addr:housenumber" in tags
        return has_number and not any(key in tags for key in OTHER_USE)
    return kind in RESIDENTIAL


def address(tags):
    """E.g. "улица Ленина, 12"; many houses in Angarsk are numbered within a
    microdistrict (addr:place) rather than a street."""
    street = tags.get("addr:street") or tags.get("addr:place") or ""
    number = tags.get("addr:housenumber", "")
    return ", ".join(part for part in (street, number) if part)


def ground_fields(tags, area_m2):
    return {
        "kind": ground_kind(tags),
        "name": tags.get("name", "")[:200],
        "equipment": sports(tags.get("sport", "")),
        "year": start_year(tags.get("start_date")),
    }


def sports(value):
    names = (
        SPORT_NAMES.get(sport.strip(), sport.strip()) for sport in value.split(";")
    )
    return ", ".join(name for name in names if name)


def tree_fields(tags, area_m2):
    return {"species": species(tags)[:200], "planted_on": start_day(tags)}


def species(tags):
    for key in ("species:ru", "species", "genus:ru", "genus"):
        if tags.get(key):
            return tags[key]
    return LEAF_TYPES.get(tags.get("leaf_type"), "")


def count(value, limit):
    """A positive whole number from a tag like "5", "5.5" or "5;9" (the first one),
    None when there is none or it is above `limit`."""
    match = _NUMBER.search(value or "")
    if not match:
        return None
    number = round(float(match.group().replace(",", ".")))
    return number if 0 < number <= limit else None


def start_year(value):
    match = _DATE.match(value or "")
    year = int(match.group(1)) if match else None
    return year if year and 1800 <= year <= 2200 else None


def start_day(tags):
    match = _DATE.match(tags.get("start_date", ""))
    if not match or not match.group(2):
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
