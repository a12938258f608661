"""The dashboard's tables as rows of cells with a translated header: what the CSV
files hold (docs/domain.md, "Indicators"). The same figures as the JSON, read from
`dashboard.dashboard`'s answer: no query of its own."""

from django.utils.translation import gettext_lazy as _

from . import practice
from .reports import FIGURES as REPORT_FIGURES

TABLES = (
    "by_year",
    "by_territory",
    "passport",
    "reports_by_year",
    "reports_by_category",
    "reports_by_responsible",
    "reports_by_territory",
)
REPORT_HEADERS = {
    "opened": _("Подано сообщений"),
    "closed": _("Закрыто"),
    "fixed": _("Решено"),
    "median_days_to_fix": _("Медиана дней до решения"),
    "fixed_within_target": _("Доля решённых в срок"),
}
OUTSIDE = _("вне ТОС")
NO_BODY = _("не назначена")


def _row_names():
    return [str(row.name) for row in practice.ROWS]


def _practice(items, first_header, first_cell):
    header = [str(first_header), *_row_names()]
    body = [
        [first_cell(item), *(item[row.code] for row in practice.ROWS)] for item in items
    ]
    return header, body


def _territory_name(item, key="territory"):
    return item[key]["name"] if item[key] else str(OUTSIDE)


def _reports(items, first_header, first_cell):
    header = [str(first_header), *(str(REPORT_HEADERS[f]) for f in REPORT_FIGURES)]
    body = [[first_cell(item), *(item[f] for f in REPORT_FIGURES)] for item in items]
    return header, body


def _passport(answer):
    header = [
        str(_("Показатель")),
        str(_("Всего по паспорту практики")),
        str(_("Не менее")),
        str(
            _("За %(year)d год по паспорту практики")
            % {"year": answer["passport_year"]}
        ),
        str(_("Источник")),
    ]
    names = dict(zip(practice.CODES, _row_names(), strict=True))
    body = [
        [names[r["code"]], r["total"], r["at_least"], r["year_2018"], r["source"]]
        for r in answer["passport"]
    ]
    return header, body


def table(answer, name):
    """(header, rows) of table `name` of the dashboard's answer."""
    reports = answer["reports"]
    if name == "by_year":
        return _practice(answer["by_year"], _("Год"), lambda i: i["year"])
    if name == "by_territory":
        return _practice(answer["by_territory"], _("ТОС"), _territory_name)
    if name == "passport":
        return _passport(answer)
    if name == "reports_by_year":
        return _reports(reports["by_year"], _("Год"), lambda i: i["year"])
    if name == "reports_by_category":
        return _reports(
            reports["by_category"], _("Категория"), lambda i: i["category"]["name"]
        )
    if name == "reports_by_responsible":
        return _reports(
            reports["by_responsible"],
            _("Ответственная организация"),
            lambda i: i["responsible"]["name"] if i["responsible"] else str(NO_BODY),
        )
    return _reports(reports["by_territory"], _("ТОС"), _territory_name)
