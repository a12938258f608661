"""Where each figure's records are listed (docs/domain.md, "Indicators"): the
closest public list, with the figure's year and TOS as its filters. Lists that
cannot select by a figure's year or rule are named in the docs."""

from urllib.parse import urlencode

from django.urls import reverse

from .params import FIRST_YEAR, LAST_YEAR


def _url(path, **params):
    given = {name: value for name, value in params.items() if value not in (None, "")}
    return f"{path}?{urlencode(given)}" if given else path


def _span(year):
    """(first day, last day) of the year, or of every year the dashboard knows."""
    return (f"{year or FIRST_YEAR}-01-01", f"{year or LAST_YEAR}-12-31")


def _events(year, territory, kinds=None):
    start, end = _span(year)
    return _url(
        reverse("event-calendar"),
        view="list",
        kind=",".join(kinds) if kinds else None,
        **{"from": start, "to": end},
        territory=territory,
    )


def _layer(name, **params):
    return _url(reverse("layer-features", args=[name]), **params)


def figure_links(year=None, territory=None, training_kinds=()):
    """{row code: URL} for one year and/or one TOS (None: all)."""
    territories = (
        reverse("territory-page", args=[territory])
        if territory
        else reverse("territory-list")
    )
    return {
        "activists_trained": _events(year, territory, training_kinds),
        "participants": _events(year, territory),
        "yards_improved": _layer("yards", territory=territory),
        "grounds_installed": _layer("grounds", year=year, territory=territory),
        "trees_planted": _layer("trees", year=year, territory=territory),
        "tos_created": territories,
        # The list of the forum's projects carried out (all years, all TOS: it has
        # no filters).
        "projects_implemented": reverse("forum-implementation"),
    }


def report_links(year=None, territory=None, category=None):
    """{figure: URL} of the reports' list: submitted in the year for `opened`; the
    list selects by the date of submission only, so `closed` and `fixed` link to
    every report now closed or fixed (of the TOS, the category)."""
    common = {"territory": territory, "category": category}
    start, end = _span(year) if year else (None, None)
    return {
        "opened": _url(reverse("report-list"), since=start, until=end, **common),
        "closed": _url(reverse("report-list"), group="closed", **common),
        "fixed": _url(reverse("report-list"), status="fixed", **common),
    }
