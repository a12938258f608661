from django.contrib import admin

from .models import Analysis, Norm


@admin.register(Norm)
class NormAdmin(admin.ModelAdmin):
    """Planners change the norms here; kept analyses are computed again after."""

    list_display = ("title", "value", "unit", "source")
    list_editable = ("value",)
    readonly_fields = ("code",)

    def has_add_permission(self, request):
        return False  # the analyses ask for the norms by code

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Analysis)
class AnalysisAdmin(admin.ModelAdmin):
    list_display = ("key", "state", "progress", "created_at", "finished_at")
    list_filter = ("state", "kind")
    readonly_fields = [f.name for f in Analysis._meta.fields]

    def has_add_permission(self, request):
        return False
