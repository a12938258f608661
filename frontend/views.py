from django.conf import settings
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.csrf import ensure_csrf_cookie

from geo.layers import layers
from territories.reports.models import Category
from territories.reports.questions import in_english

from .labels import page_labels


# The reporting form posts with fetch: the CSRF cookie must be there for it.
@ensure_csrf_cookie
def map_page(request):
    config = map_config()
    if request.user.is_authenticated:
        # Drafts are not public: a chair or an initiative group sees their own
        # (frontend/static/frontend/my-drafts.js; docs/domain.md, "TOS boundaries").
        config["myDrafts"] = {"listUrl": reverse("territory-list-api")}
    return render(
        request,
        "frontend/map.html",
        {
            "map_config": config,
            "map_labels": page_labels(),
            "report_categories": report_categories(),
            "tilejson_urls": tilejson_urls(),
        },
    )


def tilejson_urls():
    """TileJSON of the layers the map draws from tiles: preloaded by the page, so that
    they are there when the catalogue says to use them (docs/architecture.md, "Vector
    tiles")."""
    return [reverse("tilejson", args=[name]) for name in tiled_layers()]


def tiled_layers():
    """Names of the layers the map draws from vector tiles."""
    return [layer.name for layer in layers.values() if layer.map_tiles]


def map_config():
    """What the script needs to know from settings; shipped to it with json_script."""
    return {
        "center": settings.MAP_CENTER,
        "zoom": settings.MAP_ZOOM,
        "basemap": {
            "url": settings.BASEMAP_URL,
            "attribution": settings.BASEMAP_ATTRIBUTION,
        },
        "catalogueUrl": reverse("layer-catalogue"),
        # Layers drawn from vector tiles and their library, loaded when one is shown
        # (docs/architecture.md, "Vector tiles").
        "tiles": {
            "layers": tiled_layers(),
            "library": static("vendor/protomaps-leaflet/protomaps-leaflet.js"),
        },
        "reports": {
            "submitUrl": "/api/reports/",
            "nearbyUrl": "/api/reports/nearby/",
            "supportUrl": "/api/reports/{id}/support/",
            "maxDescription": settings.REPORT_MAX_DESCRIPTION,
            "maxPhotos": settings.REPORT_MAX_PHOTOS,
            "nearbyRadius": settings.REPORT_DUPLICATE_RADIUS_M,
        },
    }


def report_categories():
    """The categories a resident can choose, with their extra questions, in the
    request's language."""
    english = in_english()
    return [
        {
            "code": category.code,
            "name": (english and category.name_en) or category.name,
            "questions": [_question(q) for q in category.question_list],
        }
        for category in Category.objects.filter(active=True)
    ]


def _question(question):
    return {
        "code": question.code,
        "label": question.label_in(),
        "datatype": question.datatype,
        "required": question.required,
        "values": [
            {"key": choice.key, "name": choice.name_in()} for choice in question.values
        ],
    }
