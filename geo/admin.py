from django.contrib import admin
from django.contrib.gis import forms
from django.contrib.gis.admin import GISModelAdmin
from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.gdal import GDALException
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .signin import SignInForm
from .widgets import LocalOSMWidget

# /admin/login/ is also the workspace's sign-in: its form says when a sign-in
# lockout ends (geo/signin.py; docs/architecture.md, "Limits").
admin.site.login_form = SignInForm


class MovedGeometryField(forms.GeometryField):
    """Django's geometry form field, except that a geometry PROJ cannot move into
    the column's SRID (drawn where UTM 48N does not reach) is refused with the
    validator's reason instead of a 500: Django catches GEOSException there, but
    GDAL raises its own."""

    def clean(self, value):
        try:
            return super().clean(value)
        except GDALException:
            raise ValidationError(
                _("не переводится в систему координат EPSG:%d") % self.srid,
                code="transform_error",
            ) from None


class MapAdmin(GISModelAdmin):
    """Admin of a geo model: the map widget with our own OpenLayers and basemap."""

    gis_widget = LocalOSMWidget
    readonly_fields = ("osm_id", "created_at", "updated_at")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, GeometryField):
            kwargs.setdefault("form_class", MovedGeometryField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
