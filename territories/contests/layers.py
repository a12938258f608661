"""The `contest_entries` layer of `geo.layers`: approved entries as points, with
their season and nomination; the place and the winner's mark only once the season
is published (docs/domain.md, "Contests", "Secrecy"). The placing is stored at
publication (ranking.py), so the layer joins it; the Case keeps it out even if a
placing existed early. Its version covers every table it reads: the entries, the
seasons (state), contests, nominations, placings, and the councils' and TOS'
names (contests 0002 adds their triggers)."""

from django.db.models import Case, F, TextField, Value, When
from django.db.models.functions import Cast, Concat

from geo.bounds import CAPPED
from geo.layers import Filter, Layer, Whole, layers
from territories.registry.models import Council, Territory

from .models import Contest, Entry, Nomination, Placing, Season


def published(expression):
    return Case(When(season__state="published", then=expression), default=None)


def applicant_name():
    """The applicant's public name, as `Entry.applicant_name` says it (Russian: the
    layer is the same for every language)."""
    return Case(
        When(
            applicant_territory__isnull=False,
            then=Concat(Value("ТОС «"), F("applicant_territory__name"), Value("»")),
        ),
        When(applicant_council__isnull=False, then=F("applicant_council__name")),
        default=F("display_name"),
        output_field=TextField(),
    )


def entry_properties():
    return {
        "title": "title",
        "contest": "season__contest__name",
        "year": "season__year",
        "season": "season_id",
        "nomination": "nomination__name",
        "applicant": applicant_name(),
        "rank": published(F("placing__rank")),
        "winner": published(F("placing__winner")),
        "url": Concat(
            Value("/contests/entries/"),
            Cast("pk", TextField()),
            Value("/"),
            output_field=TextField(),
        ),
    }


def approved():
    return Entry.objects.approved()


def register_layers():
    layers.register(
        Layer(
            "contest_entries",
            "Заявки конкурсов",
            "Contest entries",
            "Point",
            approved,
            entry_properties(),
            (
                Filter("season", "season_id", Whole(1), description="season id"),
                Filter("nomination", "nomination_id", Whole(1), description="id"),
            ),
            depends_on=(Season, Contest, Nomination, Placing, Council, Territory),
            # Every season adds its entries.
            bound=CAPPED,
        )
    )
