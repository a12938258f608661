"""Query vocabulary of boundary versions."""

from django.db import models


class VersionQuerySet(models.QuerySet):
    def of(self, territory):
        return self.filter(territory=territory)

    def newest_first(self):
        return self.order_by("-number")

    def approved(self):
        return self.filter(state=self.model.State.APPROVED)

    def submitted(self):
        return self.filter(state=self.model.State.SUBMITTED)

    def visible_to_public(self):
        """Only approved boundaries are public (docs/domain.md, "TOS boundaries")."""
        return self.approved()

    def with_author(self):
        return self.select_related("author", "reviewed_by")

    def newest_of(self, territories):
        """The newest version of each of `territories`, by territory id, in one
        query (each territory's boundary state)."""
        found = (
            self.filter(territory__in=territories)
            .with_author()
            .order_by("territory_id", "-number")
            .distinct("territory_id")
        )
        return {version.territory_id: version for version in found}
