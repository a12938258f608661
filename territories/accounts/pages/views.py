"""The site's sign-in, sign-out and password change: Django's views with our forms
and templates (territories/accounts/templates/registration/)."""

from django.contrib.auth import views as auth
from django.urls import reverse_lazy

from .forms import SiteSignInForm, ThrottledPasswordChangeForm


class SignInView(auth.LoginView):
    # `next` is followed only to this site (Django's url_has_allowed_host_and_scheme).
    authentication_form = SiteSignInForm
    template_name = "registration/login.html"


class PasswordChangeView(auth.PasswordChangeView):
    # Not Django's default template names: the admin's templates of those names
    # would be found first (django.contrib.admin comes first in INSTALLED_APPS).
    form_class = ThrottledPasswordChangeForm
    template_name = "registration/account_password_change.html"
    success_url = reverse_lazy("password_change_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordChangeDoneView(auth.PasswordChangeDoneView):
    template_name = "registration/account_password_changed.html"
