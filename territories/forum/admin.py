from django.contrib.gis import admin

from .models import (
    Follower,
    Implementation,
    ImplementationPhoto,
    Project,
    ProjectPhoto,
    Round,
)


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("title", "opens_at", "closes_at", "votes_per_person")
    exclude = ("demo_key",)


class ProjectPhotoInline(admin.TabularInline):
    model = ProjectPhoto
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.GISModelAdmin):
    list_display = ("title", "round", "state", "budget")
    list_filter = ("state", "round")
    search_fields = ("title",)
    raw_id_fields = ("author", "moderated_by")
    inlines = [ProjectPhotoInline]
    # Votes are never edited by hand: the tally is the residents'.


class ImplementationPhotoInline(admin.TabularInline):
    model = ImplementationPhoto
    extra = 0


@admin.register(Implementation)
class ImplementationAdmin(admin.GISModelAdmin):
    list_display = ("project", "status", "budget", "started_on", "done_on")
    list_filter = ("status",)
    inlines = [ImplementationPhotoInline]
    # The status and its dates change on /forum/implementation/ or through the API,
    # whose service tells the followers; an edit here would mail no one.
    readonly_fields = ("status", "started_on", "done_on")


@admin.register(Follower)
class FollowerAdmin(admin.ModelAdmin):
    list_display = ("implementation", "email", "confirmed_at")
    exclude = ("salt", "token_hash")
