"""The passport's own results table (the practice passport, section 9 «Результаты
практики», and section 19 for the 320 projects): shown beside the computed figures
with its source, never added to them (docs/domain.md, "Indicators")."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SOURCE = _(
    "паспорт практики «Дружные соседи – дружный город!», раздел 9 «Результаты практики»"
)
PROJECTS_SOURCE = _(
    "паспорт практики «Дружные соседи – дружный город!», раздел 19 (за весь период)"
)
YEAR = 2018
# «С 2015 года по настоящее время» (section 4): the dashboard counts the practice's
# years only, so a ground built in 1970 is not one the practice installed.
SINCE = 2015


@dataclass(frozen=True)
class PassportFigure:
    total: int
    # «более 2000»: the passport gives a lower bound, not a count.
    at_least: bool = False
    # The passport's «за 2018 год»; None where it gives none.
    year_2018: int | None = None
    source: str = SOURCE


FIGURES = {
    "activists_trained": PassportFigure(1050, year_2018=360),
    "participants": PassportFigure(79781, year_2018=23958),
    "yards_improved": PassportFigure(48, year_2018=16),
    "grounds_installed": PassportFigure(48, year_2018=16),
    "trees_planted": PassportFigure(2000, at_least=True),
    "tos_created": PassportFigure(8, year_2018=3),
    "projects_implemented": PassportFigure(320, source=PROJECTS_SOURCE),
}


def rows():
    """[{code, total, at_least, year_2018, source}] in the rows' order."""
    return [
        {
            "code": code,
            "total": figure.total,
            "at_least": figure.at_least,
            "year_2018": figure.year_2018,
            "source": str(figure.source),
        }
        for code, figure in FIGURES.items()
    ]
