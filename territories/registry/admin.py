from django.contrib import admin

from geo.admin import MapAdmin

from . import models


@admin.register(models.District)
class DistrictAdmin(MapAdmin):
    list_display = ("name", "population", "population_date")


@admin.register(models.Territory)
class TerritoryAdmin(MapAdmin):
    list_display = ("name", "population", "status", "decision_no", "decision_date")
    list_filter = ("status",)
    search_fields = ("name",)
    readonly_fields = (*MapAdmin.readonly_fields, "area_m2")


@admin.register(models.Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "territory")
    list_filter = ("kind", "territory")
    search_fields = ("name",)


@admin.register(models.Building)
class BuildingAdmin(MapAdmin):
    list_display = ("address", "kind", "levels", "flats", "residents_recorded")
    list_filter = ("kind",)
    search_fields = ("address", "osm_id")
    readonly_fields = (*MapAdmin.readonly_fields, "area_m2")
    raw_id_fields = ("council",)


class YardWorkInline(admin.TabularInline):
    model = models.YardWork
    extra = 0


@admin.register(models.Yard)
class YardAdmin(MapAdmin):
    list_display = ("name", "area_m2")
    search_fields = ("name",)
    readonly_fields = (*MapAdmin.readonly_fields, "area_m2")
    inlines = [YardWorkInline]


@admin.register(models.Ground)
class GroundAdmin(MapAdmin):
    list_display = ("__str__", "kind", "area_m2", "year", "programme")
    list_filter = ("kind", "year")
    search_fields = ("name", "osm_id")
    readonly_fields = (*MapAdmin.readonly_fields, "area_m2")


@admin.register(models.Tree)
class TreeAdmin(MapAdmin):
    list_display = ("__str__", "planted_on", "campaign")
    list_filter = ("campaign",)
    search_fields = ("species", "osm_id")


@admin.register(models.ResourceCentre)
class ResourceCentreAdmin(MapAdmin):
    list_display = ("name", "address", "opening_hours")
    search_fields = ("name", "address")


@admin.register(models.ContainerSite)
class ContainerSiteAdmin(MapAdmin):
    list_display = ("__str__", "containers")
    search_fields = ("address",)


@admin.register(models.Way)
class WayAdmin(MapAdmin):
    list_display = ("__str__", "kind", "osm_id")
    list_filter = ("kind",)
    search_fields = ("name", "osm_id")
