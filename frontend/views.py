from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.csrf import ensure_csrf_cookie

from territories.reports.models import Category

from .labels import page_labels


# The reporting form posts with fetch: the CSRF cookie must be there for it.
@ensure_csrf_cookie
def map_page(request):
    return render(
        request,
        "frontend/map.html",
        {
            "map_config": map_config(),
            "map_labels": page_labels(),
            "report_categories": report_categories(),
        },
    )


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
    english = get_language() == "en"
    return [
        {
            "code": category.code,
            "name": (english and category.name_en) or category.name,
            "questions": [_question(q, english) for q in category.questions],
        }
        for category in Category.objects.filter(active=True)
    ]


def _question(question, english):
    label = (english and question.get("label_en")) or question.get("label", "")
    return {
        "code": question["code"],
        "label": label or question["code"],
        "datatype": question.get("datatype", "string"),
        "required": bool(question.get("required")),
        "values": [
            {"key": str(v["key"]), "name": (english and v.get("name_en")) or v["name"]}
            for v in question.get("values", [])
        ],
    }
