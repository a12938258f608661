"""Coverage API (docs/domain.md, "Coverage of grounds"): public, read-only. The
figures are the services'; this edge reads the parameters and chooses the format:
JSON (default), GeoJSON of the buildings, CSV of the territories' table."""

import csv
import io

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from geo.api.parsers import BoundedJSONParser
from geo.api.refusals import OwnFormatsMixin, RefusingAPIView
from geo.api.serializers import ErrorSerializer
from geo.errors import NotFound, QueryError, Refused
from geo.numbers import BIGINT_MAX, whole_number
from geo.requester import Requester

from .. import services, spatial
from ..models import Analysis
from ..services import siting

ERRORS = {code: ErrorSerializer for code in (400, 404)}
FORMATS = ("json", "geojson", "csv")
PARAMETERS = ("kind", "radius", "territory", "method", "format")


class TerritoryCoverageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    residents_total = serializers.IntegerField()
    residents_covered = serializers.IntegerField()
    coverage_share = serializers.FloatField(allow_null=True)
    ground_area_m2 = serializers.FloatField()
    norm_area_m2 = serializers.FloatField()
    deficit_m2 = serializers.FloatField()


class CoverageSerializer(serializers.Serializer):
    kind = serializers.CharField()
    radius_m = serializers.FloatField()
    method = serializers.CharField()
    residents_total = serializers.IntegerField()
    residents_covered = serializers.IntegerField()
    coverage_share = serializers.FloatField(allow_null=True)
    ground_area_m2 = serializers.FloatField()
    norm_area_per_resident_m2 = serializers.FloatField()
    norm_area_m2 = serializers.FloatField()
    deficit_m2 = serializers.FloatField()
    data_version = serializers.CharField()
    territories = TerritoryCoverageSerializer(many=True)


SLOW = (
    "An analysis that would be slow (more buildings than COVERAGE_SYNC_MAX_BUILDINGS, "
    "or COVERAGE_SYNC_MAX_BUILDINGS_NETWORK with method=network) and is not kept yet "
    "runs as a background job: 202 {id, state, progress, url}, whatever the format; "
    "poll `url` (GET /api/coverage/analyses/<id>/), then ask again for 200."
)

SLOW_CANDIDATES = (
    "A ranking that would be slow (more buildings than COVERAGE_SYNC_MAX_BUILDINGS) "
    "and is not kept yet runs as a background job: 202 {id, state, progress, url}; "
    "poll `url`, then ask again for 200."
)


class AnalysisStartedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=Analysis.State.values)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    url = serializers.CharField(help_text="GET /api/coverage/analyses/<id>/")


def started(analysis):
    """202 with the analysis under way and where to follow it."""
    url = reverse("coverage-analysis", args=[analysis.pk])
    response = Response(
        {
            "id": analysis.pk,
            "state": analysis.state,
            "progress": analysis.progress,
            "url": url,
        },
        status=202,
    )
    response["Location"] = url
    return response


class CoverageView(OwnFormatsMixin, RefusingAPIView):
    authentication_classes = []
    permission_classes = []

    @extend_schema(
        summary="Охват жителей площадками (coverage of residents by grounds)",
        parameters=[
            OpenApiParameter("kind", str, required=True, enum=list(services.KINDS)),
            OpenApiParameter("radius", float, description="m; the norm by default"),
            OpenApiParameter("territory", int, description="id of an approved TOS"),
            OpenApiParameter("method", str, enum=list(services.METHODS)),
            OpenApiParameter("format", str, enum=list(FORMATS)),
        ],
        description=SLOW,
        responses={
            200: CoverageSerializer,
            (200, "application/geo+json"): OpenApiTypes.OBJECT,
            (200, "text/csv"): OpenApiTypes.STR,
            202: AnalysisStartedSerializer,
            **ERRORS,
        },
    )
    def get(self, request):
        query = request.query_params
        for name in query:
            if name not in PARAMETERS:
                raise QueryError(name, _("неизвестный параметр"))
        fmt = query.get("format") or "json"
        if fmt not in FORMATS:
            raise QueryError("format", _("формат: json, geojson или csv"))
        kind = services.checked_kind(query.get("kind"))
        territory = services.checked_territory(query.get("territory"))
        answer = services.coverage(
            kind, query.get("radius"), territory, query.get("method"), background=True
        )
        if isinstance(answer, Analysis):
            # Every format waits for the kept figures (docs/domain.md, "Coverage of
            # grounds": slow analyses).
            return started(answer)
        if fmt == "geojson":
            body = spatial.buildings_geojson(
                kind,
                answer["radius_m"],
                territory.pk if territory else None,
                answer["method"],
            )
            return download(body, "application/geo+json", kind, "geojson")
        if fmt == "csv":
            return download(table_csv(answer), "text/csv", kind, "csv")
        return Response(answer)


