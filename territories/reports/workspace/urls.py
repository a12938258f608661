from django.urls import path

from . import views

app_name = "workspace"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("reports/<int:pk>/", views.report_card, name="report"),
    path("agenda/", views.agenda, name="agenda"),
]
