"""Forum API (docs/domain.md, "Forum"): rounds, projects and their tallies, votes,
moderation, winners, implementation and following it by e-mail. Views translate
between HTTP and `..services`; refusals are JSON {"field", "error"} with a 4xx."""

from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from geo.api.refusals import RefusingAPIView
from geo.api.serializers import ErrorSerializer, error
from geo.errors import NotFound, QueryError, Refused
from geo.numbers import BIGINT_MAX, whole_number
from geo.requester import Requester, body_longer_than

from ..models import Implementation, Project, Round
from ..services import implementation, photos, projects, voting, winners
from ..services.access import may_moderate
from .serializers import (
    ForumFollowedSerializer,
    ForumFollowSerializer,
    ForumImplementationInputSerializer,
    ForumImplementationSerializer,
    ForumModerationSerializer,
    ForumPhotosRequestSerializer,
    ForumProjectDetailSerializer,
    ForumProjectInputSerializer,
    ForumProjectSerializer,
    ForumRoundSerializer,
    ForumTallySerializer,
    ForumWinnersSerializer,
)


def errors(*codes):
    return {code: ErrorSerializer for code in codes}


WRITE_ERRORS = errors(400, 401, 403, 404, 413, 415)


def number(pk, field="id", message=None):
    found = whole_number(str(pk), 1, BIGINT_MAX)
    if found is None:
        raise NotFound(field, message or _("не найдено"))
    return found


class ForumAPIView(RefusingAPIView):
    permission_classes = [AllowAny]

    def body(self):
        if not isinstance(self.request.data, dict):
            raise Refused("body", _("ожидается объект JSON"))
        return dict(self.request.data)

    def project(self, pk):
        """A project the requester may see, with its tally."""
        found = (
            projects.visible_to(self.request.user)
            .with_votes()
            .select_related("territory", "council")
            .filter(pk=number(pk))
            .first()
        )
        if found is None:
            raise NotFound("id", _("проект не найден"))
        return found

    def detail(self, pk, status=200):
        row = self.project(pk)
        user = self.request.user
        own = user.is_authenticated and row.author_id == user.pk
        context = {
            "reason": row.reason if (own or may_moderate(user)) else None,
            "voted": voting.has_voted(row, user),
        }
        data = ForumProjectDetailSerializer(row, context=context).data
        return Response(data, status=status)


class RoundListView(ForumAPIView):
    @extend_schema(
        operation_id="forum_rounds_list",
        summary="Сессии форума / forum rounds",
        responses={200: ForumRoundSerializer(many=True)},
    )
    def get(self, request):
        return Response(ForumRoundSerializer(Round.objects.all(), many=True).data)


ROUND_PARAMETER = OpenApiParameter(
    "round", int, description="Only the projects of this round."
)


class ProjectListView(ForumAPIView):
    def get_permissions(self):
        if self.request.method == "POST":
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(
        operation_id="forum_projects_list",
        summary="Проекты форума с числом голосов / projects and their tallies",
        description="Projects admitted to the vote and the winners; never a voter.",
        parameters=[ROUND_PARAMETER],
        responses={200: ForumProjectSerializer(many=True), **errors(400)},
    )
    def get(self, request):
        unknown = sorted(set(request.query_params) - {"round"})
        if unknown:
            raise QueryError(unknown[0], _("неизвестный параметр"))
        rows = Project.objects.public().ranked().select_related("territory", "council")
        if "round" in request.query_params:
            found = whole_number(request.query_params["round"], 1, BIGINT_MAX)
            if found is None:
                raise QueryError("round", _("номер сессии — целое число"))
            rows = rows.filter(round_id=found)
        return Response(ForumProjectSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="forum_projects_create",
        summary="Предложить проект / submit a project (verified persons)",
        request=ForumProjectInputSerializer,
        responses={201: ForumProjectDetailSerializer, **WRITE_ERRORS, **errors(429)},
    )
    def post(self, request):
        row = projects.submit(self.body(), by=Requester.of(request))
        return self.detail(row.pk, status=201)


class ProjectDetailView(ForumAPIView):
    @extend_schema(
        operation_id="forum_projects_retrieve",
        summary="Проект форума / a project",
        responses={200: ForumProjectDetailSerializer, **errors(404)},
    )
    def get(self, request, pk):
        return self.detail(pk)


