"""Layers API: the catalogue, a layer as a FeatureCollection, one feature."""

from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
)
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from geo.errors import QueryError
from geo.layers import layers
from geo.streaming import streamed

from .serializers import ErrorSerializer, LayerSerializer, error

GEOJSON = "application/geo+json"


def unknown_layer(name):
    return error(
        "name",
        _("слой «%(name)s» не найден; есть: %(known)s")
        % {"name": name, "known": ", ".join(layers)},
        404,
    )


class PublicView(APIView):
    """Layers are public and the same for everyone: no session is read, so responses
    carry no `Vary: Cookie` and shared caches may keep them."""

    authentication_classes = ()


class LayerCatalogueView(PublicView):
    @extend_schema(
        summary="Каталог слоёв / layer catalogue",
        responses=LayerSerializer(many=True),
    )
    def get(self, request):
        statistics = layers.statistics()
        return Response(
            [
                self._entry(request, layer, *statistics[layer.name])
                for layer in layers.values()
            ]
        )

    @staticmethod
    def _entry(request, layer, count, extent):
        path = reverse("layer-features", args=[layer.name])
        return {
            "name": layer.name,
            "title": {"ru": layer.title_ru, "en": layer.title_en},
            "geometry_type": layer.geometry_type,
            "count": count,
            "extent": list(extent) if extent else None,
            "filters": {f.param: str(f.description) for f in layer.filters},
            "bound": layer.bound.catalogue() if layer.bound else None,
            "url": request.build_absolute_uri(path),
            "tilejson": request.build_absolute_uri(
                reverse("tilejson", args=[layer.name])
            ),
            "map_tiles": layer.map_tiles,
        }


class LayerFeaturesView(PublicView):
    @extend_schema(
        summary="Слой как GeoJSON FeatureCollection / a layer as a FeatureCollection",
        description=(
            "RFC 7946: EPSG:4326 lon/lat, exterior rings counter-clockwise, at most 6 "
            "decimals. Attribute filters of each layer are listed in the catalogue. "
            "Supports ETag / Last-Modified and gzip."
        ),
        parameters=[
            OpenApiParameter(
                "bbox",
                OpenApiTypes.STR,
                description="minlon,minlat,maxlon,maxlat (EPSG:4326)",
            ),
        ],
        responses={
            (200, GEOJSON): OpenApiTypes.OBJECT,
            400: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    def get(self, request, name):
        layer = layers.get(name)
        if layer is None:
            return unknown_layer(name)
        params = request.GET.dict()
        try:
            queryset, zoom = layer.map_selection(params)
        except QueryError as refused:
            return error(refused.field, str(refused), 400)
        etag, last_modified = layer.map_version(params)
        # HTTP dates have whole seconds; the ETag tells changes within one second apart.
        modified_ts = int(last_modified.timestamp()) if last_modified else None
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=modified_ts
        )
        if not_modified is not None:
            return not_modified
        answer = layer.map_answer(queryset, zoom)
        chunks = layer.stream(queryset) if answer is None else answer.chunks()
        response = streamed(request, chunks, GEOJSON, etag)
        for header, value in (answer.headers if answer else {}).items():
            response[header] = value
        if modified_ts:
            response["Last-Modified"] = http_date(modified_ts)
        patch_cache_control(response, public=True, no_cache=True)
        return response


class LayerFeatureView(PublicView):
    @extend_schema(
        summary="Один объект слоя / one feature",
        operation_id="layers_feature_retrieve",
        responses={(200, GEOJSON): OpenApiTypes.OBJECT, 404: ErrorSerializer},
    )
    def get(self, request, name, pk):
        layer = layers.get(name)
        if layer is None:
            return unknown_layer(name)
        feature = layer.feature(pk)
        if feature is None:
            return error(
                "id",
                _("в слое «%(name)s» нет объекта %(pk)s") % {"name": name, "pk": pk},
                404,
            )
        return HttpResponse(feature, content_type=GEOJSON)
