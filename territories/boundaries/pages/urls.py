from django.urls import path

from . import views

# The names are fixed: the API's `links` and the e-mails point at them (..links).
urlpatterns = [
    path("territories/", views.territory_list, name="territory-list"),
    path("territories/new/", views.territory_propose, name="territory-propose"),
    path("territories/<int:pk>/", views.territory_page, name="territory-page"),
    path(
        "territories/<int:pk>/history/",
        views.territory_history,
        name="territory-history",
    ),
]
