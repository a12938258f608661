"""Boundaries API (docs/domain.md, "TOS boundaries"): read territories and their
versions, check a drawn boundary live, save drafts, submit, approve, return,
restore, export. Views translate between HTTP and `..services`; the rules and the
permissions are the services'. Refusals are JSON {"field", "error"} (plus "code"
and "location" for a geometry) with a 4xx status; anonymous writes get 401."""

import json
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from geo.api.parsers import BoundedJSONParser, too_large
from geo.api.refusals import RefusingAPIView
from geo.api.serializers import error
from geo.errors import NotFound, QueryError, Refused
from geo.geojson_input import GeometryRefused, read_polygonal
from geo.numbers import whole_number
from territories.registry.models import Territory

from .. import services, spatial
from ..models import BoundaryVersion
from .serializers import (
    CompareSerializer,
    DecisionSerializer,
    GeometryErrorSerializer,
    PreviewSerializer,
    ProposalSerializer,
    ReturnSerializer,
    TerritorySerializer,
    VersionFeatureSerializer,
    VersionSerializer,
    geojson,
)

# Every operation documents every refusal it can give (tests/test_schema_fuzz.py).
ERRORS = {code: GeometryErrorSerializer for code in (400, 401, 403, 404, 413)}
GEOMETRY_BODY = {
    "application/json": {
        "type": "object",
        "description": "GeoJSON Polygon or MultiPolygon, or a Feature with one "
        "(EPSG:4326, RFC 7946)",
    }
}


class BoundaryJSONParser(BoundedJSONParser):
    """A drawn boundary may be larger than other bodies: settings'
    TERRITORY_MAX_BODY_BYTES (docs/architecture.md, "Refusing what cannot be
    served")."""

    @property
    def max_bytes(self):
        return settings.TERRITORY_MAX_BODY_BYTES


class BoundariesView(RefusingAPIView):
    parser_classes = [BoundaryJSONParser]
    permission_classes = [IsAuthenticatedOrReadOnly]

    def handle_exception(self, exc):
        if isinstance(exc, RequestDataTooBig):  # over DATA_UPLOAD_MAX_MEMORY_SIZE
            limit = settings.TERRITORY_MAX_BODY_BYTES
            return error("body", too_large(limit), 413)
        return super().handle_exception(exc)

    def refusal(self, exc):
        """A refused geometry also says what kind of fault (`code`) and where."""
        response = super().refusal(exc)
        if isinstance(exc, GeometryRefused):
            response.data["code"] = exc.code
            if exc.location is not None:
                point = {"type": "Point", "coordinates": list(exc.location)}
                response.data["location"] = point
        return response

    def territory(self, pk):
        """The territory, if the requester may see it: approved ones are public,
        proposed ones only to those who may see their drafts."""
        territory = Territory.objects.select_related("district").filter(pk=pk).first()
        user = self.request.user
        if territory is None or (
            territory.geom is None and not services.may_see_drafts(user, territory)
        ):
            raise NotFound("territory", _("ТОС не найден"))
        return territory

    def body_object(self):
        data = self.request.data
        if not isinstance(data, dict):
            raise Refused("body", _("ожидается объект JSON"))
        return data

    def geometry(self, data, field="geometry"):
        return read_polygonal(
            data, field=field, max_vertices=settings.TERRITORY_MAX_VERTICES
        )

    def detail(self, territory, status=200):
        data = TerritorySerializer(
            territory, context=self.context([territory], with_geometry=True)
        ).data
        return Response(data, status=status)

    def context(self, territories, with_geometry=False):
        user = self.request.user
        return {
            "newest": BoundaryVersion.objects.newest_of(territories),
            "sees_drafts": lambda t: services.may_see_drafts(user, t),
            "can_edit": lambda t: services.may_edit(user, t),
            "can_review": services.may_review(user),
            "with_geometry": with_geometry,
        }


