"""The contests' query vocabulary (docs/domain.md, "Contests")."""

from django.db import models

from territories.registry.querysets import GeoQuerySet


class SeasonQuerySet(models.QuerySet):
    def for_display(self):
        return self.select_related("contest")

    def published(self):
        return self.filter(state="published")


class EntryQuerySet(GeoQuerySet):
    def approved(self):
        """What the public sees: entries a specialist approved."""
        return self.filter(state="approved")

    def for_display(self):
        return self.select_related(
            "season__contest",
            "nomination",
            "applicant_council",
            "applicant_territory",
            "building",
            "yard",
            "territory",
        )

    def of_season(self, season):
        return self.filter(season=season)
