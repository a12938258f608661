"""Who is asking: the one place that reads a requester's identity from a request (the
address, a fingerprint for quotas, the long-lived browser cookie for votes)."""

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings

from .numbers import BIGINT_MAX, whole_number

VOTER_COOKIE = "report_voter"
VOTER_COOKIE_AGE = 2 * 365 * 24 * 3600


@dataclass(frozen=True)
class Requester:
    """Who is asking, as services need it to decide what they may do: the signed-in
    account (None when anonymous), a secret link's token they hold, their address."""

    account: object = None
    token: str = ""
    ip: str = ""

    @classmethod
    def of(cls, request, token=""):
        user = getattr(request, "user", None)
        account = user if user is not None and user.is_authenticated else None
        return cls(account, token or "", client_ip(request))


def client_fingerprint(ip, extra=""):
    """A salted hash of who sent a request: enough to count, never reversible."""
    salt = settings.SECRET_KEY
    return hashlib.sha256(f"{salt}|{ip}|{extra}".encode()).hexdigest()


def client_ip(request):
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client wrote. Behind a
    # reverse proxy, the proxy sets REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "")


def client_hash(request):
    return client_fingerprint(client_ip(request))


def voter_cookie(request):
    """The browser's long-lived random id: the one it sent, or a new one."""
    value = request.COOKIES.get(VOTER_COOKIE, "")
    if 16 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum():
        return value, False
    return secrets.token_urlsafe(24), True


def voter_of(request, cookie):
    """One support per account, or per browser (its cookie) at an address: the
    address's half first, so that the votes from one address can be counted."""
    user = request.user
    if user.is_authenticated:
        return f"user:{user.pk}"
    browser = client_fingerprint(client_ip(request), cookie)
    return support_address(request) + browser[:32]


def support_address(request):
    """The half of an anonymous voter that names the address; None for accounts."""
    if request.user.is_authenticated:
        return None
    return client_fingerprint(client_ip(request), "support")[:32]


def remember_voter(response, cookie):
    response.set_cookie(
        VOTER_COOKIE,
        cookie,
        max_age=VOTER_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
    )
    return response


def body_longer_than(request, limit):
    """Whether a body must be refused before it is read: uploaded files are not
    counted by DATA_UPLOAD_MAX_MEMORY_SIZE, so the declared length is checked."""
    length = whole_number(request.META.get("CONTENT_LENGTH") or "0", 0, BIGINT_MAX)
    return length is None or length > limit
