"""Refusals made before any view runs (docs/architecture.md, "Refusing what cannot be
served"), answered in the format of the part of the site asked: the REST API's
`{field, error}` under /api/ and /ogc/, the site's 400 page elsewhere (with the
reason)."""

import re

from django.middleware.common import CommonMiddleware
from django.shortcuts import render
from django.utils.translation import gettext as _

from .error_pages import API, OGC, OPEN311, api_error
from .numbers import BIGINT_MAX, whole_number

CHANGELIST = re.compile(r"/admin/[a-z_0-9]+/[a-z_0-9]+/")


class RefuseNulMiddleware:
    """NUL in a query string is a 400 naming the parameter.

    PostgreSQL cannot compare text with NUL in it: the admin's list filters
    (`?status__exact=%00`) and search (`?q=%00`), and any view that filters on a
    parameter, would fail inside the database with a DataError. Open311 refuses
    such a parameter itself, in the format its URL names (.json or .xml)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only a query string that may hold NUL is parsed here: parsing one with too
        # many fields raises, and the views answer that in their own formats.
        query = request.META.get("QUERY_STRING", "")
        if ("%00" in query or "\x00" in query) and not request.path_info.startswith(
            OPEN311
        ):
            field = with_nul(request.GET)
            if field is not None:
                return self.refuse(request, field)
        return self.get_response(request)

    @staticmethod
    def refuse(request, field):
        message = _("недопустимый символ NUL")
        if request.path_info.startswith((API, OGC)):
            return api_error(field, message, 400)
        reason = f"{field}: {message}"
        return render(request, "400.html", {"reason": reason}, status=400)


def with_nul(params):
    """The first parameter whose name or value holds NUL, or None."""
    for name, values in params.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return name
    return None


class AdminActionIdsMiddleware:
    """An admin action's selected rows are ids: anything else is a 400.

    Django's admin filters the changelist by the posted `_selected_action` values
    unchecked (`pk__in=`), so a value that is no id fails as a ValueError: a 500.
    Every model in our admin, Django's and procrastinate's included, has an integer
    id; a changelist is /admin/<app>/<model>/."""

    FIELD = "_selected_action"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and CHANGELIST.fullmatch(request.path_info)
            and request.user.is_staff
        ):
            ids = request.POST.getlist(self.FIELD)
            if any(whole_number(pk, 1, BIGINT_MAX) is None for pk in ids):
                reason = f"{self.FIELD}: " + _("ожидаются номера записей")
                return render(request, "400.html", {"reason": reason}, status=400)
        return self.get_response(request)


class APICommonMiddleware(CommonMiddleware):
    """Django's CommonMiddleware, except that an API address without its trailing
    slash is a JSON 404 that names the address with it.

    Django would redirect it (APPEND_SLASH): a redirected POST loses its body, and
    with DEBUG on Django raises instead of redirecting a POST. An API client is
    better told the right address than silently sent a GET to it."""

    def process_response(self, request, response):
        if (
            response.status_code == 404
            and request.path_info.startswith(API)
            and self.should_redirect_with_slash(request)
        ):
            slashed = request.path_info + "/"
            return api_error(
                "path",
                _(
                    "нет такого адреса в API: %(path)s; адреса API оканчиваются "
                    "на «/»: %(slashed)s"
                )
                % {"path": request.path_info, "slashed": slashed},
                404,
            )
        return super().process_response(request, response)
