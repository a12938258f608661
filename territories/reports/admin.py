from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from geo.admin import MapAdmin
from territories.registry.spatial import place

from . import models


@admin.register(models.ResponsibleBody)
class ResponsibleBodyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "email")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(models.Category)
class CategoryAdmin(admin.ModelAdmin):
    # The questions are checked by the model (Category.validate_questions), so this
    # form refuses what every other writer would.
    list_display = ("name", "code", "responsible", "active", "order")
    list_editable = ("active", "order")
    list_filter = ("active", "responsible")
    search_fields = ("name", "code")


class ReportUpdateInline(admin.TabularInline):
    """The public timeline: written by the workflow, read here."""

    model = models.ReportUpdate
    extra = 0
    can_delete = False
    fields = ("created_at", "role", "author", "previous_status", "status", "comment")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ReportPhotoInline(admin.TabularInline):
    model = models.ReportPhoto
    extra = 0
    fields = ("image", "width", "height", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.ProblemReport)
class ProblemReportAdmin(MapAdmin):
    list_display = (
        "pk",
        "category",
        "status",
        "territory",
        "support_count",
        "source",
        "created_at",
    )
    list_filter = ("status", "category", "territory", "source")
    search_fields = ("=id", "description")
    date_hierarchy = "created_at"
    list_select_related = ("category", "territory")
    raw_id_fields = ("territory", "yard", "building", "user", "api_key")
    # The status changes only through the workflow (workspace), so that every change
    # lands on the public timeline and notifies the followers.
    readonly_fields = (
        "status",
        "duplicate_of",
        "workspace_link",
        "support_count",
        "source",
        "client_hash",
        "manage_token_hash",
        "personal_data_removed_at",
        "created_at",
        "updated_at",
    )
    inlines = [ReportUpdateInline, ReportPhotoInline]

    def has_add_permission(self, request):
        # Reports come in through the site, the API and Open311 (placed, rate-limited).
        return False

    @admin.display(description=_("рабочее место"))
    def workspace_link(self, report):
        url = reverse("workspace:report", args=[report.pk])
        return format_html('<a href="{}">{}</a>', url, _("изменить статус"))

    def save_model(self, request, obj, form, change):
        if "geom" in form.changed_data:
            # A moved point belongs to the TOS, yard and building at its new place.
            _district, obj.territory_id, obj.yard_id, obj.building_id = place(obj.geom)
        super().save_model(request, obj, form, change)


@admin.register(models.ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "status")
    list_filter = ("status",)
    search_fields = ("title", "text")


@admin.register(models.Follower)
class FollowerAdmin(admin.ModelAdmin):
    list_display = ("email", "report", "created_at")
    search_fields = ("email", "=report__id")
    raw_id_fields = ("report",)
    list_select_related = ("report__category",)


@admin.register(models.Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    """A key is shown in plain text once, in the message after it is added; only its
    hash is stored, so a lost key is replaced by a new one, never recovered."""

    list_display = ("name", "prefix", "active", "hourly_quota", "created_at")
    list_filter = ("active",)
    search_fields = ("name", "prefix")
    fields = ("name", "hourly_quota", "active", "prefix", "created_at")
    readonly_fields = ("prefix", "created_at")

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        plain = obj.new_key()
        super().save_model(request, obj, form, change)
        messages.success(
            request,
            format_html(
                _(
                    "Ключ для «{}»: <code>{}</code> — скопируйте его сейчас, "
                    "он больше не будет показан."
                ),
                obj.name,
                plain,
            ),
        )
