"""Residents' reports API: submit, list, detail, nearby, support, reopen, forget-me,
follow. Every refusal is JSON {"field": ..., "error": ...} with a 4xx status.

Authentication is a script's token (`Authorization: Token <key>`), else the session
(geo/api/auth.py). No write is taken from another site's page, signed in or not
(geo.api.csrf, docs/security.md "Cross-site writes"): a browser's Origin or Referer
must name this site; our pages also send the CSRF token, which signed-in sessions
must. API clients without a browser send neither header and pass."""

import re

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from geo import paging
from geo import requester as clients
from geo.api import parsers
from geo.api.auth import AUTHENTICATION, UNAUTHENTICATED, unauthenticated
from geo.api.serializers import ErrorSerializer, error
from geo.errors import QueryError, RateLimited, Refused, http_status
from geo.requester import Requester, body_longer_than
from geo.text import storable_text

from .. import filters
from .. import services as service
from ..links import report_path
from ..models import ProblemReport, StatusCount
from ..services.photos import max_request_bytes
from ..services.submission import ReportSubmission
from .serializers import (
    CreatedReportSerializer,
    FollowResultSerializer,
    FollowSerializer,
    NearbyReportSerializer,
    ReportDetailSerializer,
    ReporterActionSerializer,
    ReportPageSerializer,
    ReportSerializer,
    SupportResultSerializer,
)

ANSWER_FIELD = re.compile(r"^answers\[([^\]]{1,64})\]$")
NEARBY_LIMIT = 10
PAGING = {
    "cursor": "Курсор страницы из ссылок next и previous; не составляйте его сами.",
    "page": (
        f"Номер страницы, не больше {paging.MAX_KEYSET_PAGE}, для старых ссылок; "
        "дальше — по ссылке next."
    ),
    "page_size": f"Сообщений на странице, не больше {paging.MAX_PAGE_SIZE}.",
}
ERRORS = {code: ErrorSerializer for code in (400, 403, 404, 413, 429)}


