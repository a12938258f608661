"""The results API (docs/domain.md, "After the event"): participants and outcome,
the photo report, the trees of a planting drive; and the events' indicators
(docs/domain.md, "Event indicators"). Views translate HTTP; the rules are
services/records.py's and services/indicators.py's. Refusals are JSON
{"field", "error"} with a 4xx status; anonymous writes get 401."""

from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.db.models import Count
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from geo.api.parsers import BoundedJSONParser
from geo.api.refusals import RefusingAPIView
from geo.api.serializers import ErrorSerializer, error
from geo.requester import body_longer_than

from ..models import Event
from ..services import indicators as figures
from ..services import records
from .record_serializers import (
    AddedTreesSerializer,
    IndicatorsSerializer,
    PhotosRequestSerializer,
    ResultsRequestSerializer,
    ResultsSerializer,
    TreeRequestSerializer,
)

WRITE_ERRORS = {code: ErrorSerializer for code in (400, 401, 403, 404)}


def results(event, request):
    """The event's public results: figures, photos, the number of trees."""
    event = (
        Event.objects.annotate(trees_planted=Count("planted_trees"))
        .filter(pk=event.pk)
        .get()
    )
    photos = [
        {
            "url": request.build_absolute_uri(photo.image.url),
            "width": photo.width,
            "height": photo.height,
        }
        for photo in event.photos.all()
    ]
    return {
        "id": event.pk,
        "participants": event.participants,
        "outcome": event.outcome,
        "recorded_at": event.recorded_at,
        "photos": photos,
        "trees_planted": event.trees_planted,
    }


class RecordsView(RefusingAPIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [BoundedJSONParser]


class ResultsView(RecordsView):
    @extend_schema(
        operation_id="events_results_record",
        summary="Итоги мероприятия / record participants and outcome",
        description=(
            "After the start, not for a cancelled event; by whoever may act for the "
            "organiser. Repeatable: the figures are replaced."
        ),
        request=ResultsRequestSerializer,
        responses={200: ResultsSerializer, **WRITE_ERRORS, 413: ErrorSerializer},
    )
    def post(self, request, pk):
        data = request.data
        if not isinstance(data, dict):
            return error("body", _("ожидается объект JSON"), 400)
        event = records.record_results(
            pk,
            participants=data.get("participants"),
            outcome=data.get("outcome"),
            by=request.user,
        )
        return Response(results(event, request))


class PhotosView(RecordsView):
    parser_classes = [MultiPartParser]

    def handle_exception(self, exc):
        if isinstance(exc, RequestDataTooBig):
            return error("photos", self.too_big(), 413)
        if isinstance(exc, TooManyFilesSent):
            return error("photos", _("слишком много файлов"), 400)
        return super().handle_exception(exc)

    @staticmethod
    def too_big():
        rules = records.photo_rules()
        return _("запрос слишком большой: не больше %(n)d фотографий по %(mb)d МБ") % {
            "n": rules.max_photos,
            "mb": rules.max_bytes // (1024 * 1024),
        }

    @extend_schema(
        operation_id="events_photos_add",
        summary="Фотоотчёт / add photos to the event's report",
        description=(
            "multipart/form-data, field `photos` (repeated). Checked, resized and "
            "stored without EXIF (GPS too), all or none."
        ),
        request={"multipart/form-data": PhotosRequestSerializer},
        responses={200: ResultsSerializer, **WRITE_ERRORS, 413: ErrorSerializer},
    )
    def post(self, request, pk):
        # Refused unread when the declared body could not be photos within the caps.
        if body_longer_than(request, records.photo_rules().max_request_bytes()):
            raise RequestDataTooBig
        files = [
            *request.FILES.getlist("photos"),
            *request.FILES.getlist("photos[]"),
        ]
        event = records.add_photos(pk, files, by=request.user)[0].event
        return Response(results(event, request))


class TreesView(RecordsView):
    @extend_schema(
        operation_id="events_trees_add",
        summary="Посаженные деревья / trees planted at a planting drive",
        description=(
            "A JSON list of {lon, lat, species} (EPSG:4326, inside the district, at "
            "most EVENT_MAX_TREES_PER_REQUEST). Each becomes a tree of the `trees` "
            "layer with the drive's campaign and date; all or none."
        ),
        request=TreeRequestSerializer(many=True),
        responses={200: AddedTreesSerializer, **WRITE_ERRORS, 413: ErrorSerializer},
    )
    def post(self, request, pk):
        trees = records.add_trees(pk, request.data, by=request.user)
        event = Event.objects.get(pk=pk)
        answer = results(event, request)
        answer["added_trees"] = [tree.pk for tree in trees]
        return Response(answer)


class IndicatorsView(RefusingAPIView):
    """Public and the same for everyone: no credentials read."""

    authentication_classes = ()

    @extend_schema(
        operation_id="events_indicators",
        summary="Показатели мероприятий / events held, participants, trees planted",
        description=(
            "From what organisers recorded (docs/domain.md, 'Event indicators'): "
            "held = not cancelled, ended, participants recorded. By year (in "
            "TIME_ZONE), by kind, by territory (the approved TOS containing the "
            "event's point, else the organiser's TOS), totals. ETag / Last-Modified."
        ),
        parameters=[
            OpenApiParameter(
                "year",
                {
                    "type": "integer",
                    "minimum": figures.FIRST_YEAR,
                    "maximum": figures.LAST_YEAR,
                },
            ),
            OpenApiParameter("kind", OpenApiTypes.STR, description="a kind's code"),
            OpenApiParameter(
                "territory", {"type": "integer", "minimum": 1}, description="TOS id"
            ),
        ],
        responses={200: IndicatorsSerializer, 400: ErrorSerializer},
    )
    def get(self, request):
        chosen = figures.parse_filters(request.query_params.dict())
        now = timezone.now()
        etag, last_modified = figures.indicators_version(chosen, now)
        modified = int(last_modified.timestamp()) if last_modified else None
        cached = get_conditional_response(request, etag=etag, last_modified=modified)
        if cached is not None:
            return cached
        response = Response(figures.indicators(chosen, now))
        response["ETag"] = etag
        if modified:
            response["Last-Modified"] = http_date(modified)
        patch_cache_control(response, public=True, no_cache=True)
        return response
