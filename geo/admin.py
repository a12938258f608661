from django.contrib.gis.admin import GISModelAdmin

from .widgets import LocalOSMWidget


class MapAdmin(GISModelAdmin):
    """Admin of a geo model: the map widget with our own OpenLayers and basemap."""

    gis_widget = LocalOSMWidget
    readonly_fields = ("osm_id", "created_at", "updated_at")
