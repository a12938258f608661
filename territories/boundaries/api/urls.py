from django.urls import path

from . import views

urlpatterns = [
    path("territories/", views.TerritoryListView.as_view(), name="territory-list-api"),
    path(
        "territories/preview/",
        views.NewPreviewView.as_view(),
        name="territory-preview-new",
    ),
    path(
        "territories/<int:pk>/",
        views.TerritoryDetailView.as_view(),
        name="territory-detail",
    ),
    path(
        "territories/<int:pk>/preview/",
        views.PreviewView.as_view(),
        name="territory-preview",
    ),
    path(
        "territories/<int:pk>/draft/", views.DraftView.as_view(), name="territory-draft"
    ),
    path(
        "territories/<int:pk>/submit/",
        views.SubmitView.as_view(),
        name="territory-submit",
    ),
    path(
        "territories/<int:pk>/approve/",
        views.ApproveView.as_view(),
        name="territory-approve",
    ),
    path(
        "territories/<int:pk>/return/",
        views.ReturnView.as_view(),
        name="territory-return",
    ),
    path(
        "territories/<int:pk>/versions/",
        views.VersionListView.as_view(),
        name="territory-versions",
    ),
    path(
        "territories/<int:pk>/versions/compare/",
        views.CompareView.as_view(),
        name="territory-compare",
    ),
    path(
        "territories/<int:pk>/versions/<str:number>/",
        views.VersionDetailView.as_view(),
        name="territory-version",
    ),
    path(
        "territories/<int:pk>/versions/<str:number>/restore/",
        views.RestoreView.as_view(),
        name="territory-restore",
    ),
    path(
        "territories/<int:pk>/boundary.<str:fmt>",
        views.ExportView.as_view(),
        name="territory-export",
    ),
]
