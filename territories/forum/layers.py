"""The forum's layers in the catalogue of `geo.layers` (docs/domain.md, "Forum"):
`forum_projects` (projects admitted to the vote and the winners, at their point —
a drawn area's point on surface — with their tally and state) and
`implementation_projects` (the winners being carried out, with their status).
Neither carries an author, a voter or a contact."""

from django.db.models import F, TextField, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy

from geo.bounds import CAPPED
from geo.layers import Filter, Layer, Whole, choice, layers
from geo.numbers import BIGINT_MAX

from .models import Implementation, Project, Vote
from .querysets import vote_count


def _url(prefix, suffix="/"):
    return Concat(
        Value(prefix), Cast("pk", TextField()), Value(suffix), output_field=TextField()
    )


def public_projects():
    return Project.objects.public()


def implementation_projects():
    return Implementation.objects.all()


def register_layers():
    layers.register(
        Layer(
            "forum_projects",
            "Проекты форума «Ангарск – это мы!»",
            "Forum projects",
            "Point",
            public_projects,
            {
                "title": "title",
                "state": "state",
                "round": "round_id",
                "round_title": F("round__title"),
                "budget": "budget",
                "vote_count": vote_count(),
                "url": _url("/forum/projects/"),
            },
            (
                Filter(
                    "round",
                    "round_id",
                    Whole(1, BIGINT_MAX),
                    description=gettext_lazy("id сессии форума"),
                ),
                Filter(
                    "state",
                    "state",
                    choice("approved", "winner"),
                    description=gettext_lazy("approved или winner"),
                ),
            ),
            # The tally is a subquery of the votes.
            depends_on=(Vote,),
            # Every round adds its projects.
            bound=CAPPED,
        )
    )
    layers.register(
        Layer(
            "implementation_projects",
            "Реализация проектов форума",
            "Forum projects being carried out",
            "Point",
            implementation_projects,
            {
                "title": F("project__title"),
                "status": "status",
                "budget": "budget",
                "responsible": "responsible",
                "started_on": "started_on",
                "done_on": "done_on",
                "project": "project_id",
                "url": Concat(
                    Value("/forum/implementation/#implementation-"),
                    Cast("pk", TextField()),
                    output_field=TextField(),
                ),
            },
            (
                Filter(
                    "status",
                    "status",
                    choice("planned", "in_progress", "done"),
                    description=gettext_lazy("planned, in_progress или done"),
                ),
            ),
            bound=CAPPED,
        )
    )
