"""The forum's figures for the indicators dashboard (docs/domain.md, "Forum").

`implemented(year=None, territory=None)` → `Implemented(count, projects)`: the
implementation projects done — of the year they were completed in (`done_on`), and
of a TOS: those whose point lies in its approved boundary, or whose author named
that TOS — and the queryset of them, for links (`/forum/implementation/#<id>`)."""

from dataclasses import dataclass

from django.db.models import QuerySet

from ..models import Implementation


@dataclass(frozen=True)
class Implemented:
    count: int
    projects: QuerySet


def implemented(year=None, territory=None):
    rows = Implementation.objects.done().select_related("project")
    if year is not None:
        rows = rows.filter(done_on__year=year)
    if territory is not None:
        rows = rows.of_territory(territory)
    rows = rows.order_by("-done_on", "pk")
    return Implemented(rows.count(), rows)
