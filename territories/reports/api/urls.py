from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.ReportListView.as_view(), name="report-list"),
    path("reports/nearby/", views.NearbyView.as_view(), name="report-nearby"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report-detail"),
    path(
        "reports/<int:pk>/support/", views.SupportView.as_view(), name="report-support"
    ),
    path("reports/<int:pk>/reopen/", views.ReopenView.as_view(), name="report-reopen"),
    path(
        "reports/<int:pk>/forget-me/",
        views.ForgetMeView.as_view(),
        name="report-forget-me",
    ),
    path("reports/<int:pk>/follow/", views.FollowView.as_view(), name="report-follow"),
]
