"""The site's sign-in and password change forms: both check a password through the
sign-in throttle (geo/signin.py; docs/architecture.md, "Limits")."""

from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError

from geo.signin import LOCKED_UNTIL, MESSAGE, LockoutMessage, shown_time


class SiteSignInForm(LockoutMessage, AuthenticationForm):
    """Any active account signs in here (the admin's form takes staff only)."""


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """The old password is checked as a sign-in is: wrong guesses count towards
    the account's lockout, so a session left open cannot be used to try passwords
    without end."""

    def __init__(self, user, *args, request=None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        user = authenticate(
            self.request, username=self.user.get_username(), password=old
        )
        if user is not None and user.pk == self.user.pk:
            return old
        until = getattr(self.request, LOCKED_UNTIL, None)
        if until is not None:
            raise ValidationError(
                MESSAGE, code="locked", params={"until": shown_time(until)}
            )
        raise ValidationError(
            self.error_messages["password_incorrect"], code="password_incorrect"
        )
