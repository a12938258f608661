"""GeoReport v2 endpoints. Every resource comes as `.json` or `.xml`; every refusal
is the spec's error list with the HTTP status as its code."""

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from geo.requester import body_longer_than, client_ip

from ..models import Category
from ..services.photos import max_request_bytes
from . import queries, serializers
from .formats import Open311Error, render, render_error
from .intake import authorised_key, create_request

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# Bump when the service list or the definitions change in a way clients must notice.
CHANGESET = getattr(settings, "OPEN311_CHANGESET", "2026-11-26T00:00:00+08:00")


class Open311View(View):
    """Answers in the format the URL names; an Open311Error becomes the spec's
    error list. `jurisdiction_id` is accepted and ignored: one jurisdiction here."""

    def dispatch(self, request, *args, fmt="json", **kwargs):
        self.fmt = fmt
        try:
            return super().dispatch(request, *args, **kwargs)
        except Open311Error as error:
            return render_error(error, fmt)
        except RequestDataTooBig:
            return render_error(Open311Error(413, _too_big()), fmt)
        except (TooManyFieldsSent, TooManyFilesSent):
            return render_error(Open311Error(400, _("слишком много полей")), fmt)

    def http_method_not_allowed(self, request, *args, **kwargs):
        allowed = ", ".join(m.upper() for m in self._allowed_methods())
        response = render_error(
            Open311Error(
                405,
                _("метод %(m)s не поддерживается; можно: %(a)s")
                % {"m": request.method, "a": allowed},
            ),
            self.fmt,
        )
        response["Allow"] = allowed
        return response

    def answer(self, data, root, status=200):
        return render(data, self.fmt, root, status)


def _too_big():
    return _(
        "media: запрос слишком большой; не больше %(n)d фотографий по %(mb)d МБ"
    ) % {
        "n": settings.REPORT_MAX_PHOTOS,
        "mb": settings.REPORT_MAX_PHOTO_BYTES // (1024 * 1024),
    }


class DiscoveryView(Open311View):
    def get(self, request):
        endpoint = request.build_absolute_uri(reverse("open311:root")).rstrip("/")
        return self.answer(
            {
                "changeset": CHANGESET,
                "contact": _(
                    "Портал «Дружные соседи – дружный город!», Ангарский городской "
                    "округ: вопросы об API — через центр поддержки (МКУ «ЦПОИ»)."
                ),
                "key_service": _(
                    "Ключ api_key для отправки сообщений выдаёт центр поддержки "
                    "(МКУ «ЦПОИ»); читать данные можно без ключа."
                ),
                "endpoints": [
                    {
                        "specification": SPECIFICATION,
                        "url": endpoint,
                        "changeset": CHANGESET,
                        "type": "test" if settings.DEBUG else "production",
                        "formats": ["text/xml", "application/json"],
                    }
                ],
            },
            "discovery",
        )


class ServiceListView(Open311View):
    def get(self, request):
        categories = Category.objects.filter(active=True).select_related("responsible")
        return self.answer([serializers.service(c) for c in categories], "services")


class ServiceDefinitionView(Open311View):
    def get(self, request, code):
        category = Category.objects.filter(code=code, active=True).first()
        if category is None:
            raise Open311Error(404, _("service_code: нет такой услуги «%s»") % code)
        return self.answer(serializers.definition(category), "service_definition")


@method_decorator(csrf_exempt, name="dispatch")
class RequestsView(Open311View):
    def get(self, request):
        page = queries.search(request.GET)
        response = self.answer(
            serializers.service_requests(page.rows, request),
            "service_requests",
        )
        if page.next_cursor:
            # The spec has no paging; the next page is a Link (RFC 8288), so
            # clients that ignore it still get the spec's first 1000 requests.
            params = request.GET.copy()
            params["cursor"] = page.next_cursor
            response["Link"] = (
                f'<{request.build_absolute_uri("?" + params.urlencode())}>; rel="next"'
            )
        return response

    def post(self, request):
        if body_longer_than(request, max_request_bytes()):
            raise RequestDataTooBig
        key = authorised_key(request.POST)
        report, notice = create_request(
            request.POST, request.FILES, key=key, ip=client_ip(request)
        )
        return self.answer(
            [{"service_request_id": str(report.pk), "service_notice": notice}],
            "service_requests",
        )


class RequestView(Open311View):
    def get(self, request, pk):
        report = queries.as_rows(queries.public_requests().filter(pk=pk)).first()
        if report is None:
            raise Open311Error(404, _("service_request_id: нет сообщения №%s") % pk)
        return self.answer(
            serializers.service_requests([report], request), "service_requests"
        )


class NotFoundView(Open311View):
    """Anything else under /open311/v2/: a 404 in the spec's format."""

    def dispatch(self, request, *args, path="", **kwargs):
        fmt = "xml" if path.endswith(".xml") else "json"
        return render_error(
            Open311Error(
                404,
                _(
                    "нет такого ресурса; есть discovery, services, services/<код>, "
                    "requests и requests/<номер>, с окончанием .json или .xml"
                ),
            ),
            fmt,
        )
