from django.urls import path  # noqa: F401

from . import records

urlpatterns = []

# After the event: results, photos, trees; the indicators (branch `records`).
urlpatterns += [
    path(
        "events/<int:pk>/results/",
        records.ResultsView.as_view(),
        name="event-results-api",
    ),
    path(
        "events/<int:pk>/photos/",
        records.PhotosView.as_view(),
        name="event-photos-api",
    ),
    path("events/<int:pk>/trees/", records.TreesView.as_view(), name="event-trees-api"),
    path(
        "indicators/events/",
        records.IndicatorsView.as_view(),
        name="event-indicators",
    ),
]
