"""The registry's layers in the catalogue of `geo.layers`."""

from django.db.models.functions import Round
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geo.errors import QueryError
from geo.layers import Filter, Layer, Whole, choice, layers
from geo.numbers import BIGINT_MAX
from geo.tiles import TileOptions

from . import models


class TerritoryFilter(Filter):
    """`?territory=<id>`: features inside (or touching) that TOS's approved boundary
    (docs/domain.md, "TOS")."""

    def apply(self, queryset, raw):
        pk = self.cast_value(raw)
        if not models.Territory.objects.filter(pk=pk).exists():
            raise QueryError(self.param, _("нет ТОС с id %s") % pk)
        return queryset.in_territory(pk)


def by_territory():
    return TerritoryFilter(
        "territory",
        "geom",
        Whole(1, BIGINT_MAX),
        description=gettext_lazy("id ТОС: объекты внутри его утверждённой границы"),
    )


# `?territory=` selects by a TOS's boundary: moving it changes what such a layer shows.
ON_TERRITORIES = (models.Territory,)


def area():
    return Round("area_m2", 1)


def register_layers():
    layers.register(
        Layer(
            "territories",
            "Территории ТОС",
            "TOS territories",
            "MultiPolygon",
            # Only approved boundaries are public; drafts are shown to those who
            # draw and review them (territories.boundaries, docs/domain.md).
            models.Territory.objects.approved,
            {
                "name": "name",
                "population": "population",
                "status": "status",
                "decision_no": "decision_no",
                "decision_date": "decision_date",
                "area_m2": area(),
            },
            (),
        )
    )
    layers.register(
        Layer(
            "buildings",
            "Здания",
            "Buildings",
            "MultiPolygon",
            models.Building.objects.with_residents,
            {
                "address": "address",
                "kind": "kind",
                "levels": "levels",
                "flats": "flats",
                "residents": "resident_count",
                "area_m2": area(),
            },
            (
                Filter(
                    "kind", "kind", many=True, description=gettext_lazy("тип здания")
                ),
                by_territory(),
            ),
            depends_on=ON_TERRITORIES,
            # `residents` of a building with only its flats known is flats × this.
            depends_on_settings=("AVERAGE_HOUSEHOLD",),
            # Thousands of outlines: below z14 they are specks a tile should not carry.
            tiles=TileOptions(minzoom=14),
            map_tiles=True,
        )
    )
    layers.register(
        Layer(
            "yards",
            "Дворы",
            "Yards",
            "MultiPolygon",
            models.Yard.objects.all,
            {"name": "name", "area_m2": area()},
            (by_territory(),),
            depends_on=ON_TERRITORIES,
        )
    )
    layers.register(
        Layer(
            "grounds",
            "Спортивные и детские площадки",
            "Sport grounds and playgrounds",
            "MultiPolygon",
            models.Ground.objects.all,
            {
                "kind": "kind",
                "name": "name",
                "area_m2": area(),
                "year": "year",
                "programme": "programme",
                "equipment": "equipment",
            },
            (
                Filter(
                    "kind",
                    "kind",
                    choice(*models.Ground.Kind.values),
                    many=True,
                    description=gettext_lazy("вид: sport, playground, other"),
                ),
                Filter(
                    "year",
                    "year",
                    # The column is a PositiveSmallIntegerField.
                    Whole(0, 32767),
                    description=gettext_lazy("год установки"),
                ),
                by_territory(),
            ),
            depends_on=ON_TERRITORIES,
        )
    )
    layers.register(
        Layer(
            "trees",
            "Деревья",
            "Trees",
            "Point",
            models.Tree.objects.all,
            {"species": "species", "planted_on": "planted_on", "campaign": "campaign"},
            (
                Filter("species", "species", description=gettext_lazy("порода")),
                Filter("campaign", "campaign", description=gettext_lazy("акция")),
                # The year the indicators count a tree for (docs/domain.md,
                # "Indicators"); a tree without a planting date has none.
                Filter(
                    "year",
                    "planted_on__year",
                    Whole(1, 9999),
                    description=gettext_lazy("год посадки"),
                ),
                by_territory(),
            ),
            depends_on=ON_TERRITORIES,
            # The densest point layer: from z13, where single trees can be told apart.
            tiles=TileOptions(minzoom=13),
            map_tiles=True,
            # The OGC API's `?datetime=` selects trees by their planting date.
            datetime_field="planted_on",
        )
    )
    layers.register(
        Layer(
            "resource_centres",
            "Ресурсные центры",
            "Resource centres",
            "Point",
            models.ResourceCentre.objects.all,
            {
                "name": "name",
                "address": "address",
                "rooms": "rooms",
                "equipment": "equipment",
                "opening_hours": "opening_hours",
            },
        )
    )
    layers.register(
        Layer(
            "container_sites",
            "Контейнерные площадки",
            "Waste container sites",
            "Point",
            models.ContainerSite.objects.all,
            {"address": "address", "containers": "containers"},
            (by_territory(),),
            depends_on=ON_TERRITORIES,
        )
    )
