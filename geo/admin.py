from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from .signin import SignInForm
from .widgets import LocalOSMWidget

# /admin/login/ is also the workspace's sign-in: its form says when a sign-in
# lockout ends (geo/signin.py; docs/architecture.md, "Limits").
admin.site.login_form = SignInForm


class MapAdmin(GISModelAdmin):
    """Admin of a geo model: the map widget with our own OpenLayers and basemap."""

    gis_widget = LocalOSMWidget
    readonly_fields = ("osm_id", "created_at", "updated_at")
