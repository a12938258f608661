"""Coverage API (docs/domain.md, "Coverage of grounds"): public, read-only. The
figures are the services'; this edge reads the parameters and chooses the format:
JSON (default), GeoJSON of the buildings, CSV of the territories' table."""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from geo.api.serializers import ErrorSerializer, error
from geo.errors import QueryError, Refused, http_status

from .. import services, spatial

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


class CoverageView(APIView):
    authentication_classes = []
    permission_classes = []

    def perform_content_negotiation(self, request, force=False):
        # `format=` chooses among our own formats below, not DRF's renderers.
        renderer = self.get_renderers()[0]
        return renderer, renderer.media_type

    def handle_exception(self, exc):
        if isinstance(exc, Refused):
            return error(exc.field, exc, http_status(exc))
        return super().handle_exception(exc)

    @extend_schema(
        summary="Охват жителей площадками (coverage of residents by grounds)",
        parameters=[
            OpenApiParameter("kind", str, required=True, enum=list(services.KINDS)),
            OpenApiParameter("radius", float, description="m; the norm by default"),
            OpenApiParameter("territory", int, description="id of an approved TOS"),
            OpenApiParameter("method", str, enum=list(services.METHODS)),
            OpenApiParameter("format", str, enum=list(FORMATS)),
        ],
        responses={
            200: CoverageSerializer,
            (200, "application/geo+json"): OpenApiTypes.OBJECT,
            (200, "text/csv"): OpenApiTypes.STR,
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
            kind, query.get("radius"), territory, query.get("method")
        )
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
