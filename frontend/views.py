from django.conf import settings
from django.shortcuts import render
from django.urls import reverse

from .labels import page_labels


def map_page(request):
    return render(
        request,
        "frontend/map.html",
        {"map_config": map_config(), "map_labels": page_labels()},
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
    }
