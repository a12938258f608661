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
