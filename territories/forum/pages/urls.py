from django.urls import path

from . import views

urlpatterns = [
    path("forum/", views.forum_index, name="forum"),
    path("forum/projects/new/", views.project_new, name="forum-project-new"),
    path("forum/projects/<int:pk>/", views.project_page, name="forum-project"),
    path(
        "forum/projects/<int:pk>/vote/", views.project_vote, name="forum-project-vote"
    ),
    path("forum/moderation/", views.moderation, name="forum-moderation"),
    path(
        "forum/rounds/<int:pk>/winners/",
        views.choose_winners,
        name="forum-choose-winners",
    ),
    path(
        "forum/implementation/<int:pk>/status/",
        views.implementation_status,
        name="forum-implementation-status",
    ),
    path(
        "forum/implementation/", views.implementation_list, name="forum-implementation"
    ),
    path(
        "forum/implementation/<int:pk>/follow/",
        views.follow,
        name="forum-follow",
    ),
    path(
        "forum/follow/<str:token>/",
        views.follow_confirm,
        name="forum-follow-confirm",
    ),
    path("forum/unfollow/<str:token>/", views.unfollow, name="forum-unfollow"),
]
