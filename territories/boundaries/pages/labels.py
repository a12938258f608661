"""What the boundary pages' scripts say to people, in the request's language; shipped
with json_script, so the scripts hold no user-facing text. Placeholders use Python's
%(name)s, which msgfmt checks (frontend/static/frontend/dom.js, `interpolate`)."""

from django.utils.translation import gettext_lazy as _

# Plural forms by Intl.PluralRules category: Russian has one, few and many (and
# "other" for fractions); English uses one and other.
PLURALS = {
    "residents": {
        "one": _("%(n)s житель"),
        "few": _("%(n)s жителя"),
        "many": _("%(n)s жителей"),
        "other": _("%(n)s жителя"),
    },
    "inBuildings": {
        "one": _("в %(n)s доме"),
        "few": _("в %(n)s домах"),
        "many": _("в %(n)s домах"),
        "other": _("в %(n)s домах"),
    },
}

MESSAGES = {
    # The live check (check.js).
    "area": _("площадь %(area)s га"),
    "passport": _("в паспорте: %(n)s"),
    "overlap": _("пересечение с «%(name)s» %(area)s м²"),
    "snapped": _(
        "полоска %(area)s м² вдоль границы «%(name)s» будет отрезана при сохранении"
    ),
    "checking": _("проверяю границу…"),
    "checkFailed": _("Не удалось проверить границу: %(reason)s"),
    "noShape": _("Нарисуйте границу на карте или загрузите файл."),
    "selfIntersection": _("Здесь граница пересекает сама себя"),
    # The editor (editor.js) and its page (territory.js, propose.js).
    "nothingToUndo": _("Отменять больше нечего."),
    "importDone": _("Граница загружена из файла «%(name)s»."),
    "importEmpty": _("В файле «%(name)s» нет многоугольников."),
    "importFailed": _("Не удалось прочитать файл «%(name)s»: %(reason)s"),
    "importUnknown": _("Нужен файл GeoJSON (.geojson, .json) или KML (.kml)."),
    "saving": _("сохраняю…"),
    "sending": _("отправляю…"),
    "saved": _("Черновик сохранён: версия %(n)s."),
    "unsaved": _("Есть несохранённые изменения."),
    "submitHint": _(
        "Отправить можно сохранённый черновик, если проверка не нашла пересечений."
    ),
    "networkError": _("Нет связи с сервером. Попробуйте ещё раз."),
    "buildingsLoadFailed": _("Не удалось загрузить контуры зданий для привязки."),
    "versionLabel": _("версия %(n)s"),
    # The history page (history.js).
    "squareMetres": _("%(area)s м²"),
    "sameVersion": _("Выберите две разные версии, чтобы увидеть разницу."),
    "confirmRestore": _("Сделать версию %(n)s действующей границей ТОС?"),
}


def page_labels():
    return {"plurals": PLURALS, "messages": MESSAGES}