class ModerationView(ForumAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="forum_projects_moderate",
        summary="Допустить или отклонить / approve or reject (specialists)",
        description="400 on `window`: approving after the round's vote closed.",
        request=ForumModerationSerializer,
        responses={200: ForumProjectDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        data = self.body()
        projects.moderate(
            number(pk),
            data.get("decision"),
            data.get("reason", ""),
            by=Requester.of(request),
        )
        return self.detail(pk)


class VoteView(ForumAPIView):
    permission_classes = [IsAuthenticated]

    def tally(self, pk, votes):
        voted = voting.has_voted(Project(pk=pk), self.request.user)
        return Response({"project": pk, "votes": votes, "voted": voted})

    @extend_schema(
        operation_id="forum_vote",
        summary="Проголосовать / vote for a project (verified persons)",
        description=(
            "403 on `verification` (no verified contact) or `author` (one's own "
            "project, where the round forbids it); 400 on `window`, `vote` "
            "(already voted), `limit` (the round's votes per person), `state`."
        ),
        request=None,
        responses={200: ForumTallySerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        pk = number(pk)
        return self.tally(pk, voting.vote(pk, by=Requester.of(request)))

    @extend_schema(
        operation_id="forum_vote_withdraw",
        summary="Отозвать голос / withdraw one's vote (while the window is open)",
        request=None,
        responses={200: ForumTallySerializer, **errors(400, 401, 403, 404)},
    )
    def delete(self, request, pk):
        pk = number(pk)
        return self.tally(pk, voting.withdraw(pk, by=Requester.of(request)))


class WinnersView(ForumAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="forum_round_winners",
        summary="Выбрать победителей / choose a closed round's winners (specialists)",
        description="All or nothing; each winner becomes an implementation project.",
        request=ForumWinnersSerializer,
        responses={201: ForumImplementationSerializer(many=True), **WRITE_ERRORS},
    )
    def post(self, request, pk):
        data = self.body()
        chosen = winners.choose_winners(
            number(pk),
            data.get("projects"),
            data.get("responsible", ""),
            by=Requester.of(request),
        )
        rows = (
            Implementation.objects.select_related("project")
            .prefetch_related("photos")
            .filter(project__in=chosen)
        )
        return Response(ForumImplementationSerializer(rows, many=True).data, status=201)


class ImplementationListView(ForumAPIView):
    @extend_schema(
        operation_id="forum_implementation_list",
        summary="Реализация проектов / implementation projects",
        responses={200: ForumImplementationSerializer(many=True)},
    )
    def get(self, request):
        rows = (
            Implementation.objects.select_related("project")
            .prefetch_related("photos")
            .order_by("pk")
        )
        return Response(ForumImplementationSerializer(rows, many=True).data)


class ImplementationDetailView(ForumAPIView):
    def get_permissions(self):
        if self.request.method == "PATCH":
            return [IsAuthenticated()]
        return super().get_permissions()

    def shown(self, pk):
        return self.shown_by(pk)

    @staticmethod
    def shown_by(pk):
        row = (
            Implementation.objects.select_related("project")
            .prefetch_related("photos")
            .filter(pk=number(pk))
            .first()
        )
        if row is None:
            raise NotFound("id", _("проект не найден"))
        return Response(ForumImplementationSerializer(row).data)

    @extend_schema(
        operation_id="forum_implementation_retrieve",
        summary="Реализация проекта / an implementation project",
        responses={200: ForumImplementationSerializer, **errors(404)},
    )
    def get(self, request, pk):
        return self.shown(pk)

    @extend_schema(
        operation_id="forum_implementation_update",
        summary="Изменить статус и даты / change status and dates (specialists)",
        description="Followers are told of a new status by mail (jobs).",
        request=ForumImplementationInputSerializer,
        responses={200: ForumImplementationSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, pk):
        implementation.change(number(pk), self.body(), by=Requester.of(request))
        return self.shown(pk)


class FollowView(ForumAPIView):
    @extend_schema(
        operation_id="forum_implementation_follow",
        summary="Следить по e-mail / follow by e-mail (a confirmation is mailed)",
        request=ForumFollowSerializer,
        responses={
            202: ForumFollowedSerializer,
            **errors(400, 403, 404, 413, 415, 429),
        },
    )
    def post(self, request, pk):
        implementation.follow(
            number(pk), self.body().get("email"), by=Requester.of(request)
        )
        return Response(
            {"detail": _("Письмо со ссылкой для подтверждения отправлено.")},
            status=202,
        )


class PhotosAPIView(ForumAPIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    def handle_exception(self, exc):
        if isinstance(exc, RequestDataTooBig):
            rules = photos.photo_rules()
            message = _(
                "запрос слишком большой: не больше %(n)d фотографий по %(mb)d МБ"
            )
            return error(
                "photos",
                message
                % {"n": rules.max_photos, "mb": rules.max_bytes // (1024 * 1024)},
                413,
            )
        if isinstance(exc, TooManyFilesSent):
            return error("photos", _("слишком много файлов"), 400)
        return super().handle_exception(exc)

    def files(self):
        # Refused unread when the declared body could not be photos within the caps.
        if body_longer_than(self.request, photos.photo_rules().max_request_bytes()):
            raise RequestDataTooBig
        return [
            *self.request.FILES.getlist("photos"),
            *self.request.FILES.getlist("photos[]"),
        ]


class ProjectPhotosView(PhotosAPIView):
    @extend_schema(
        operation_id="forum_project_photos_add",
        summary="Фото проекта / add photos to a project (its author, specialists)",
        description="multipart/form-data, field `photos` (repeated); all or none.",
        request={"multipart/form-data": ForumPhotosRequestSerializer},
        responses={200: ForumProjectDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        files = self.files()
        photos.add_project_photos(number(pk), files, by=Requester.of(request))
        return self.detail(pk)


class ImplementationPhotosView(PhotosAPIView):
    @extend_schema(
        operation_id="forum_implementation_photos_add",
        summary="Фото до и после / photos before and after (specialists)",
        description="multipart/form-data: `stage` (before or after), `photos`.",
        request={"multipart/form-data": ForumPhotosRequestSerializer},
        responses={200: ForumImplementationSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        files = self.files()
        photos.add_implementation_photos(
            number(pk), request.data.get("stage"), files, by=Requester.of(request)
        )
        return ImplementationDetailView().shown_by(pk)