def download(body, content_type, kind, extension):
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    name = f"coverage-{kind}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def table_csv(answer):
    """The territories' table and the district's row, RFC 4180, with a BOM so that
    spreadsheet programs read the Russian headers as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            _("ТОС"),
            _("жителей"),
            _("жителей в радиусе"),
            _("доля охвата"),
            _("площадь площадок, м²"),
            _("норма площади, м²"),
            _("дефицит, м²"),
        ]
    )
    rows = [*answer["territories"], {**answer, "name": _("весь округ")}]
    for row in rows:
        share = row["coverage_share"]
        writer.writerow(
            [
                row["name"],
                row["residents_total"],
                row["residents_covered"],
                "" if share is None else f"{share:.4f}",
                row["ground_area_m2"],
                row["norm_area_m2"],
                row["deficit_m2"],
            ]
        )
    return out.getvalue()


# --- Where to build next (docs/domain.md, "Where to build next") -------------------

CANDIDATE_PARAMETERS = ("kind", "radius", "territory", "limit")
PLAN_FIELDS = ("kind", "radius", "count", "territory", "points")
WRITE_ERRORS = {code: ErrorSerializer for code in (400, 401, 403, 404, 413, 429)}


class SiteSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    lon = serializers.FloatField()
    lat = serializers.FloatField()
    yard = serializers.CharField(allow_null=True, help_text="the yard's name")
    yard_id = serializers.IntegerField(allow_null=True)
    residents_newly_covered = serializers.IntegerField()


class CandidateSerializer(SiteSerializer):
    coverage_after = serializers.FloatField(
        allow_null=True, help_text="the share covered with this site alone added"
    )


class CandidatesSerializer(serializers.Serializer):
    kind = serializers.CharField()
    radius_m = serializers.FloatField()
    territory = serializers.IntegerField(allow_null=True)
    residents_total = serializers.IntegerField()
    residents_covered = serializers.IntegerField()
    coverage_share = serializers.FloatField(allow_null=True)
    candidates_considered = serializers.IntegerField()
    data_version = serializers.CharField()
    candidates = CandidateSerializer(many=True)


class PlannedSiteSerializer(SiteSerializer):
    covered_after = serializers.IntegerField(
        help_text="residents covered with this site and those before it"
    )
    coverage_after = serializers.FloatField(allow_null=True)


class PlanResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    radius_m = serializers.FloatField()
    territory = serializers.IntegerField(allow_null=True)
    candidates = serializers.ChoiceField(choices=["yards", "points"])
    candidates_considered = serializers.IntegerField()
    data_version = serializers.CharField()
    residents_total = serializers.IntegerField()
    residents_covered_before = serializers.IntegerField()
    residents_covered_after = serializers.IntegerField()
    coverage_before = serializers.FloatField(allow_null=True)
    coverage_after = serializers.FloatField(allow_null=True)
    sites = PlannedSiteSerializer(many=True)


class PlanRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(services.KINDS))
    radius = serializers.FloatField(required=False, help_text="m; the norm by default")
    count = serializers.IntegerField(min_value=1, max_value=siting.MAX_SITES)
    territory = serializers.IntegerField(
        required=False, allow_null=True, help_text="id of an approved TOS"
    )
    points = serializers.ListField(
        child=serializers.ListField(
            child=serializers.FloatField(), min_length=2, max_length=2
        ),
        required=False,
        allow_null=True,
        min_length=1,
        max_length=siting.MAX_POINTS,
        help_text="[[lon, lat], …] in the district; the yards when not given",
    )


class PlanStartedSerializer(AnalysisStartedSerializer):
    url = serializers.CharField()


class PlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=Analysis.State.values)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    result = PlanResultSerializer(allow_null=True)
    error = serializers.CharField(allow_null=True)


class PlanKeptSerializer(PlanStartedSerializer, PlanSerializer):
    pass


class SitingView(OwnFormatsMixin, RefusingAPIView):
    """JSON only; refusals as {field, error}, 429 with Retry-After."""


class CandidatesView(SitingView):
    """Yards without a ground of the kind, best first: public and read-only."""

    authentication_classes = []
    permission_classes = []

    @extend_schema(
        summary="Где строить: кандидаты (where to build next: candidate sites)",
        parameters=[
            OpenApiParameter("kind", str, required=True, enum=list(services.KINDS)),
            OpenApiParameter("radius", float, description="m; the norm by default"),
            OpenApiParameter("territory", int, description="id of an approved TOS"),
            OpenApiParameter(
                "limit", int, description=f"1..{siting.MAX_LIMIT}, 20 by default"
            ),
        ],
        description=SLOW_CANDIDATES,
        responses={
            200: CandidatesSerializer,
            202: AnalysisStartedSerializer,
            **ERRORS,
        },
    )
    def get(self, request):
        query = request.query_params
        for name in query:
            if name not in CANDIDATE_PARAMETERS:
                raise QueryError(name, _("неизвестный параметр"))
        kind = services.checked_kind(query.get("kind"))
        territory = services.checked_territory(query.get("territory"))
        answer = siting.candidates(
            kind, query.get("radius"), territory, query.get("limit"), background=True
        )
        if isinstance(answer, Analysis):
            return started(answer)
        return Response(answer)


class PlansView(SitingView):
    """Start a greedy plan as a background job, or get the kept one."""

    # The default authentication: a token, or the session with the same-site check
    # of every write (docs/security.md); anyone may start a plan, within the quota.
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        summary="Где строить: жадный план (where to build next: a greedy plan)",
        description=(
            "Starts a background job (202); the same plan on the same data is "
            "answered at once: 200 with its result when done, 202 while it runs. "
            "429 with Retry-After: too many plans from this client in an hour."
        ),
        request=PlanRequestSerializer,
        responses={200: PlanKeptSerializer, 202: PlanStartedSerializer, **WRITE_ERRORS},
    )
    def post(self, request):
        data = request.data
        if not isinstance(data, dict):
            raise Refused("body", _("ожидается объект JSON"))
        for name in data:
            if name not in PLAN_FIELDS:
                raise Refused(name, _("неизвестное поле"))
        kind = services.checked_kind(data.get("kind"))
        territory = services.checked_territory(data.get("territory"))
        analysis, _started = siting.start_plan(
            kind,
            data.get("radius"),
            data.get("count"),
            territory,
            data.get("points"),
            by=Requester.of(request),
        )
        url = reverse("coverage-plan", args=[analysis.pk])
        answer = {
            "id": analysis.pk,
            "state": analysis.state,
            "progress": analysis.progress,
            "url": url,
        }
        if analysis.state == Analysis.State.DONE:
            return Response(answer | analysis_answer(analysis))
        response = Response(answer, status=202)
        response["Location"] = url
        return response


class AnalysisSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=Analysis.State.values)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    result = serializers.JSONField(
        allow_null=True,
        help_text=(
            "when done: the answer of the analysis — coverage, candidates (all of the "
            "best 200) or a greedy plan"
        ),
    )
    error = serializers.CharField(allow_null=True)


class AnalysisView(SitingView):
    """An analysis's state, progress and, when done, result (a greedy plan, or
    coverage or candidates run as a job): public and read-only."""

    authentication_classes = []
    permission_classes = []
    kind_prefix = ""  # every kind of analysis

    @extend_schema(
        summary="Анализ: ход и результат (an analysis: state, progress, result)",
        responses={200: AnalysisSerializer, **ERRORS},
    )
    def get(self, request, pk):
        analysis = (
            Analysis.objects.filter(kind__startswith=self.kind_prefix, pk=pk).first()
            if whole_number(pk, 1, BIGINT_MAX)
            else None
        )
        if analysis is None:
            raise NotFound("id", self.missing)
        return Response(analysis_answer(analysis))

    @property
    def missing(self):
        return _("нет такого плана") if self.kind_prefix else _("нет такого анализа")


class PlanView(AnalysisView):
    """The plans' own address of the same answer (published first, kept): plans
    only."""

    kind_prefix = "plan:"

    @extend_schema(
        summary="Где строить: план (a greedy plan: state, progress, result)",
        responses={200: PlanSerializer, **ERRORS},
    )
    def get(self, request, pk):
        return super().get(request, pk)


def analysis_answer(analysis):
    return {
        "id": analysis.pk,
        "state": analysis.state,
        "progress": analysis.progress,
        "result": analysis.result if analysis.state == Analysis.State.DONE else None,
        "error": analysis.error or None,
    }
