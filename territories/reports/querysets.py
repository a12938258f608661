"""Query vocabulary of reports: what views, layers, feeds and services compose."""

from territories.registry.querysets import GeoQuerySet


class ReportQuerySet(GeoQuerySet):
    def public(self):
        """Reports anyone may see: every one but the hidden ones."""
        return self.exclude(status=self.model.Status.HIDDEN)
