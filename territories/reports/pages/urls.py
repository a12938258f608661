from django.urls import path

from . import views

urlpatterns = [
    path("reports/<int:pk>/", views.report_page, name="report-page"),
    path("reports/<int:pk>/reopen/", views.reopen, name="report-page-reopen"),
    path("reports/<int:pk>/forget-me/", views.forget_me, name="report-page-forget-me"),
    path("reports/<int:pk>/follow/", views.follow, name="report-page-follow"),
    path("reports/<int:pk>/support/", views.support, name="report-page-support"),
    path("reports/photos/<int:pk>/", views.photo, name="report-photo"),
    path(
        "reports/follow/confirm/<slug:token>/",
        views.confirm_follow,
        name="report-follow-confirm",
    ),
    path(
        "reports/unsubscribe/<slug:token>/",
        views.unsubscribe,
        name="report-unsubscribe",
    ),
]