class TerritoryListView(BoundariesView):
    @extend_schema(
        summary="ТОС: список (TOS list)",
        parameters=[
            OpenApiParameter("mine", str, description="1: only those I may edit"),
            OpenApiParameter("state", str, description="state of the newest version"),
        ],
        responses={200: TerritorySerializer(many=True), **ERRORS},
    )
    def get(self, request):
        user = request.user
        territories = list(
            Territory.objects.order_by("name").prefetch_related("initiative_group")
        )
        listed = [
            t
            for t in territories
            if t.geom is not None or services.may_see_drafts(user, t)
        ]
        if request.query_params.get("mine") not in (None, "", "0"):
            listed = [t for t in listed if services.may_edit(user, t)]
        context = self.context(listed)
        data = TerritorySerializer(listed, many=True, context=context).data
        state = request.query_params.get("state")
        if state:
            known = BoundaryVersion.State.values
            if state not in known:
                raise QueryError("state", _("одно из: %s") % ", ".join(known))
            data = [item for item in data if item["state"] == state]
        return Response(data)

    @extend_schema(
        summary="Предложить новый ТОС (propose a new TOS)",
        request=ProposalSerializer,
        responses={201: TerritorySerializer, **ERRORS},
    )
    def post(self, request):
        data = self.body_object()
        if "geometry" not in data:
            raise Refused("geometry", _("нарисуйте границу"))
        name = data.get("name")
        if not isinstance(name, str):
            raise Refused("name", _("укажите название ТОС"))
        territory = services.propose(
            name, self.geometry(data["geometry"]), by=request.user
        )
        return self.detail(territory, status=201)


class TerritoryDetailView(BoundariesView):
    @extend_schema(
        summary="ТОС (a TOS)", responses={200: TerritorySerializer, **ERRORS}
    )
    def get(self, request, pk):
        return self.detail(self.territory(pk))


class PreviewView(BoundariesView):
    """The live check. It stores nothing, but costs a few spatial queries over up to
    TERRITORY_MAX_VERTICES vertices: only signed-in users (those who draw) ask."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Проверить границу (live check of a drawn boundary)",
        request=GEOMETRY_BODY,
        responses={200: PreviewSerializer, **ERRORS},
    )
    def post(self, request, pk=None):
        territory = self.territory(pk) if pk is not None else None
        geometry = self.geometry(self.body_object())
        district_id = territory.district_id if territory is not None else None
        answer = services.preview(
            geometry, district_id=district_id, territory=territory
        )
        return Response(answer)


class NewPreviewView(PreviewView):
    """The live check of a new TOS's boundary (no territory yet)."""

    @extend_schema(
        summary="Проверить границу нового ТОС (live check for a proposal)",
        operation_id="territories_new_preview",
        request=GEOMETRY_BODY,
        responses={200: PreviewSerializer, **ERRORS},
    )
    def post(self, request):
        return super().post(request)


class DraftView(BoundariesView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Сохранить черновик границы (save a draft)",
        request=GEOMETRY_BODY,
        responses={200: VersionFeatureSerializer, **ERRORS},
    )
    def put(self, request, pk):
        territory = self.territory(pk)
        geometry = self.geometry(self.body_object())
        version = services.save_draft(territory, geometry, by=request.user)
        return Response(VersionFeatureSerializer(version).data)


class SubmitView(BoundariesView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Отправить на согласование (submit)",
        request=None,
        responses={200: VersionSerializer, **ERRORS},
    )
    def post(self, request, pk):
        version = services.submit(self.territory(pk), by=request.user)
        return Response(VersionSerializer(version).data)


class ApproveView(BoundariesView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Утвердить границу (approve; planners)",
        request=DecisionSerializer,
        responses={200: VersionSerializer, **ERRORS},
    )
    def post(self, request, pk):
        territory = self.territory(pk)
        data = self.body_object()
        version = services.approve(
            territory,
            by=request.user,
            decision_number=text(data, "decision_number"),
            decision_date=text(data, "decision_date"),
        )
        return Response(VersionSerializer(version).data)


class ReturnView(BoundariesView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Вернуть на доработку (return; planners)",
        request=ReturnSerializer,
        responses={200: VersionSerializer, **ERRORS},
    )
    def post(self, request, pk):
        territory = self.territory(pk)
        comment = text(self.body_object(), "comment")
        version = services.return_for_changes(
            territory, by=request.user, comment=comment
        )
        return Response(VersionSerializer(version).data)


class VersionsView(BoundariesView):
    def versions(self, territory):
        versions = BoundaryVersion.objects.of(territory).with_author()
        if not services.may_see_drafts(self.request.user, territory):
            versions = versions.visible_to_public()
        return versions.select_related("restored_from")

    def version(self, territory, number):
        number = version_number(number)
        found = self.versions(territory).filter(number=number).first()
        if found is None:
            raise NotFound("version", _("нет версии %s") % number)
        return found


