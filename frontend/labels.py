"""What the map page's script says to people: UI messages and the human labels of layer
properties and their values, in the request's language. Labels come from the models'
verbose names and choices where those fit, so a new layer gets labels without an edit
here; the overrides below cover computed properties and names too technical to show."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from geo.layers import layers

# (layer, property) → label, where the model's verbose name is missing or unfit.
PROPERTY_LABELS = {
    ("buildings", "kind"): _("тип здания"),
    ("buildings", "residents"): _("жителей"),
    ("buildings", "levels"): _("этажей"),
    ("reports", "category"): _("код категории"),
    ("reports", "category_name"): _("категория"),
    ("reports", "created_at"): _("подано"),
    ("reports", "support_count"): _("поддержали"),
    ("reports", "url"): _("страница сообщения"),
    ("events", "kind"): _("код вида"),
    ("events", "kind_name"): _("вид"),
    ("events", "organiser"): _("организатор"),
    ("events", "places_left"): _("свободных мест"),
    ("events", "full"): _("мест нет"),
    ("events", "url"): _("страница мероприятия"),
    ("contest_entries", "contest"): _("конкурс"),
    ("contest_entries", "year"): _("год"),
    ("contest_entries", "season"): _("номер сезона"),
    ("contest_entries", "nomination"): _("номинация"),
    ("contest_entries", "applicant"): _("заявитель"),
    # Present only once the season's results are published (docs/domain.md).
    ("contest_entries", "rank"): _("место в номинации"),
    ("contest_entries", "winner"): _("призёр"),
    ("contest_entries", "url"): _("страница заявки"),
    ("forum_projects", "vote_count"): _("голосов"),
    ("forum_projects", "round_title"): _("сессия форума"),
    ("forum_projects", "url"): _("страница проекта"),
    ("implementation_projects", "title"): _("название"),
    ("implementation_projects", "url"): _("реализация проектов"),
}

YES_NO = {True: _("да"), False: _("нет")}

# Values of OpenStreetMap's building=* most common in the district.
VALUE_LABELS = {
    ("events", "full"): {True: _("да — запись в лист ожидания"), False: _("нет")},
    ("events", "registration_required"): YES_NO,
    ("contest_entries", "winner"): YES_NO,
    ("buildings", "kind"): {
        "apartments": _("многоквартирный дом"),
        "house": _("жилой дом"),
        "detached": _("частный дом"),
        "residential": _("жилое здание"),
        "dormitory": _("общежитие"),
        "yes": _("здание"),
    },
}

# Placeholders use Python's %(name)s so that msgfmt --check guards them.
MESSAGES = {
    "layers": _("Слои"),
    "toggleLayers": _("Показать или скрыть список слоёв"),
    "loading": _("загрузка…"),
    "empty": _("нет объектов"),
    "catalogueFailed": _("Не удалось загрузить список слоёв."),
    "layerFailed": _("Не удалось загрузить слой «%(title)s»."),
    "fromZoom": _("виден с масштаба %(zoom)s"),
    "zoomIn": _("Приблизьте карту, чтобы увидеть слой «%(title)s»"),
    "limited": _(
        "Слой «%(title)s»: показаны не все объекты (%(shown)s из %(matched)s) — "
        "приблизьте карту"
    ),
    "limitedUncounted": _(
        "Слой «%(title)s»: показаны не все объекты (первые %(shown)s) — "
        "приблизьте карту"
    ),
    "basemapUnavailable": _("Подложка недоступна — показаны только данные."),
    "feature": _("объект №%(id)s"),
    "myDraft": _("Черновик границы ТОС «%(name)s»"),
    "openTerritory": _("Открыть страницу ТОС"),
    "openPage": _("Открыть страницу"),
}

# The reporting form, the reports' popup and their filter (frontend/static/report-*.js).
REPORT_MESSAGES = {
    "reportButton": _("Сообщить о проблеме"),
    "formTitle": _("Сообщение о проблеме"),
    "close": _("Закрыть"),
    "cancel": _("Отмена"),
    "pickPoint": _("Нажмите на карту там, где проблема."),
    "pointChosen": _(
        "Место отмечено. Метку можно перетащить или нажать на карту ещё раз."
    ),
    "myLocation": _("Моё местоположение"),
    "locating": _("Определяем местоположение…"),
    "locationFailed": _(
        "Не удалось определить местоположение: отметьте место на карте."
    ),
    "location": _("Место"),
    "category": _("Категория"),
    "chooseCategory": _("— выберите категорию —"),
    "description": _("Описание"),
    "descriptionHint": _("Что случилось и где именно: подъезд, ориентир."),
    "counter": _("%(count)s из %(max)s"),
    "tooLong": _("Слишком длинно: не больше %(max)s символов."),
    "photos": _("Фотографии"),
    "photosHint": _("До %(max)s фото: JPEG, PNG или WebP."),
    "tooManyPhotos": _("Не больше %(max)s фотографий."),
    "wrongPhotoType": _("«%(name)s»: нужен JPEG, PNG или WebP."),
    "aboutYou": _("О вас (по желанию)"),
    "name": _("Имя"),
    "showName": _("показывать моё имя на странице сообщения"),
    "email": _("E-mail"),
    "phone": _("Телефон"),
    "contactsNote": _(
        "Контакты никогда не публикуются: они нужны, чтобы сообщить вам о решении."
    ),
    "submit": _("Отправить"),
    "sending": _("Отправляем…"),
    "required": _("обязательное поле"),
    "needPoint": _("Отметьте место на карте."),
    "needCategory": _("Выберите категорию."),
    "needDescription": _("Опишите проблему."),
    "failed": _("Не удалось отправить: %(reason)s"),
    "networkError": _("нет связи с сервером, попробуйте ещё раз"),
    "sent": _("Сообщение №%(id)s отправлено"),
    "sentText": _(
        "Оно уже на карте со статусом «на модерации»; специалист проверит его "
        "и опубликует."
    ),
    "openReport": _("Страница сообщения"),
    "manageLink": _("Ваша ссылка для управления сообщением"),
    "manageNote": _(
        "Сохраните её: по ней вы сможете переоткрыть сообщение и удалить свои "
        "контакты. Мы покажем её только сейчас."
    ),
    "done": _("Готово"),
    "nearbyTitle": _("Рядом уже сообщили о похожем"),
    "nearbyText": _(
        "Открытые сообщения этой категории в радиусе %(radius)s м. Если это та же "
        "проблема, поддержите его вместо нового сообщения."
    ),
    "meToo": _("Меня тоже касается"),
    "supported": _("Спасибо, ваш голос учтён"),
    "alreadySupported": _("Вы уже поддержали это сообщение"),
    "supportFailed": _("Не удалось поддержать: %(reason)s"),
    "distance": _("%(distance)s м"),
    "supports": _("поддержали: %(count)s"),
    "more": _("Подробнее"),
    "reportNo": _("Сообщение №%(id)s"),
    "submittedOn": _("подано"),
    "supportCount": _("поддержали"),
    "awaitingModeration": _("Текст появится после проверки специалистом."),
    "filter": _("Фильтр"),
    "filterStatus": _("Статус"),
    "filterCategory": _("Категория"),
    "allCategories": _("все категории"),
    "filterAge": _("Поданы"),
    "ageAll": _("за всё время"),
    "age7": _("за неделю"),
    "age30": _("за месяц"),
    "age90": _("за 3 месяца"),
    "age365": _("за год"),
}

# Hints that read better than the generic «zoom in to see layer …».
ZOOM_HINTS = {
    "buildings": _("Приблизьте карту, чтобы увидеть дома"),
}


def page_labels():
    """Everything the script shows, as JSON-ready data (lazy strings resolve in the
    active language when serialised)."""
    return {
        # Moments (an event's start) are shown in the district's time zone.
        "timeZone": settings.TIME_ZONE,
        "messages": MESSAGES,
        "report": REPORT_MESSAGES,
        "zoomHints": ZOOM_HINTS,
        "properties": {
            name: {prop: _property_label(layer, prop) for prop in layer.properties}
            for name, layer in layers.items()
        },
        "values": {name: _value_labels(name, layer) for name, layer in layers.items()},
    }


def _model_field(layer, prop):
    try:
        return layer.queryset().model._meta.get_field(prop)
    except FieldDoesNotExist:
        return None


def _property_label(layer, prop):
    label = PROPERTY_LABELS.get((layer.name, prop))
    if label is None:
        field = _model_field(layer, prop)
        label = field.verbose_name if field else prop.replace("_", " ")
    return capfirst(label)


def _value_labels(name, layer):
    """{property: {value: label}} from model choices and VALUE_LABELS."""
    values = {}
    for prop in layer.properties:
        field = _model_field(layer, prop)
        choices = dict(field.flatchoices) if field and field.choices else {}
        choices.update(VALUE_LABELS.get((name, prop), {}))
        if choices:
            values[prop] = choices
    return values
