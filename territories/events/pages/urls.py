from django.urls import path

from . import results, views

urlpatterns = []

# --- events and registrations (branch events) ---
urlpatterns += [
    path("events/", views.calendar, name="event-calendar"),
    path("events/new/", views.event_new, name="event-new"),
    path("events/<int:pk>/", views.event_page, name="event-page"),
    path("events/<int:pk>/edit/", views.event_edit, name="event-edit"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event-cancel"),
    path("events/<int:pk>/register/", views.event_register, name="event-register"),
    path(
        "events/<int:pk>/registrations/",
        views.event_registrations,
        name="event-registrations",
    ),
    path(
        "events/registrations/<str:token>/cancel/",
        views.registration_cancel,
        name="registration-cancel",
    ),
]
# --- end of events and registrations ---

# After the event: the results page (branch `records`).
urlpatterns += [
    path("events/<int:pk>/results/", results.results_page, name="event-results"),
]
