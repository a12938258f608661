"""What anyone may see of a contest (docs/domain.md, "Contests", "Secrecy"): seasons,
nominations, approved entries; the ranking only once the season is published. No
score, sheet or juror is ever read here before that, and no account ever."""

from .models import Entry, Placing, Season


def seasons():
    return Season.objects.for_display().order_by("-year", "contest__name", "pk")


def entries(season=None):
    queryset = Entry.objects.approved().for_display()
    return queryset if season is None else queryset.of_season(season)


def ranking(season):
    """The published placings of the season, by nomination and place; [] before."""
    if not season.published:
        return []
    return list(
        Placing.objects.filter(nomination__season=season)
        .select_related("entry", "nomination")
        .order_by("nomination_id", "rank")
    )


def placing(entry):
    """The entry's published placing, or None (always None before publication)."""
    if not entry.season.published:
        return None
    return Placing.objects.filter(entry=entry).select_related("entry").first()
