from django.urls import path

from . import views

urlpatterns = [
    # --- events and registrations (branch events) ---
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
    # --- end of events and registrations ---
]
