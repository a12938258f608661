"""The contests in the admin: contests, seasons with their nominations, criteria and
jury. States change through the services (the manage page), not here: the state
field is read-only, so every step is logged and takes the lock."""

from django.contrib import admin

from .models import Contest, Criterion, Entry, Juror, Nomination, Season


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "traditional"]
    prepopulated_fields = {"code": ["name"]}


class NominationInline(admin.TabularInline):
    model = Nomination
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class JurorInline(admin.TabularInline):
    model = Juror
    extra = 0
    raw_id_fields = ["user", "home_territory", "home_council"]


@admin.register(Season)
class SeasonAdmin(admin.ModelAdmin):
    list_display = ["contest", "year", "state", "opens_at", "closes_at"]
    list_filter = ["state", "contest"]
    readonly_fields = ["state"]
    inlines = [NominationInline, CriterionInline, JurorInline]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["title", "season", "nomination", "applicant_kind", "state"]
    list_filter = ["state", "season"]
    readonly_fields = ["state", "rejection_reason", "created_at", "edited_at"]
    raw_id_fields = [
        "applicant",
        "applicant_council",
        "applicant_territory",
        "building",
        "yard",
        "territory",
    ]
