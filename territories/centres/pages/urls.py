from django.urls import include, path

from . import views

# The names are fixed: e-mails point at them (..tasks).
urlpatterns = [
    # The iCalendar feeds are an edge of their own (..feeds).
    path("", include("territories.centres.feeds")),
    path("centres/", views.centre_list, name="centres-list"),
    path("centres/<int:pk>/", views.centre_page, name="centre-page"),
    path("centres/<int:pk>/closures/", views.closure_add, name="centre-closure-add"),
    path("centres/rooms/<int:pk>/", views.room_page, name="room-page"),
    path("centres/rooms/<int:pk>/book/", views.room_book, name="room-book"),
    path("centres/bookings/", views.my_bookings, name="centres-my-bookings"),
    path("centres/queue/", views.queue, name="centres-queue"),
    path(
        "centres/bookings/<int:pk>/<str:action>/",
        views.booking_action,
        name="booking-action",
    ),
    path(
        "centres/series/<int:pk>/cancel/",
        views.series_cancel,
        name="series-page-cancel",
    ),
]
