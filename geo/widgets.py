"""Admin map widget: Django's OpenLayers widget, with OpenLayers served from our static
files (npm) instead of a CDN, the basemap from settings.BASEMAP_URL, and started from
a static script instead of an inline one (docs/security.md, "Headers")."""

from django.conf import settings
from django.contrib.gis.forms.widgets import OSMWidget


class LocalOSMWidget(OSMWidget):
    template_name = "gis/openlayers-local.html"
    default_lon, default_lat = reversed(settings.MAP_CENTER)
    default_zoom = settings.MAP_ZOOM

    class Media:
        extend = False
        css = {"all": ("vendor/ol/ol.css", "gis/css/ol3.css")}
        js = ("vendor/ol/ol.js", "gis/js/OLMapWidget.js")

    def get_context(self, name, value, attrs):
        """What Django's inline script passed to MapWidget, as data for
        geo/static/geo/map-widget.js (no inline script under the CSP)."""
        context = super().get_context(name, value, attrs)
        context["map_options_id"] = f"{context['id']}_options"
        context["map_options"] = {
            "geom_name": context["geom_type"],
            "id": context["id"],
            "map_id": f"{context['id']}_map",
            "map_srid": context["map_srid"],
            "name": context["name"],
            "default_lon": context["default_lon"],
            "default_lat": context["default_lat"],
            "default_zoom": context["default_zoom"],
            "basemap_url": settings.BASEMAP_URL,
            "module": context["module"],
        }
        return context
