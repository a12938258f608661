from django.urls import path

from . import views

urlpatterns = [
    path("contests/", views.season_list, name="contest-seasons"),
    path("contests/<int:pk>/", views.season_page, name="contest-season"),
    path("contests/<int:pk>/apply/", views.apply, name="contest-apply"),
    path("contests/<int:pk>/manage/", views.manage, name="contest-manage"),
    path("contests/<int:pk>/state/", views.change_state, name="contest-state"),
    path("contests/entries/<int:pk>/", views.entry_page, name="contest-entry"),
    path("contests/entries/<int:pk>/edit/", views.edit, name="contest-edit"),
    path("contests/entries/<int:pk>/score/", views.score_sheet, name="contest-sheet"),
    path(
        "contests/entries/<int:pk>/moderate/", views.moderate, name="contest-moderate"
    ),
]
