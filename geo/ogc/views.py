"""The views of OGC API – Features. Plain Django views, outside the REST API's
drf-spectacular schema: this edge describes itself at /ogc/api."""

import json
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _

from geo.errors import QueryError
from geo.layers import layers
from geo.streaming import feature_collection, streamed

from . import documents, filtering, params
from .documents import GEOJSON, HTML, JSON, OPENAPI, SCHEMA


def refusal(field, message, status, code="InvalidParameterValue"):
    """An OGC exception (`code`, `description`) that also carries the REST API's
    `{field, error}`, so both kinds of client read it."""
    return JsonResponse(
        {"code": code, "description": message, "field": field, "error": message},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def wants_html(request):
    f = request.GET.get("f")
    if f is not None:
        return f == "html"
    return request.get_preferred_type([JSON, GEOJSON, HTML]) == HTML


def check_f(request):
    f = request.GET.get("f")
    if f is not None and f not in ("json", "html"):
        raise QueryError("f", _("допустимы: json, html"))


def only(request, *allowed):
    """Refuses query parameters the document does not take, naming the first."""
    unknown = sorted(set(request.GET) - {"f", *allowed})
    if unknown:
        raise QueryError(
            unknown[0],
            _("неизвестный параметр; здесь понимают: %s") % ", ".join(["f", *allowed]),
        )
    check_f(request)


def base_url(request):
    return request.build_absolute_uri(reverse("ogc-landing"))


def url_with(request, **changes):
    """This request's URL with some query parameters changed (None drops one)."""
    query = {**request.GET.dict(), **changes}
    query = {k: v for k, v in query.items() if v is not None}
    url = request.build_absolute_uri(request.path)
    return f"{url}?{urlencode(query)}" if query else url


def self_url(request):
    return lambda f: url_with(request, f=None if f == "json" else f)


def answer(request, document, title, media=JSON, rows=None):
    if wants_html(request):
        return render(
            request,
            "ogc/page.html",
            {"title": title, "document": document, "rows": rows},
            content_type=f"{HTML}; charset=utf-8",
        )
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = media
    return response


def basemap():
    """The site's basemap for the pages' small map (frontend/views.py's too)."""
    return {
        "url": settings.BASEMAP_URL,
        "attribution": settings.BASEMAP_ATTRIBUTION,
        "centre": settings.MAP_CENTER,
        "zoom": settings.MAP_ZOOM,
    }


def refusing(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except QueryError as refused:
            return refusal(refused.field, str(refused), 400)

    return wrapped


@refusing
def landing(request):
    only(request)
    document = documents.landing(base_url(request), self_url(request))
    return answer(request, document, documents.TITLE)


@refusing
def conformance(request):
    only(request)
    return answer(request, documents.conformance(), _("Классы соответствия"))


@refusing
def service_desc(request):
    only(request)
    document = documents.openapi(base_url(request), layers)
    if wants_html(request):
        return answer(request, document, "OpenAPI")
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = OPENAPI
    return response


@refusing
def collections(request):
    only(request)
    document = documents.collections(
        base_url(request), self_url(request), layers, layers.statistics()
    )
    rows = [
        {"link": f"{c['id']}", "cells": [c["id"], c["title"]]}
        for c in document["collections"]
    ]
    return answer(request, document, _("Коллекции"), rows=rows)


def of_a_collection(view):
    """A view of one collection: the URL's `name` becomes its layer, or a 404
    naming collectionId and the collections there are."""

    @wraps(view)
    def wrapped(request, name, *args, **kwargs):
        layer = layers.get(name)
        if layer is None:
            return refusal(
                "collectionId",
                _("коллекции «%(name)s» нет; есть: %(known)s")
                % {"name": name, "known": ", ".join(layers)},
                404,
                "NotFound",
            )
        return view(request, layer, *args, **kwargs)

    return wrapped


@refusing
@of_a_collection
def collection(request, layer):
    only(request)
    _count, extent = layers.statistics()[layer.name]
    document = documents.collection(base_url(request), layer, extent)
    document["links"][:2] = documents.self_links(self_url(request))
    return answer(request, document, layer.title_ru)


@refusing
@of_a_collection
def queryables(request, layer):
    only(request)
    document = filtering.schema(layer, request.build_absolute_uri(request.path))
    rows = [
        {"cells": [key, entry.get("format") or entry.get("type")]}
        for key, entry in document["properties"].items()
    ]
    return answer(request, document, layer.title_ru, SCHEMA, rows)


def page_links(request, offset, limit, matched):
    links = [
        *documents.self_links(self_url(request), GEOJSON),
        documents.link(
            request.build_absolute_uri(request.path.rsplit("/items", 1)[0]),
            "collection",
            JSON,
        ),
    ]
    if offset + limit < matched:
        links.append(
            documents.link(
                url_with(request, offset=str(offset + limit), limit=str(limit)),
                "next",
                GEOJSON,
                "Next page",
            )
        )
    if offset > 0:
        links.append(
            documents.link(
                url_with(request, offset=str(max(0, offset - limit)), limit=str(limit)),
                "prev",
                GEOJSON,
                "Previous page",
            )
        )
    return links


@refusing
@of_a_collection
def items(request, layer):
    query = request.GET.dict()
    check_f(request)
    limit, offset = params.limit(query), params.offset(query)
    crs = params.crs(query)
    bbox, metric_box = params.bbox(query)
    own = {k: v for k, v in query.items() if k not in params.OWN and k != "bbox"}
    if bbox is not None:
        own["bbox"] = bbox
    queryset = layer.select(own)
    if metric_box is not None:
        queryset = queryset.filter(geom__intersects=metric_box)
    if "datetime" in query:
        queryset = params.select_datetime(layer, queryset, query["datetime"])
    filtering.check_language(query)
    if "filter" in query:
        queryset = filtering.select(
            layer, queryset, query["filter"], params.one_of(query, "filter-crs")
        )
    html = wants_html(request)
    etag, last_modified = layer.version(
        {
            **own,
            **{f"_ogc_{k}": v for k, v in query.items() if k in params.OWN},
            "_ogc_host": request.get_host(),
            "_ogc_html": str(html),
        }
    )
    modified_ts = int(last_modified.timestamp()) if last_modified else None
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=modified_ts
    )
    if not_modified is not None:
        return not_modified
    matched = queryset.count()
    links = page_links(request, offset, limit, matched)
    stamp = timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z")
    if html:
        features = [
            json.loads(text)
            for batch in layer.batches(queryset, offset, limit)
            for text in batch
        ]
        rows = [
            {
                "link": f"items/{feature['id']}",
                "cells": [feature["id"], *feature["properties"].values()],
            }
            for feature in features
        ]
        head = ["id", *layer.properties]
        document = {
            "numberMatched": matched,
            "numberReturned": len(features),
            "links": links,
        }
        response = render(
            request,
            "ogc/page.html",
            {
                "title": layer.title_ru,
                "document": document,
                "rows": rows,
                "head": head,
                "features": {"type": "FeatureCollection", "features": features},
                "basemap": basemap(),
            },
        )
    else:
        # Compressed as /api/layers/ compresses (geo/streaming.py), not by the
        # middleware's slower level.
        response = streamed(
            request,
            stream(layer, queryset, offset, limit, matched, stamp, links, crs),
            GEOJSON,
            etag,
        )
        response["Content-Crs"] = f"<{crs.uri}>"
    if "ETag" not in response:
        response["ETag"] = etag
    if modified_ts:
        response["Last-Modified"] = http_date(modified_ts)
    patch_cache_control(response, public=True, no_cache=True)
    return response


def stream(layer, queryset, offset, limit, matched, stamp, links, crs):
    """The page as GeoJSON, rendered by PostgreSQL; `numberReturned` comes last, when
    the features have been counted."""
    head = {
        "numberMatched": matched,
        "timeStamp": stamp,
        "links": links,
    }
    batches = layer.batches(queryset, offset, limit, crs.srid, crs.flip)
    return feature_collection(
        head, batches, after=lambda returned: {"numberReturned": returned}
    )


@refusing
@of_a_collection
def item(request, layer, pk):
    only(request, "crs")
    # HTML draws the feature on a map, which takes CRS84.
    crs = params.crs({} if wants_html(request) else request.GET)
    feature = layer.feature(pk, crs.srid, crs.flip)
    if feature is None:
        return refusal(
            "featureId",
            _("в коллекции «%(name)s» нет объекта %(pk)s")
            % {"name": layer.name, "pk": pk},
            404,
            "NotFound",
        )
    collection_url = request.build_absolute_uri(
        reverse("ogc-collection", args=[layer.name])
    )
    links = [
        *documents.self_links(self_url(request), GEOJSON),
        documents.link(collection_url, "collection", JSON),
    ]
    if wants_html(request):
        data = json.loads(feature)
        rows = [{"cells": [key, value]} for key, value in data["properties"].items()]
        return render(
            request,
            "ogc/page.html",
            {
                "title": f"{layer.title_ru} · {pk}",
                "document": {"links": links},
                "rows": rows,
                "head": [_("свойство"), _("значение")],
                "features": data,
                "basemap": basemap(),
            },
        )
    # The feature is PostgreSQL's text; its links go in before the closing brace.
    body = feature[:-1] + ',"links":' + json.dumps(links, ensure_ascii=False) + "}"
    response = HttpResponse(body, content_type=GEOJSON)
    response["Content-Crs"] = f"<{crs.uri}>"
    return response
