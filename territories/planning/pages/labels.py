"""What the planner page's scripts say to people, in the request's language; shipped
with json_script, so the scripts hold no user-facing text. Placeholders use Python's
%(name)s, which msgfmt checks (frontend/static/frontend/dom.js, `interpolate`)."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # The analysis (planning.js).
    "computing": _("считаю…"),
    "analysisQueued": _("большой расчёт: в очереди…"),
    "analysisRunning": _("большой расчёт: %(progress)s"),
    "failed": _("Не удалось посчитать: %(reason)s"),
    "networkError": _("Нет связи с сервером. Попробуйте ещё раз."),
    "normRadius": _("по нормативу: %(radius)s м"),
    "summaryShare": _("%(share)s жителей живут в зоне доступности"),
    "summaryResidents": _("%(covered)s из %(total)s жителей"),
    "summaryArea": _("площадки %(area)s м² при нормативе %(norm)s м²"),
    "summaryDeficit": _("дефицит %(deficit)s м²"),
    "summaryNoDeficit": _("норматив площади выполнен"),
    "noResidents": _("Жителей в домах нет: долю не посчитать."),
    "straightOnly": _(
        "Пешеходная сеть не загружена: расстояние считается только по прямой."
    ),
    # The map (coverage-map.js).
    "covered": _("в зоне доступности"),
    "uncovered": _("вне зоны доступности"),
    "nobody": _("жителей нет"),
    "residents": _("жителей: %(n)s"),
    "distance": _("до ближайшей площадки %(distance)s м"),
    "noGround": _("площадок этого вида нет"),
    "groundArea": _("площадь %(area)s м²"),
    "groundsFailed": _("Не удалось загрузить площадки."),
    # The table and the charts (coverage-table.js, coverage-chart.js).
    "district": _("Весь округ"),
    "territory": _("ТОС «%(name)s»"),
    "shareAxis": _("доля жителей в зоне доступности, %"),
    "areaAxis": _("м²"),
    "groundSeries": _("площадь площадок"),
    "normSeries": _("норматив"),
    # Where to build next (plan.js).
    "planQueued": _("в очереди…"),
    "planRunning": _("подбираю места: %(progress)s"),
    "planFailed": _("Не удалось подобрать места: %(reason)s"),
    "planSummary": _("Охват: %(before)s → %(after)s (%(residents)s жителей)"),
    "planEmpty": _("Мест, которые добавили бы жителей в зону доступности, нет."),
    "pointsCount": _("выбрано точек: %(n)s"),
    "site": _("место %(rank)s"),
}


def page_labels():
    return {"messages": MESSAGES}
