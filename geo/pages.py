"""What every page with a map shares."""

from django.conf import settings
from django.utils.translation import get_language


def map_config(**fields):
    """What a map page's script needs from settings (language, where the map opens,
    the basemap), plus the page's own `fields`; shipped with json_script."""
    return {
        "lang": get_language() or settings.LANGUAGE_CODE,
        "center": settings.MAP_CENTER,
        "zoom": settings.MAP_ZOOM,
        "basemap": {
            "url": settings.BASEMAP_URL,
            "attribution": settings.BASEMAP_ATTRIBUTION,
        },
        **fields,
    }
