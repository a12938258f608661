from django.urls import path

from . import views

urlpatterns = [
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path(
        "coverage/candidates/",
        views.CandidatesView.as_view(),
        name="coverage-candidates",
    ),
    path("coverage/plans/", views.PlansView.as_view(), name="coverage-plans"),
    path(
        "coverage/analyses/<str:pk>/",
        views.AnalysisView.as_view(),
        name="coverage-analysis",
    ),
    # The first address of a plan's analysis, kept.
    path("coverage/plans/<str:pk>/", views.PlanView.as_view(), name="coverage-plan"),
]
