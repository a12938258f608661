from django.urls import path

from . import views

urlpatterns = [
    path("planning/", views.planning_page, name="planning-page"),
    path("planning/report/", views.planning_report, name="planning-report"),
]
