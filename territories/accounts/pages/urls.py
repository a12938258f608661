from django.contrib.auth import views as auth
from django.urls import path

from . import views

urlpatterns = [
    path("register/", views.register, name="register"),
    path("verify/", views.verify_contact, name="verify-contact"),
    path("login/", views.SignInView.as_view(), name="login"),
    # POST only (Django's LogoutView); then LOGOUT_REDIRECT_URL.
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
