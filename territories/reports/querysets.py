"""Query vocabulary of reports: what filters, layers, edges and services compose."""

from datetime import timedelta

from django.contrib.gis.db.models.functions import Distance, Transform
from django.contrib.gis.measure import D
from django.db import models
from django.db.models import F, Prefetch
from django.utils import timezone

from territories.registry.querysets import GeoQuerySet


class ReportQuerySet(GeoQuerySet):
    # --- who may see what (docs/domain.md, "Problem reports") -------------------------
    def public(self):
        """Reports anyone may see: every one but the hidden ones. Written as «not
        hidden», which no index can serve, rather than as the list of the other
        statuses: PostgreSQL took that list to a status index covering nearly every
        row and ANDed it with the map's box, 5 of a 1 km box's 8 ms at 300,000
        reports (docs/architecture.md, "Reports at scale")."""
        return self.exclude(status=self.model.Status.HIDDEN)

    def active(self):
        """Being dealt with: the ones open for «меня тоже»."""
        return self.with_status(self.model.Status.active())

    def closed(self):
        return self.with_status(self.model.Status.closed())

    def awaiting(self):
        """Waiting for moderation or being dealt with: what a meeting may discuss."""
        return self.with_status(self.model.Status.awaiting())

    def with_status(self, statuses):
        return self.filter(status__in=list(statuses))

    # --- what and where --------------------------------------------------------------
    def in_category(self, codes):
        return self.filter(category__code__in=list(codes))

    def near(self, point, radius_m):
        """Within `radius_m` metres of a point (in GIS_SRID), with `distance_m`,
        nearest first."""
        return (
            self.filter(geom__dwithin=(point, D(m=radius_m)))
            .annotate(distance_m=Distance("geom", point))
            .order_by("distance_m", "pk")
        )

    # --- when ------------------------------------------------------------------------
    def created_since(self, moment):
        return self.filter(created_at__gte=moment)

    def created_until(self, moment):
        return self.filter(created_at__lte=moment)

    def created_within_days(self, days):
        return self.created_since(timezone.now() - timedelta(days=days))

    def older_than_days(self, days):
        return self.created_until(timezone.now() - timedelta(days=days))

    # --- what a representation needs, in one query -----------------------------------
    def for_display(self):
        """With what a public representation shows: names of the places instead of
        their geometry, the point in WGS 84, the category, photos."""
        return (
            self.select_related("category")
            .annotate(
                point=Transform("geom", 4326),
                territory_name=F("territory__name"),
                yard_name=F("yard__name"),
                building_address=F("building__address"),
                duplicate_status=F("duplicate_of__status"),
            )
            .prefetch_related("photos")
        )

    def with_timeline(self):
        from .models import ReportUpdate

        return self.prefetch_related(
            Prefetch(
                "updates", queryset=ReportUpdate.objects.order_by("created_at", "pk")
            )
        )


class StatusCountQuerySet(models.QuerySet):
    def by_status(self):
        """{status: number of reports}; a status without reports is absent."""
        return dict(self.values_list("status", "reports"))

    def total(self, statuses):
        counted = self.filter(status__in=list(statuses))
        return counted.aggregate(n=models.Sum("reports"))["n"] or 0
