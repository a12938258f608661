"""The row «Реализовано проектов форума» (projects of the forum «Ангарск – это мы!»
that were built). The forum app (branch `forum`) exposes
`territories.forum.services.figures.implemented`; until it is part of the
project the row has no figures and says so: missing, not zero (docs/domain.md,
"Indicators")."""

from django.utils.translation import gettext_lazy as _

CODE = "projects_implemented"
NAME = _("Реализовано проектов форума «Ангарск – это мы!»")
MISSING = _("нет данных: учёт проектов форума ещё не подключён к платформе")


def row(row_type):
    return row_type(CODE, NAME, _("ед."), None, None, note=MISSING)
