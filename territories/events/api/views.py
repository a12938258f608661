"""Events API (docs/domain.md, "Events"): the calendar's events, an organiser's
writes, residents' sign-ups without an account and their cancel links. Views
translate between HTTP and `..services`; rules and permissions are the services'.
Refusals are JSON {"field", "error"} with a 4xx status."""

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from geo import paging
from geo.api.refusals import RefusingAPIView
from geo.api.serializers import ErrorSerializer
from geo.errors import NotFound, QueryError, Refused
from geo.numbers import BIGINT_MAX, whole_number
from geo.paging import page_of
from geo.requester import Requester

from .. import filters, services
from ..links import cancel_path
from ..models import Event, EventKind
from .serializers import (
    CancelInputSerializer,
    CancelledSerializer,
    EventDetailSerializer,
    EventInputSerializer,
    EventPageSerializer,
    EventSerializer,
    KindSerializer,
    NewKindSerializer,
    RegistrationSerializer,
    SignUpInputSerializer,
    SignUpSerializer,
)

LIST_PARAMETERS = (*filters.PARAMETERS, *paging.schemas())


def errors(*codes):
    return {code: ErrorSerializer for code in codes}


# Writes by a session also meet the same-site check (403 csrf); bodies are capped
# (413) and must be JSON (415).
WRITE_ERRORS = errors(400, 401, 403, 404, 413, 415)
PUBLIC_WRITE_ERRORS = errors(400, 403, 404, 413, 415, 429)


def events():
    return Event.objects.public().for_display().with_places()


class EventsAPIView(RefusingAPIView):
    permission_classes = [AllowAny]

    def event(self, pk, queryset=None):
        number = whole_number(str(pk), 1, BIGINT_MAX)
        queryset = events() if queryset is None else queryset
        found = queryset.filter(pk=number).first() if number else None
        if found is None:
            raise NotFound("id", _("мероприятие не найдено"))
        return found

    def body(self):
        data = self.request.data
        if isinstance(data, QueryDict):  # a form's fields: one value each
            return data.dict()
        if not isinstance(data, dict):
            raise Refused("body", _("ожидается объект JSON"))
        return dict(data)

    def detail(self, pk, status=200):
        return Response(EventDetailSerializer(self.event(pk)).data, status=status)


class EventListView(EventsAPIView):
    def get_permissions(self):
        if self.request.method == "POST":
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(
        operation_id="events_list",
        summary="Мероприятия / events (calendar)",
        parameters=[
            *(
                OpenApiParameter(name, filters.SCHEMAS[name], description=str(text))
                for name, text in filters.PARAMETERS.items()
            ),
            *(
                OpenApiParameter(name, schema)
                for name, schema in paging.schemas().items()
            ),
        ],
        responses={200: EventPageSerializer, **errors(400)},
    )
    def get(self, request):
        params = request.query_params
        unknown = sorted(set(params) - set(LIST_PARAMETERS))
        if unknown:
            raise QueryError(unknown[0], _("неизвестный параметр"))
        queryset = filters.filter_events(params, events())
        total, rows, page, size = page_of(queryset, params)
        return Response(
            {
                "count": total,
                "next": self.link(page + 1) if page * size < total else None,
                "previous": self.link(page - 1) if page > 1 else None,
                "results": EventSerializer(rows, many=True).data,
            }
        )

    def link(self, page):
        params = self.request.query_params.copy()
        params["page"] = str(page)
        url = f"{reverse('event-list-api')}?{params.urlencode()}"
        return self.request.build_absolute_uri(url)

    @extend_schema(
        operation_id="events_create",
        summary="Новое мероприятие / create an event (organisers)",
        request=EventInputSerializer,
        responses={201: EventDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request):
        event = services.create_event(self.body(), by=request.user)
        return self.detail(event.pk, status=201)


class EventDetailView(EventsAPIView):
    def get_permissions(self):
        if self.request.method == "PATCH":
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(
        operation_id="events_retrieve",
        summary="Мероприятие / an event",
        responses={200: EventDetailSerializer, **errors(404)},
    )
    def get(self, request, pk):
        return self.detail(pk)

    @extend_schema(
        operation_id="events_partial_update",
        summary="Изменить мероприятие / change an event (its organiser)",
        request=EventInputSerializer(partial=True),
        responses={200: EventDetailSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, pk):
        event = self.event(pk, Event.objects.all())
        services.edit_event(event, self.body(), by=request.user)
        return self.detail(event.pk)


class EventCancelView(EventsAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="events_cancel",
        summary="Отменить мероприятие / cancel an event (its organiser)",
        description="Everyone signed up with an e-mail is told by mail.",
        request=None,
        responses={200: EventDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        event = self.event(pk, Event.objects.all())
        services.cancel_event(event, by=request.user)
        return self.detail(event.pk)


class RegistrationsView(EventsAPIView):
    def get_permissions(self):
        if self.request.method == "GET":
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(
        operation_id="events_registrations_list",
        summary="Записавшиеся / registrations (the organiser only)",
        responses={200: RegistrationSerializer(many=True), **errors(401, 403, 404)},
    )
    def get(self, request, pk):
        event = self.event(pk, Event.objects.all())
        services.check_may_manage(request.user, event)
        rows = event.registrations.order_by("created_at", "pk")
        return Response(RegistrationSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="events_register",
        summary="Записаться / sign up (no account needed)",
        description=(
            "A name and an e-mail or a phone. The answer's cancel_token and "
            "cancel_url are shown once (and mailed, if an e-mail is given). "
            "A full event puts the newcomer on the waitlist."
        ),
        request=SignUpInputSerializer,
        responses={201: SignUpSerializer, **PUBLIC_WRITE_ERRORS},
    )
    def post(self, request, pk):
        event = self.event(pk, Event.objects.all())
        signup = services.register(event, self.body(), by=Requester.of(request))
        data = {
            "state": signup.registration.state,
            "cancel_token": signup.token,
            "cancel_url": request.build_absolute_uri(cancel_path(signup.token)),
        }
        return Response(data, status=201)


class RegistrationCancelView(EventsAPIView):
    @extend_schema(
        operation_id="events_registration_cancel",
        summary="Отменить запись / cancel a sign-up by its secret token",
        request=CancelInputSerializer,
        responses={200: CancelledSerializer, **PUBLIC_WRITE_ERRORS},
    )
    def post(self, request):
        registration = services.cancel_registration(self.body().get("token"))
        return Response({"state": registration.state, "event": registration.event_id})


class KindsView(EventsAPIView):
    def get_permissions(self):
        if self.request.method == "POST":
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(
        operation_id="events_kinds_list",
        summary="Виды мероприятий / kinds of events",
        responses={200: KindSerializer(many=True)},
    )
    def get(self, request):
        return Response(KindSerializer(EventKind.objects.all(), many=True).data)

    @extend_schema(
        operation_id="events_kinds_create",
        summary="Добавить вид мероприятия / add a kind (organisers)",
        request=NewKindSerializer,
        responses={201: KindSerializer, **errors(400, 401, 403, 413, 415)},
    )
    def post(self, request):
        kind = services.create_kind(self.body().get("name"), by=request.user)
        return Response(KindSerializer(kind).data, status=201)
