"""The JSON API's refusals in one shape, `{"field": ..., "error": ...}` with a 4xx
status (docs/architecture.md, "Layers of the code"): a domain error (geo.errors)
with the status `http_status` gives it, 429 with Retry-After; a missing or wrong
token 401 with its challenge (geo.api.auth); DRF's own refusals name what they are
about (the CSRF check, the method, the body)."""

from rest_framework import exceptions
from rest_framework.views import APIView

from geo.errors import RateLimited, Refused, http_status

from .auth import UNAUTHENTICATED, unauthenticated
from .serializers import error

DRF_FIELDS = {403: "csrf", 405: "method", 415: "body"}


class RefusingAPIView(APIView):
    def handle_exception(self, exc):
        if isinstance(exc, Refused):
            return self.refusal(exc)
        if isinstance(exc, UNAUTHENTICATED):
            return unauthenticated(self, exc)
        if isinstance(exc, exceptions.APIException):
            field = DRF_FIELDS.get(exc.status_code, "body")
            return error(field, exc.detail, exc.status_code)
        return super().handle_exception(exc)

    def refusal(self, exc):
        response = error(exc.field, exc, http_status(exc))
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response


class OwnFormatsMixin:
    """`format=` is the view's own parameter (or refused by name), not DRF's choice
    of renderer, which would answer an unknown one with a 404."""

    def perform_content_negotiation(self, request, force=False):
        renderer = self.get_renderers()[0]
        return renderer, renderer.media_type
