from django.urls import path

from . import views

urlpatterns = [
    path("centres/", views.CentreListView.as_view(), name="centres-api"),
    path("centres/<int:pk>/", views.CentreDetailView.as_view(), name="centre-api"),
    path(
        "centres/<int:pk>/closures/",
        views.CentreClosuresView.as_view(),
        name="centre-closures-api",
    ),
    path("rooms/", views.RoomListView.as_view(), name="rooms-api"),
    path("rooms/<int:pk>/busy/", views.RoomBusyView.as_view(), name="room-busy"),
    path("bookings/", views.BookingListView.as_view(), name="bookings-api"),
    path("bookings/<int:pk>/", views.BookingDetailView.as_view(), name="booking-api"),
    path(
        "bookings/<int:pk>/accept/", views.AcceptView.as_view(), name="booking-accept"
    ),
    path(
        "bookings/<int:pk>/decline/",
        views.DeclineView.as_view(),
        name="booking-decline",
    ),
    path(
        "bookings/<int:pk>/cancel/", views.CancelView.as_view(), name="booking-cancel"
    ),
    path(
        "booking-series/<int:pk>/cancel/",
        views.SeriesCancelView.as_view(),
        name="booking-series-cancel",
    ),
]
