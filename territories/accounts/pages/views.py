"""The site's sign-in, sign-out and password change: Django's views with our forms
and templates (territories/accounts/templates/registration/)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from geo.errors import Refused, http_status
from geo.numbers import BIGINT_MAX, whole_number
from geo.requester import Requester

from .. import services, verification
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


# --- residents: self-registration and verified contacts -----------------------------
# docs/domain.md, "Verified persons". The pages call the services; the services
# refuse (and count the limits) on their own.


@require_http_methods(["GET", "POST"])
def register(request):
    """A resident's own account: a user name and a password; signed in at once."""
    values = {"username": request.POST.get("username", "")}
    errors = {}
    if request.method == "POST":
        try:
            user = services.register_resident(
                values["username"],
                request.POST.get("password", ""),
                by=Requester.of(request),
            )
        except Refused as refused:
            errors[refused.field] = str(refused)
        else:
            auth_login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            return redirect("verify-contact")
    status = 429 if "rate" in errors else 400 if errors else 200
    context = {"values": values, "errors": errors}
    return render(request, "accounts/register.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def verify_contact(request):
    """Ask for a code (`action=request`), then send it back (`action=confirm`)."""
    errors, pending = {}, None
    values = {k: request.POST.get(k, "") for k in ("channel", "value", "code")}
    by = Requester.of(request)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm":
                pending = request.POST.get("verification", "")
                number = whole_number(pending, 1, BIGINT_MAX)
                verification.confirm(number or 0, values["code"], by=by)
                messages.success(
                    request, _("Контакт подтверждён: вы можете голосовать.")
                )
                return redirect("verify-contact")
            pending = verification.request_code(values, by=by).pk
            status = 201
        except Refused as refused:
            errors[refused.field] = str(refused)
            status = http_status(refused)
    context = {
        "verified": verification.verified(request.user).order_by("verified_at"),
        "pending": pending,
        "values": values,
        "errors": errors,
    }
    return render(request, "accounts/verify.html", context, status=status)
