"""Query vocabulary of the registry: what views, layers and services compose."""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Round


class GeoQuerySet(models.QuerySet):
    def in_bbox(self, bbox):
        """Features intersecting a WGS 84 `geo.bbox.BBox`."""
        return self.filter(geom__intersects=bbox.polygon(settings.GIS_SRID))

    def within(self, territory):
        """Features touching a territory's boundary polygon."""
        return self.filter(geom__intersects=territory.geom)


class DistrictQuerySet(GeoQuerySet):
    def area(self):
        """The districts' boundaries as one geometry (GIS_SRID), None when none is
        recorded: where the registry's places and the residents' reports may lie."""
        return self.aggregate(area=models.Union("geom"))["area"]


class BuildingQuerySet(GeoQuerySet):
    def with_residents(self):
        """`resident_count`: recorded where known, otherwise flats × average household,
        otherwise the estimate from levels × footprint."""
        by_flats = Round(F("flats") * Value(settings.AVERAGE_HOUSEHOLD))
        return self.annotate(
            resident_count=Coalesce(
                "residents_recorded",
                models.functions.Cast(by_flats, models.IntegerField()),
                "residents_estimated",
            )
        )
