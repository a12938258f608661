"""What the site answers when a request fails (docs/architecture.md, "Serving"):
never a traceback. Pages get the site's error templates in the request's language;
under the APIs the answer stays machine-readable: the REST API's `{field, error}`
(geo/api/serializers.py) and Open311's error list, as their own views answer."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

API = "/api/"
OPEN311 = "/open311/"
OGC = "/ogc/"


def page_not_found(request, exception):
    path = request.path_info
    if path.startswith(API):
        return api_error("path", _("нет такого адреса в API: %s") % path, 404)
    if path.startswith(OPEN311):
        return open311_error(_("нет такого ресурса Open311: %s") % path, 404)
    if path.startswith(OGC):
        return api_error("path", _("нет такого адреса в OGC API: %s") % path, 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    path = request.path_info
    message = _("внутренняя ошибка сервера; попробуйте ещё раз через несколько минут")
    if path.startswith(API):
        # No field of the request is at fault: the server is.
        return api_error("server", message, 500)
    if path.startswith(OPEN311):
        return open311_error(message, 500)
    return defaults.server_error(request)


def api_error(field, message, status):
    return _json({"field": field, "error": message}, status)


def open311_error(message, status):
    """GeoReport v2's error list, in JSON: the format most of its clients ask for
    (an Open311 view's own errors follow the request's .json or .xml)."""
    return _json([{"code": status, "description": message}], status)


def _json(data, status):
    return JsonResponse(
        data, status=status, safe=False, json_dumps_params={"ensure_ascii": False}
    )
