from django.urls import path

from . import views

urlpatterns = [
    path("indicators/", views.indicators_page, name="indicators-page"),
    path("indicators/<slug:table>.csv", views.indicators_csv, name="indicators-csv"),
]
