from django.urls import path

from . import views

urlpatterns = [
    path("forum/rounds/", views.RoundListView.as_view(), name="forum-rounds-api"),
    path(
        "forum/rounds/<str:pk>/winners/",
        views.WinnersView.as_view(),
        name="forum-winners-api",
    ),
    path("forum/projects/", views.ProjectListView.as_view(), name="forum-projects-api"),
    path(
        "forum/projects/<str:pk>/",
        views.ProjectDetailView.as_view(),
        name="forum-project-api",
    ),
    path(
        "forum/projects/<str:pk>/moderation/",
        views.ModerationView.as_view(),
        name="forum-moderation-api",
    ),
    path(
        "forum/projects/<str:pk>/photos/",
        views.ProjectPhotosView.as_view(),
        name="forum-project-photos-api",
    ),
    path(
        "forum/implementation/<str:pk>/photos/",
        views.ImplementationPhotosView.as_view(),
        name="forum-implementation-photos-api",
    ),
    path(
        "forum/projects/<str:pk>/vote/",
        views.VoteView.as_view(),
        name="forum-vote-api",
    ),
    path(
        "forum/implementation/",
        views.ImplementationListView.as_view(),
        name="forum-implementation-api",
    ),
    path(
        "forum/implementation/<str:pk>/",
        views.ImplementationDetailView.as_view(),
        name="forum-implementation-detail-api",
    ),
    path(
        "forum/implementation/<str:pk>/follow/",
        views.FollowView.as_view(),
        name="forum-follow-api",
    ),
]