class ReportsAPIView(APIView):
    # TokenAuthentication, then SameSiteSessionAuthentication (geo/api/auth.py).
    authentication_classes = AUTHENTICATION
    parser_classes = [MultiPartParser, FormParser, parsers.BoundedJSONParser]

    def handle_exception(self, exc):
        if isinstance(exc, RateLimited):
            response = error(exc.field, exc, 429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        if isinstance(exc, Refused):
            response = error(exc.field, exc, http_status(exc))
            if isinstance(exc, RateLimited):
                # When to try again (RFC 9110, 10.2.3), in whole seconds.
                response["Retry-After"] = str(exc.retry_after)
            return response
        if isinstance(exc, RequestDataTooBig):
            return error("photos", _too_big_message(), 413)
        if isinstance(exc, TooManyFilesSent):
            return error("photos", _("слишком много файлов"), 400)
        if isinstance(exc, TooManyFieldsSent):
            return error("answers", _("слишком много полей"), 400)
        if isinstance(exc, Http404):
            return error("id", _("сообщение не найдено"), 404)
        if isinstance(exc, UNAUTHENTICATED):
            return unauthenticated(self, exc)
        if isinstance(exc, exceptions.APIException):
            field = {403: "csrf", 405: "method", 415: "body"}.get(exc.status_code)
            return error(field or "body", exc.detail, exc.status_code)
        return super().handle_exception(exc)

    def initial(self, request, *args, **kwargs):
        # PostgreSQL cannot compare text with NUL in it: refuse before any query.
        for name, value in request.query_params.lists():
            if any("\x00" in item for item in value):
                raise QueryError(name, _("недопустимый символ NUL"))
        super().initial(request, *args, **kwargs)

    def report(self, pk, queryset=None):
        queryset = queryset if queryset is not None else public_reports()
        report = queryset.filter(pk=pk).first()
        if report is None:
            raise Http404
        return report

    def detail(self, pk, status_code=200):
        report = self.report(pk, public_reports().with_timeline())
        data = ReportDetailSerializer(report, context={"request": self.request}).data
        return Response(data, status=status_code)


def public_reports():
    return ProblemReport.objects.public().for_display()


def _with_default_sort(params):
    if params.get("sort"):
        return params
    params = params.copy()
    params["sort"] = "-created_at"
    return params


def _count(params, queryset):
    """(count, capped): from the status counters when only statuses narrow the list,
    else counted up to paging.COUNT_CAP (docs/architecture.md, "Long lists: keyset
    pages and counts")."""
    statuses = filters.chosen_statuses(params, ProblemReport.Status.public())
    if statuses is not None:
        return StatusCount.objects.total(statuses), False
    return paging.capped_count(queryset)


def degrees(bound):
    """The schema of a coordinate that `services.parse_point` takes."""
    return {"type": "number", "minimum": -bound, "maximum": bound}


def _too_big_message():
    return _("запрос слишком большой: не больше %(n)d фотографий по %(mb)d МБ") % {
        "n": settings.REPORT_MAX_PHOTOS,
        "mb": settings.REPORT_MAX_PHOTO_BYTES // (1024 * 1024),
    }


class ReportListView(ReportsAPIView):
    @extend_schema(
        operation_id="reports_list",
        summary="Сообщения о проблемах / problem reports",
        # Each parameter's schema comes from the code that checks it.
        parameters=[
            *[
                OpenApiParameter(name, schema, description=filters.parameters()[name])
                for name, schema in filters.parameter_schemas().items()
            ],
            *[
                OpenApiParameter(name, schema, description=PAGING[name])
                for name, schema in paging.keyset_schemas().items()
            ],
        ],
        responses={200: ReportPageSerializer, 400: ErrorSerializer},
    )
    def get(self, request):
        params = _with_default_sort(request.query_params)
        queryset, _territories = filters.filter_reports(params, public_reports())
        page = paging.keyset_page(queryset, params, paging.page_size(params))
        count, capped = _count(params, queryset)
        context = {"request": request}
        return Response(
            {
                "count": count,
                "count_capped": capped,
                "next": self._link(page.next_cursor),
                "previous": self._link(page.previous_cursor),
                "results": ReportSerializer(page.rows, many=True, context=context).data,
            }
        )

    def _link(self, cursor):
        if cursor is None:
            return None
        params = self.request.query_params.copy()
        params.pop("page", None)
        params["cursor"] = cursor
        url = f"{reverse('report-list')}?{params.urlencode()}"
        return self.request.build_absolute_uri(url)

    @extend_schema(
        summary="Сообщить о проблеме / submit a report",
        description=(
            "multipart/form-data. Ответ содержит manage_token и manage_url — они "
            "показываются один раз. Отказ: 4xx {field, error}; 429 — превышена квота."
        ),
        request={
            "multipart/form-data": ReportSubmission,
            "application/json": ReportSubmission,
        },
        responses={201: CreatedReportSerializer, **ERRORS},
    )
    def post(self, request):
        client_hash = clients.client_hash(request)
        # The quota and the refusal budget before the body is read; whatever is
        # refused from here on counts (docs/architecture.md, "Cheap checks first").
        with service.submission_attempt(client_hash, user=request.user):
            if body_longer_than(request, max_request_bytes()):
                raise RequestDataTooBig
            report, token = service.submit_report(
                _submission(_body(request)),
                _photos(request),
                source=_source(request),
                user=request.user,
                client_hash=client_hash,
            )
        response = self.detail(report.pk, status.HTTP_201_CREATED)
        manage = f"{report_path(report)}?token={token}"
        response.data["manage_token"] = token
        response.data["manage_url"] = request.build_absolute_uri(manage)
        return response


def _submission(data):
    fields = ("lat", "lon", "category", "description", "name", "email", "phone")
    submission = {name: data.get(name) for name in fields}
    submission["show_name"] = data.get("show_name")
    submission["answers"] = _answers(data)
    return submission


def _answers(data):
    """`answers` as a JSON object (or its text), or `answers[code]` form fields."""
    given = data.get("answers")
    if isinstance(given, str) and given.strip():
        # The same size and depth limits as a JSON body (geo/api/parsers.py).
        given = parsers.loads(given, "answers")
    if given not in (None, ""):
        return given
    answers = {}
    for key in data:
        match = ANSWER_FIELD.match(key)
        if match:
            values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
            answers[match[1]] = values if len(values) > 1 else values[0]
    return answers


def _photos(request):
    files = request.FILES
    return [*files.getlist("photos"), *files.getlist("photos[]")]


def _source(request):
    """Our own pages post from the same origin; everything else is an API client."""
    same_site = request.headers.get("Sec-Fetch-Site") == "same-origin"
    return ProblemReport.Source.WEB if same_site else ProblemReport.Source.API


class ReportDetailView(ReportsAPIView):
    @extend_schema(
        summary="Сообщение и его хроника / one report with its timeline",
        responses={200: ReportDetailSerializer, 404: ErrorSerializer},
    )
    def get(self, request, pk):
        return self.detail(pk)


class NearbyView(ReportsAPIView):
    @extend_schema(
        summary="Открытые сообщения рядом / open reports nearby («меня тоже»)",
        description="Той же категории в радиусе 250 м, ближние сначала.",
        parameters=[
            OpenApiParameter("lat", degrees(90), required=True),
            OpenApiParameter("lon", degrees(180), required=True),
            # Stripped, then required: at least one character that is not a space.
            OpenApiParameter(
                "category",
                {"type": "string", "minLength": 1, "maxLength": 64, "pattern": r"\S"},
                required=True,
            ),
        ],
        responses={200: NearbyReportSerializer(many=True), 400: ErrorSerializer},
    )
    def get(self, request):
        params = request.query_params
        lat, lon = service.parse_point(params.get("lat"), params.get("lon"))
        category = params.get("category", "").strip()
        if not category:
            raise Refused("category", _("укажите категорию"))
        found = service.nearby_active(lat, lon, category)
        # Only what an entry shows: not the point, which GEOS would parse per row.
        shown = found.only("description", "status", "support_count")
        rows = shown[:NEARBY_LIMIT]
        return Response([self._entry(report) for report in rows])

    def _entry(self, report):
        text = report.description
        return {
            "id": report.pk,
            "description": text if len(text) <= 140 else text[:139] + "…",
            "status": report.status,
            "status_label": report.get_status_display(),
            "distance_m": round(report.distance_m.m, 1),
            "support_count": report.support_count,
            "url": self.request.build_absolute_uri(report_path(report)),
        }


class SupportView(ReportsAPIView):
    @extend_schema(
        summary="«Меня тоже касается» / me too",
        description=(
            "Один голос на учётную запись или на браузер (cookie report_voter) с "
            "одного адреса."
        ),
        request=None,
        responses={
            200: SupportResultSerializer,
            400: ErrorSerializer,
            404: ErrorSerializer,
            429: ErrorSerializer,
        },
    )
    def post(self, request, pk):
        report = self.report(pk)
        cookie, new = clients.voter_cookie(request)
        user = request.user if request.user.is_authenticated else None
        counted = service.add_support(
            report,
            clients.voter_of(request, cookie),
            user,
            address=clients.support_address(request),
        )
        response = Response({"support_count": report.support_count, "counted": counted})
        return clients.remember_voter(response, cookie) if new else response


class ReopenView(ReportsAPIView):
    @extend_schema(
        summary="Вновь открыть решённое / reopen a fixed report",
        description=(
            "Заявитель (manage_token или учётная запись), председатель ТОС этой "
            "территории или специалист."
        ),
        request=ReporterActionSerializer,
        responses={200: ReportDetailSerializer, **ERRORS},
    )
    def post(self, request, pk):
        report = self.report(pk)
        comment = str(_body(request).get("comment") or "")
        service.reopen(report, by=_requester(request), comment=comment)
        return self.detail(pk)


class ForgetMeView(ReportsAPIView):
    @extend_schema(
        summary="Удалить мои контакты / erase my name and contacts",
        request=ReporterActionSerializer,
        responses={200: ReportDetailSerializer, **ERRORS},
    )
    def post(self, request, pk):
        report = self.report(pk)
        service.remove_personal_data(report, by=_requester(request))
        return self.detail(pk)


def _requester(request):
    return Requester.of(request, token=_token(request))


def _token(request):
    token = _body(request).get("token") or request.headers.get("X-Manage-Token")
    return storable_text("token", token)


def _body(request):
    """The request's fields; a JSON body must be an object."""
    if not isinstance(request.data, dict):
        raise Refused("body", _("ожидается JSON-объект или поля формы"))
    return request.data


class FollowView(ReportsAPIView):
    @extend_schema(
        summary="Следить за сообщением по e-mail / follow by e-mail",
        description=(
            "На адрес приходит письмо с подтверждением. 429 с Retry-After: слишком "
            "много подписок от клиента или писем на этот адрес за час."
        ),
        request=FollowSerializer,
        responses={200: FollowResultSerializer, **ERRORS},
    )
    def post(self, request, pk):
        report = self.report(pk)
        email = str(_body(request).get("email") or "")
        service.follow(report, email, by=Requester.of(request))
        # The same answer whether or not the address already followed: nothing leaks.
        return Response({"following": True})
