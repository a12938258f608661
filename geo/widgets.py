"""Admin map widget: Django's OpenLayers widget, with OpenLayers served from our static
files (npm) instead of a CDN and the basemap from settings.BASEMAP_URL."""

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
        context = super().get_context(name, value, attrs)
        context["basemap_url"] = settings.BASEMAP_URL
        return context
