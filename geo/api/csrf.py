"""Cross-site writes refused on the JSON API, for anonymous callers too
(docs/security.md, "Cross-site writes").

DRF's SessionAuthentication checks CSRF only for a signed-in session, so an anonymous
«me too», a follow or a new report could be posted from any other site's page, by
its visitors' browsers, from their addresses. Browsers name the page that sent a
write: every cross-origin POST carries `Origin` (`null` when the page hides itself),
and one without it still carries `Referer` unless told not to. So a write is refused
when either names another site; a request with neither comes from no page of a
browser, i.e. from an API client, and passes, unless it sends a CSRF token that is
wrong. Open311 is the exception: its writes need an api_key (its views are not DRF).
"""

import copy
from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware, RejectRequest
from django.utils.http import is_same_domain
from django.utils.translation import gettext as _
from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS


class SameSiteSessionAuthentication(SessionAuthentication):
    """The session, as DRF reads it (with Django's full CSRF check once signed in),
    and for everyone: no write sent by another site's page."""

    def authenticate(self, request):
        if request.method not in SAFE_METHODS:
            reason = cross_site_refusal(request._request)
            if reason:
                raise exceptions.PermissionDenied(reason)
        return super().authenticate(request)


def cross_site_refusal(request):
    """Why a write must be refused as sent from another site, or None."""
    origin = request.headers.get("Origin")
    if origin is not None:
        if trusted_origin(origin, request):
            return None
        return _("запись с другого сайта отклонена (Origin: %(origin)s)") % {
            "origin": origin[:200]
        }
    referer = request.headers.get("Referer")
    if referer is not None:
        if trusted_origin(referer, request):
            return None
        return _("запись с другого сайта отклонена (Referer: %(referer)s)") % {
            "referer": _origin_of(referer)[:200] or "?"
        }
    if settings.CSRF_HEADER_NAME in request.META and not _token_matches(request):
        return _("неверный CSRF-токен: обновите страницу и повторите")
    return None


def trusted_origin(url, request):
    """Whether `url` (an Origin, or a Referer's page) is this site: the request's
    own scheme and host, or one of CSRF_TRUSTED_ORIGINS (with `*.` subdomains),
    as Django's CSRF middleware judges the HTML forms' Origin."""
    origin = _origin_of(url)
    if not origin:
        return False
    if origin == f"{request.scheme}://{request.get_host()}".lower():
        return True
    scheme, netloc = origin.split("://", 1)
    for trusted in map(str.lower, settings.CSRF_TRUSTED_ORIGINS):
        if trusted == origin:
            return True
        trusted_scheme, _sep, trusted_host = trusted.partition("://")
        if trusted_scheme == scheme and trusted_host.startswith("*"):
            if is_same_domain(netloc, trusted_host[1:]):
                return True
    return False


def _origin_of(url):
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower()


def _token_matches(request):
    """Django's own comparison of the X-CSRFToken header with the CSRF cookie
    (CsrfViewMiddleware._check_token, the check the HTML forms get). It would read
    a form field first for a POST: the copy says PUT so that the body is not read
    here, before the view's size checks; an API call sends the header anyway."""
    headers_only = copy.copy(request)
    headers_only.method = "PUT"
    try:
        CsrfViewMiddleware(lambda request: None)._check_token(headers_only)
    except RejectRequest:
        return False
    return True


class SameSiteSessionScheme(SessionScheme):
    """In the OpenAPI schema it is what it is: the session cookie."""

    target_class = SameSiteSessionAuthentication
