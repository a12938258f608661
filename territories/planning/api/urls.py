from django.urls import path

from . import views

urlpatterns = [path("coverage/", views.CoverageView.as_view(), name="coverage")]
