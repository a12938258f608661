from django.urls import path

from . import records, views

urlpatterns = []

# --- events and registrations (branch events) ---
urlpatterns += [
    path("events/", views.EventListView.as_view(), name="event-list-api"),
    path("events/kinds/", views.KindsView.as_view(), name="event-kinds-api"),
    path("events/<str:pk>/", views.EventDetailView.as_view(), name="event-detail-api"),
    path(
        "events/<str:pk>/cancel/",
        views.EventCancelView.as_view(),
        name="event-cancel-api",
    ),
    path(
        "events/<str:pk>/registrations/",
        views.RegistrationsView.as_view(),
        name="event-registrations-api",
    ),
    path(
        "registrations/cancel/",
        views.RegistrationCancelView.as_view(),
        name="registration-cancel-api",
    ),
]
# --- end of events and registrations ---

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
