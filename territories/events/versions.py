"""ETag and Last-Modified of the events' public outputs (calendars, feed,
indicators): the last change of every table an output reads (geo_layerstate, kept by
triggers: events 0003 and the registry's), the settings it reads and whatever else
its answer depends on (the query, the day, the last end passed) — as a layer's
version (docs/architecture.md, "Layers and their versions")."""

import hashlib

from django.conf import settings

from geo.layers import table_changes

from .models import Event, EventKind, EventPhoto, PlantedTree

EVENTS = Event._meta.db_table
KINDS = EventKind._meta.db_table
PHOTOS = EventPhoto._meta.db_table
PLANTED = PlantedTree._meta.db_table
TERRITORIES = "territories_territory"
COUNCILS = "territories_council"
YARDS = "territories_yard"
GROUNDS = "territories_ground"
# The room and centre of an event in a room (public.place_text).
ROOMS = "centres_room"
CENTRES = "territories_resourcecentre"


# {table: last change} of these tables, in one query (geo/layers.py).
changes = table_changes


def version(name, tables, settings_names=(), parts=(), changed=None, moved=None):
    """(ETag, last modified) of output `name`. Every table's time goes into the
    digest, not only the latest: a change committed late may carry an earlier time.
    `changed` is `changes(tables)` when the caller has read it already. `moved` is
    the instant time last changed the output (an event ended, a day began) when
    its `parts` carry time: Last-Modified is then no earlier, so a client asking
    with If-Modified-Since alone gets no stale 304."""
    changed = changes(tables) if changed is None else changed
    digest = hashlib.sha1(
        "|".join(
            [
                name,
                *(f"{table}@{changed.get(table)}" for table in sorted(tables)),
                *(f"{s}={getattr(settings, s)!r}" for s in settings_names),
                *(str(part) for part in parts),
            ]
        ).encode()
    ).hexdigest()
    return f'"{digest[:32]}"', latest(changed.values(), moved)


def latest(moments, moved=None):
    """The latest of the tables' changes and `moved` (None ignored)."""
    return max([m for m in [*moments, moved] if m is not None], default=None)
