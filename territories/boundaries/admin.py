from django.contrib import admin

from geo.admin import MapAdmin

from .models import BoundaryVersion


@admin.register(BoundaryVersion)
class BoundaryVersionAdmin(MapAdmin):
    """The history, read only: versions change through the workflow's services
    (docs/domain.md, "TOS boundaries"), never by hand."""

    list_display = ("territory", "number", "state", "area_m2", "author", "created_at")
    list_filter = ("state", "territory")
    readonly_fields = [f.name for f in BoundaryVersion._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
