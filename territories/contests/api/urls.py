from django.urls import path

from . import views

urlpatterns = [
    path("contests/", views.SeasonListView.as_view(), name="contest-seasons-api"),
    path(
        "contests/<int:pk>/",
        views.SeasonDetailView.as_view(),
        name="contest-season-api",
    ),
    path(
        "contests/<int:pk>/entries/",
        views.SeasonEntriesView.as_view(),
        name="contest-entries-api",
    ),
    path(
        "contests/<int:pk>/state/", views.StateView.as_view(), name="contest-state-api"
    ),
    path(
        "contests/entries/<int:pk>/",
        views.EntryDetailView.as_view(),
        name="contest-entry-api",
    ),
    path(
        "contests/entries/<int:pk>/photos/",
        views.EntryPhotosView.as_view(),
        name="contest-entry-photos-api",
    ),
    path(
        "contests/entries/<int:pk>/moderation/",
        views.ModerationView.as_view(),
        name="contest-entry-moderation-api",
    ),
    path(
        "contests/entries/<int:pk>/sheet/",
        views.SheetView.as_view(),
        name="contest-entry-sheet-api",
    ),
]