class VersionListView(VersionsView):
    @extend_schema(
        summary="Версии границы (boundary versions)",
        responses={200: VersionSerializer(many=True), **ERRORS},
    )
    def get(self, request, pk):
        versions = self.versions(self.territory(pk)).newest_first()
        return Response(VersionSerializer(versions, many=True).data)


class VersionDetailView(VersionsView):
    @extend_schema(
        summary="Версия границы (a version, GeoJSON Feature)",
        responses={200: VersionFeatureSerializer, **ERRORS},
    )
    def get(self, request, pk, number):
        version = self.version(self.territory(pk), number)
        return Response(VersionFeatureSerializer(version).data)


class CompareView(VersionsView):
    @extend_schema(
        summary="Сравнить две версии (areas added and removed)",
        parameters=[
            OpenApiParameter("from", int, required=True),
            OpenApiParameter("to", int, required=True),
        ],
        responses={200: CompareSerializer, **ERRORS},
    )
    def get(self, request, pk):
        territory = self.territory(pk)
        params = request.query_params
        older = self.version(territory, param(params, "from"))
        newer = self.version(territory, param(params, "to"))
        added, removed = spatial.difference(older.geom, newer.geom)
        return Response(
            {
                "from": older.number,
                "to": newer.number,
                "added": {"geometry": geojson(added), "area_m2": round(added.area, 1)},
                "removed": {
                    "geometry": geojson(removed),
                    "area_m2": round(removed.area, 1),
                },
            }
        )


class RestoreView(VersionsView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Восстановить версию (restore; planners)",
        request=None,
        responses={200: VersionSerializer, **ERRORS},
    )
    def post(self, request, pk, number):
        territory = self.territory(pk)
        number = version_number(number)
        version = services.restore(territory, number, by=request.user)
        return Response(VersionSerializer(version).data)


class ExportView(VersionsView):
    """The approved boundary, or `?version=N`, as a file: GeoJSON or KML."""

    @extend_schema(
        summary="Граница файлом (export as GeoJSON or KML)",
        parameters=[
            OpenApiParameter("version", int),
            OpenApiParameter(
                "fmt", str, OpenApiParameter.PATH, enum=["geojson", "kml"]
            ),
        ],
        responses={
            (200, "application/geo+json"): OpenApiTypes.OBJECT,
            (200, "application/vnd.google-earth.kml+xml"): OpenApiTypes.STR,
            **ERRORS,
        },
    )
    def get(self, request, pk, fmt):
        if fmt not in ("geojson", "kml"):
            raise NotFound("format", _("выгрузка бывает в форматах geojson и kml"))
        territory = self.territory(pk)
        number = request.query_params.get("version")
        if number:
            version = self.version(territory, number)
            geom, label = version.geom, f"v{version.number}"
        elif territory.geom is not None:
            geom, label = territory.geom, "approved"
        else:
            raise NotFound("version", _("у ТОС нет утверждённой границы"))
        filename = f"tos-{territory.pk}-{label}.{fmt}"
        if fmt == "kml":
            body, kind = kml(territory, geom), "application/vnd.google-earth.kml+xml"
        else:
            feature = {
                "type": "Feature",
                "geometry": geojson(geom),
                "properties": {"name": territory.name, "version": label},
            }
            body, kind = json.dumps(feature, ensure_ascii=False), "application/geo+json"
        response = HttpResponse(body, content_type=f"{kind}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def kml(territory, geom):
    name = escape(territory.name)
    shape = geom.transform(4326, clone=True).kml
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<name>{name}</name><Placemark><name>{name}</name>{shape}</Placemark>"
        "</Document></kml>\n"
    )


def text(data, field):
    value = data.get(field)
    if value is not None and not isinstance(value, str):
        raise Refused(field, _("ожидается строка"))
    return value or ""


def version_number(raw, field="version"):
    number = whole_number(str(raw), 1)
    if number is None:
        raise QueryError(field, _("номер версии — целое число от 1"))
    return number


def param(params, name):
    value = params.get(name)
    if not value:
        raise QueryError(name, _("укажите номер версии"))
    return version_number(value, name)
