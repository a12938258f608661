"""`GET /api/indicators/`: the dashboard's figures as JSON (docs/domain.md,
"Indicators"). The view translates HTTP; the figures are services/dashboard.py's.
Public and the same for everyone: no credentials read."""

from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from geo.api.refusals import OwnFormatsMixin, RefusingAPIView
from geo.api.serializers import ErrorSerializer

from ..services import dashboard, params
from .serializers import DashboardSerializer


class IndicatorsView(OwnFormatsMixin, RefusingAPIView):
    authentication_classes = ()

    @extend_schema(
        operation_id="indicators_dashboard",
        summary="Показатели практики / the practice's indicators",
        description=(
            "The passport's results table computed from the records (docs/domain.md, "
            "'Indicators'): by year, by territory (the approved TOS containing each "
            "record's point) and totals; the passport's own figures apart; the "
            "reports block. A row without a source has null figures and a note. "
            "ETag / Last-Modified: 304 while nothing it reads has changed."
        ),
        parameters=[
            OpenApiParameter(
                "year",
                {
                    "type": "integer",
                    "minimum": params.FIRST_YEAR,
                    "maximum": params.LAST_YEAR,
                },
                description="only this year",
            ),
            OpenApiParameter(
                "territory",
                {"type": "integer", "minimum": 1},
                description="only this TOS (its id)",
            ),
        ],
        responses={200: DashboardSerializer, 400: ErrorSerializer},
    )
    def get(self, request):
        chosen = params.parse(request.query_params.dict())
        etag, last_modified = dashboard.version(chosen)
        modified = int(last_modified.timestamp()) if last_modified else None
        cached = get_conditional_response(request, etag=etag, last_modified=modified)
        if cached is not None:
            return cached
        response = Response(dashboard.dashboard(chosen))
        response["ETag"] = etag
        if modified:
            response["Last-Modified"] = http_date(modified)
        patch_cache_control(response, public=True, no_cache=True)
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response
