"""What the map page's script says to people: UI messages and the human labels of layer
properties and their values, in the request's language. Labels come from the models'
verbose names and choices where those fit, so a new layer gets labels without an edit
here; the overrides below cover computed properties and names too technical to show."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from geo.layers import layers

# (layer, property) → label, where the model's verbose name is missing or unfit.
PROPERTY_LABELS = {
    ("buildings", "kind"): _("тип здания"),
    ("buildings", "residents"): _("жителей"),
    ("buildings", "levels"): _("этажей"),
}

# Values of OpenStreetMap's building=* most common in the district.
VALUE_LABELS = {
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
    "basemapUnavailable": _("Подложка недоступна — показаны только данные."),
    "feature": _("объект №%(id)s"),
}

# Hints that read better than the generic «zoom in to see layer …».
ZOOM_HINTS = {
    "buildings": _("Приблизьте карту, чтобы увидеть дома"),
}


def page_labels():
    """Everything the script shows, as JSON-ready data (lazy strings resolve in the
    active language when serialised)."""
    return {
        "messages": MESSAGES,
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
