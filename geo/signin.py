"""Sign-in throttling (docs/architecture.md, "Limits"): after too many failed
attempts for one user name, or from one address, within a window, every attempt is
refused until the lockout ends, even with the right password, and the sign-in form
says until when.

The rule lives in the authentication backend, so every way of signing in that goes
through `django.contrib.auth.authenticate` obeys it (the site's sign-in page, the
admin's, the password change's old password, the API token); the forms only turn
the refusal into their message. Failures are `LimitHit` rows, and the user name's
and the address's advisory locks are held from the check to the count, so
simultaneous guesses are checked one after another: a burst gets no more guesses
than a patient attacker."""

import math
from datetime import timedelta

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from . import limits
from .requester import client_ip

# Where the backend leaves the end of a lockout for the form to show.
LOCKED_UNTIL = "signin_locked_until"
MESSAGE = _(
    "Слишком много неудачных попыток входа. Вход закрыт до %(until)s — "
    "до этого времени не пустит даже верный пароль."
)


class SignInLocked(PermissionDenied):
    """Refused without looking at the password: a lockout is running."""


def failure_limits():
    """The two counts of failures, with the window of the current settings."""
    window = timedelta(minutes=settings.SIGNIN_WINDOW_MINUTES)
    return (
        limits.Limit(
            "signin-username", "SIGNIN_FAILURES_PER_USERNAME", window, "", MESSAGE
        ),
        limits.Limit(
            "signin-address", "SIGNIN_FAILURES_PER_ADDRESS", window, "", MESSAGE
        ),
    )


def attempt_keys(request, username):
    """[(limit, key)] an attempt counts for: the user name (case does not make it
    another one) and, when there is a request, the address it came from."""
    by_username, by_address = failure_limits()
    pairs = [(by_username, str(username).casefold())]
    if request is not None:
        pairs.append((by_address, client_ip(request)))
    return pairs


def unlock(username, address=None):
    """Forget the failures of a user name (and an address): its lockout ends now.
    For staff locked out by someone else's guessing (`manage.py signin_unlock`)."""
    by_username, by_address = failure_limits()
    limits.forget(by_username, str(username).casefold())
    if address:
        limits.forget(by_address, address)


def locked_until(pairs, now):
    """When the latest running lockout of these keys ends, or None. A lockout
    starts with a failure that makes N failures within the window, N the limit's
    quota, and lasts SIGNIN_LOCKOUT_MINUTES from that failure. Attempts during a
    lockout are not counted, so it does not grow while someone keeps trying."""
    lockout = timedelta(minutes=settings.SIGNIN_LOCKOUT_MINUTES)
    ends = []
    for limit, key in pairs:
        quota = limit.quota
        if quota <= 0:
            continue  # 0 turns this count off
        recent = list(
            limits.hits(limit, key, now - limit.window - lockout)
            .order_by("-at")
            .values_list("at", flat=True)[:quota]
        )
        if len(recent) == quota and recent[0] - recent[-1] <= limit.window:
            ends.append(recent[0] + lockout)
    end = max(ends, default=None)
    return end if end is not None and end > now else None


class ThrottledModelBackend(ModelBackend):
    """Django's ModelBackend behind the sign-in throttle."""

    # Kept out of error reports, as `django.contrib.auth.authenticate` does.
    @method_decorator(sensitive_variables("password"))
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        pairs = attempt_keys(request, username)
        with transaction.atomic():
            limits.lock(*pairs)
            now = timezone.now()
            until = locked_until(pairs, now)
            if until is not None:
                _remember(request, until)
                raise SignInLocked
            user = super().authenticate(request, username, password, **kwargs)
            if user is not None:
                # A success clears the user name's failures (not the address's:
                # others behind it may still be guessing).
                limits.forget(*pairs[0])
                return user
            for limit, key in pairs:
                limits.record(limit, key)
            until = locked_until(pairs, now)
        # The failure that started a lockout already says so.
        _remember(request, until)
        return None


def _remember(request, until):
    if request is not None and until is not None:
        setattr(request, LOCKED_UNTIL, until)


def shown_time(moment):
    """The end of a lockout as a person reads it: local time, rounded up to the
    minute (a lockout until 14:35:20 is not over at 14:35)."""
    seconds = math.ceil(moment.timestamp() / 60) * 60
    rounded = moment + timedelta(seconds=seconds - moment.timestamp())
    return formats.date_format(timezone.localtime(rounded), "DATETIME_FORMAT")


class LockoutMessage:
    """For a sign-in form: a refusal during a lockout says until when, instead of
    blaming the password."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            until = getattr(self.request, LOCKED_UNTIL, None)
            if until is None:
                raise
            raise ValidationError(
                MESSAGE, code="locked", params={"until": shown_time(until)}
            ) from None


class SignInForm(LockoutMessage, AdminAuthenticationForm):
    """The admin's sign-in form (staff only), which says until when a lockout runs.
    The site's own is territories/accounts/pages/forms.py."""
