from django.urls import path

from . import views

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="auth-token"),
    path("auth/me/", views.AccountView.as_view(), name="auth-me"),
    path(
        "accounts/contacts/",
        views.VerificationsView.as_view(),
        name="account-contacts-api",
    ),
    path(
        "accounts/contacts/<str:pk>/confirm/",
        views.VerificationConfirmView.as_view(),
        name="account-contact-confirm-api",
    ),
]
