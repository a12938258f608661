"""The forum's query vocabulary (docs/domain.md, "Forum")."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from territories.registry.querysets import GeoQuerySet

PUBLIC_STATES = ("approved", "winner")


def vote_count():
    """A project's tally as a subquery (one query for a whole list, no join that
    would multiply rows, and no voter read out)."""
    from .models import Vote

    counted = (
        Vote.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class ProjectQuerySet(GeoQuerySet):
    def public(self):
        """What anyone sees: projects admitted to voting, and the winners."""
        return self.filter(state__in=PUBLIC_STATES)

    def with_votes(self):
        """`vote_count`: the tally, counted in a subquery (no voter read out)."""
        return self.annotate(vote_count=vote_count())

    def ranked(self):
        return self.with_votes().order_by("-vote_count", "pk")

    def awaiting(self):
        return self.filter(state="submitted")


class ImplementationQuerySet(GeoQuerySet):
    def done(self):
        return self.filter(status="done")

    def of_territory(self, territory):
        """Whose point lies in the TOS's approved boundary, or whose author's TOS it
        is (docs/domain.md, "Forum": a project outside every TOS counts for its
        author's TOS)."""
        from territories.registry.models import Territory

        boundary = Territory.objects.approved().filter(
            pk=territory.pk, geom__intersects=OuterRef("geom")
        )
        return self.filter(Exists(boundary) | Q(project__territory=territory))
