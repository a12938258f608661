"""Query vocabulary of the registry: what views, layers and services compose."""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Exists, F, Func, OuterRef, Value
from django.db.models.functions import Cast, Coalesce


class GeoQuerySet(models.QuerySet):
    def in_bbox(self, bbox):
        """Features intersecting a WGS 84 `geo.bbox.BBox`."""
        return self.filter(geom__intersects=bbox.polygon(settings.GIS_SRID))

    def in_territory(self, territory_ids):
        """Features inside (or touching, for outlines) the current approved boundary
        of any of these TOS: the one meaning of `territory=` (docs/domain.md, "TOS").
        A subquery, so the boundary is read in the same query as the features."""
        from .models import Territory

        ids = [territory_ids] if isinstance(territory_ids, int) else territory_ids
        boundary = Territory.objects.approved().filter(
            pk__in=ids, geom__intersects=OuterRef("geom")
        )
        return self.filter(Exists(boundary))


class TerritoryQuerySet(GeoQuerySet):
    def approved(self):
        """TOS with a boundary the Duma has approved: only those say where a TOS is."""
        return self.filter(status=self.model.Status.APPROVED)

    def sharing_area_with(self, area):
        """Territories whose boundary and `area` (GIS_SRID) share interior (a 2-D
        intersection: touching along an edge is not sharing), with `shared` (the
        common part) and `shared_m2` (its area) — docs/domain.md, "TOS boundaries"."""
        from django.contrib.gis.db.models.functions import Area, Intersection

        return (
            self.filter(geom__bboverlaps=area, geom__relate=(area, "2********"))
            .annotate(shared=Intersection("geom", area))
            .annotate(shared_m2=Area("shared"))
        )


class DistrictQuerySet(GeoQuerySet):
    def area(self):
        """The districts' boundaries as one geometry (GIS_SRID), None when none is
        recorded: where the registry's places and the residents' reports may lie."""
        return self.aggregate(area=models.Union("geom"))["area"]


class BuildingQuerySet(GeoQuerySet):
    def counted_in(self, area):
        """Buildings that count as inside `area` (GIS_SRID): those whose point on
        surface lies in it (docs/domain.md, "TOS boundaries"), so a building astride
        a boundary counts on exactly one side."""
        from django.contrib.gis.db.models.functions import PointOnSurface

        return self.annotate(spot=PointOnSurface("geom")).filter(
            geom__bboverlaps=area, spot__intersects=area
        )

    def with_residents(self):
        """`resident_count`: recorded where known, otherwise flats × average household,
        otherwise the estimate from levels × footprint. The product is a double,
        rounded half to even as Python's `round()` rounds it, like the OSM
        importer's estimate (15 × 2.3 = 34.5 is 34; 45 × 2.3 is 103.49999999999999):
        Django's Round goes through numeric, which rounds 34.5 up and 45 × 2.3 to
        104."""
        household = Cast(Value(settings.AVERAGE_HOUSEHOLD), models.FloatField())
        product = F("flats") * household
        by_flats = Func(product, function="ROUND", output_field=models.FloatField())
        return self.annotate(
            resident_count=Coalesce(
                "residents_recorded",
                Cast(by_flats, models.IntegerField()),
                "residents_estimated",
            )
        )
