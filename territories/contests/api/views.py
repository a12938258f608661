"""Contests API (docs/domain.md, "Contests"). Views translate between HTTP and
`..services`; rules and permissions are the services'. Refusals are JSON
{"field", "error"} with a 4xx status. Nothing here shows a score before the season
is published (`..public`)."""

from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from geo.api.parsers import BoundedJSONParser
from geo.api.refusals import RefusingAPIView
from geo.api.serializers import ErrorSerializer, error
from geo.errors import NotFound, QueryError, Refused
from geo.numbers import whole_number

from .. import public, services
from ..services.entries import photo_rules
from .serializers import (
    ContestApplicationSerializer,
    ContestEditSerializer,
    ContestEntryDetailSerializer,
    ContestEntryListSerializer,
    ContestEntrySerializer,
    ContestModerationSerializer,
    ContestSeasonDetailSerializer,
    ContestSeasonSerializer,
    ContestSheetAnswerSerializer,
    ContestSheetSerializer,
    ContestStateChangeSerializer,
    EntryPhotosRequestSerializer,
)


def errors(*codes):
    return {code: ErrorSerializer for code in codes}


WRITE_ERRORS = errors(400, 401, 403, 404, 413, 415)


class ContestsAPIView(RefusingAPIView):
    permission_classes = [AllowAny]
    parser_classes = [BoundedJSONParser]

    def get_permissions(self):
        if self.request.method in ("POST", "PATCH"):
            return [IsAuthenticated()]
        return super().get_permissions()

    def body(self):
        data = self.request.data
        if isinstance(data, QueryDict):
            return data.dict()
        if not isinstance(data, dict):
            raise Refused("body", _("ожидается объект JSON"))
        return dict(data)

    def no_params(self):
        if self.request.query_params:
            raise QueryError(
                sorted(self.request.query_params)[0], _("неизвестный параметр")
            )

    def season(self, pk):
        found = public.seasons().filter(pk=pk).first()
        if found is None:
            raise NotFound("season", _("сезон конкурса не найден"))
        return found

    def entry(self, pk, status=200):
        entry = services.shown_entry(pk, self.request.user)
        data = dict(ContestEntryDetailSerializer(_with_placing(entry)).data)
        return Response(data, status=status)


def _with_placing(entry):
    # Not `entry.placing`: assigning None to a reverse one-to-one does not stick,
    # and reading it would fetch a placing whatever the season's state.
    entry.public_placing = public.placing(entry)
    return entry


class SeasonListView(ContestsAPIView):
    @extend_schema(
        operation_id="contests_seasons_list",
        summary="Сезоны конкурсов / contest seasons",
        responses={200: ContestSeasonSerializer(many=True), **errors(400)},
    )
    def get(self, request):
        self.no_params()
        return Response(ContestSeasonSerializer(public.seasons(), many=True).data)


class SeasonDetailView(ContestsAPIView):
    @extend_schema(
        operation_id="contests_seasons_retrieve",
        summary="Сезон конкурса / a season: nominations, criteria, the ranking",
        description="`ranking` stays empty until the season is published.",
        responses={200: ContestSeasonDetailSerializer, **errors(400, 404)},
    )
    def get(self, request, pk):
        self.no_params()
        season = self.season(pk)
        season.ranking = public.ranking(season)
        return Response(ContestSeasonDetailSerializer(season).data)


class SeasonEntriesView(ContestsAPIView):
    @extend_schema(
        operation_id="contests_entries_list",
        summary="Заявки сезона / the season's approved entries",
        responses={200: ContestEntryListSerializer, **errors(400, 404)},
    )
    def get(self, request, pk):
        self.no_params()
        rows = list(public.entries(self.season(pk)))
        return Response(
            {
                "count": len(rows),
                "results": ContestEntrySerializer(rows, many=True).data,
            }
        )

    @extend_schema(
        operation_id="contests_entries_create",
        summary="Подать заявку / apply (councils, TOS chairs, residents)",
        description="Photos are added afterwards (`…/photos/`), up to 10.",
        request=ContestApplicationSerializer,
        responses={201: ContestEntryDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        entry = services.apply(pk, self.body(), by=request.user)
        return self.entry(entry.pk, status=201)


class EntryDetailView(ContestsAPIView):
    @extend_schema(
        operation_id="contests_entries_retrieve",
        summary="Заявка / an entry (its place in the ranking once published)",
        responses={200: ContestEntryDetailSerializer, **errors(400, 404)},
    )
    def get(self, request, pk):
        self.no_params()
        return self.entry(pk)

    @extend_schema(
        operation_id="contests_entries_update",
        summary="Изменить заявку / edit an entry until the window closes",
        request=ContestEditSerializer,
        responses={200: ContestEntryDetailSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, pk):
        services.edit(pk, self.body(), by=request.user)
        return self.entry(pk)


class EntryPhotosView(ContestsAPIView):
    parser_classes = [MultiPartParser]

    def handle_exception(self, exc):
        if isinstance(exc, RequestDataTooBig):
            return error("photos", _("запрос слишком большой"), 413)
        if isinstance(exc, TooManyFilesSent):
            return error("photos", _("слишком много файлов"), 400)
        return super().handle_exception(exc)

    @extend_schema(
        operation_id="contests_entries_photos_add",
        summary="Фото заявки / add photos (10 in all at most)",
        request={"multipart/form-data": EntryPhotosRequestSerializer},
        responses={200: ContestEntryDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        if (
            request.META.get("CONTENT_LENGTH", "").isdigit()
            and int(request.META["CONTENT_LENGTH"]) > photo_rules().max_request_bytes()
        ):
            raise RequestDataTooBig
        files = [*request.FILES.getlist("photos"), *request.FILES.getlist("photos[]")]
        services.add_photos(pk, files, by=request.user)
        return self.entry(pk)


class ModerationView(ContestsAPIView):
    @extend_schema(
        operation_id="contests_entries_moderate",
        summary="Модерация / approve or reject an entry (specialists)",
        request=ContestModerationSerializer,
        responses={200: ContestEntryDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        data = self.body()
        services.moderate(
            pk, data.get("state"), data.get("reason") or "", by=request.user
        )
        return self.entry(pk)


class SheetView(ContestsAPIView):
    @extend_schema(
        operation_id="contests_entries_score",
        summary="Оценочный лист / a juror's sheet for an entry (all or nothing)",
        request=ContestSheetSerializer,
        responses={200: ContestSheetAnswerSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        number = whole_number(str(pk), 1)
        if number is None:
            raise NotFound("id", _("заявка не найдена"))
        stored = services.submit_sheet(
            number, self.body().get("scores"), by=request.user
        )
        return Response({"entry": number, "scored": len(stored)})


class StateView(ContestsAPIView):
    @extend_schema(
        operation_id="contests_seasons_state",
        summary="Сменить состояние сезона / next state (specialists)",
        request=ContestStateChangeSerializer,
        responses={200: ContestSeasonSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        data = self.body()
        season = services.change_state(
            pk, data.get("to"), by=request.user, expected=data.get("expected")
        )
        return Response(ContestSeasonSerializer(self.season(season.pk)).data)
