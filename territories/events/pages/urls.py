from django.urls import path  # noqa: F401

from . import results

urlpatterns = []

# After the event: the results page (branch `records`).
urlpatterns += [
    path("events/<int:pk>/results/", results.results_page, name="event-results"),
]
