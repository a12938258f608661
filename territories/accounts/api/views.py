"""Accounts API: a script exchanges its account's credentials for a token, then
sends `Authorization: Token <key>` (docs/architecture.md, "Accounts and tokens").
Refusals are JSON {"field": ..., "error": ...}."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from geo.api.csrf import SameSiteSessionAuthentication
from geo.api.refusals import RefusingAPIView
from geo.api.serializers import ErrorSerializer
from geo.errors import NotFound, Refused
from geo.numbers import BIGINT_MAX, whole_number
from geo.requester import Requester
from geo.text import UNSTORABLE, storable_text

from .. import roles, services, verification
from .serializers import (
    AccountSerializer,
    CodeConfirmSerializer,
    CodeRequestSerializer,
    CredentialsSerializer,
    PersonSerializer,
    TokenSerializer,
    VerificationSerializer,
)


class AccountsAPIView(RefusingAPIView):
    pass


class TokenView(AccountsAPIView):
    # Credentials in, a token out: a token sent along (perhaps the stale one being
    # replaced) is not read. The same-site check stays: another site's page must
    # not make its visitors' browsers guess passwords from their addresses.
    authentication_classes = [SameSiteSessionAuthentication]

    @extend_schema(
        operation_id="auth_token",
        summary="Токен для скриптов / an API token for scripts",
        description=(
            "Имя и пароль учётной записи (JSON или поля формы). Ответ: токен для "
            "заголовка `Authorization: Token <token>`; тот же при каждом запросе. "
            "400 — неверные имя или пароль; 429 с Retry-After — вход закрыт после "
            "неудачных попыток."
        ),
        request={
            "application/json": CredentialsSerializer,
            "application/x-www-form-urlencoded": CredentialsSerializer,
        },
        responses={
            200: TokenSerializer,
            **{code: ErrorSerializer for code in (400, 403, 413, 415, 429)},
        },
    )
    def post(self, request):
        data = request.data
        if not isinstance(data, dict):
            raise Refused("body", _("ожидается JSON-объект или поля формы"))
        username = storable_text("username", data.get("username"))
        if not username:
            raise Refused("username", _("укажите имя пользователя"))
        password = _password(data.get("password"))
        return Response({"token": services.issue_token(request, username, password)})


def _password(value):
    """The password as sent (spaces are part of it), or Refused."""
    if value is None or value == "":
        raise Refused("password", _("укажите пароль"))
    if not isinstance(value, str):
        raise Refused("password", _("ожидается текст"))
    if UNSTORABLE.search(value):
        raise Refused("password", _("недопустимый символ в пароле"))
    return value


class AccountView(AccountsAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_me",
        summary="Чья это учётная запись / whose account this is",
        description="Имя и роли учётной записи, от чьего имени идёт запрос.",
        responses={200: AccountSerializer, 401: ErrorSerializer},
    )
    def get(self, request):
        user = request.user
        held = roles.roles_of(user)
        return Response(
            {
                "username": user.get_username(),
                "roles": [
                    {"code": role.value, "title": str(roles.TITLES[role])}
                    for role in roles.Role
                    if role in held
                ],
            }
        )


# --- verified contacts (docs/domain.md, "Verified persons") --------------------------


def _errors(*codes):
    return {code: ErrorSerializer for code in codes}


def _shown(row):
    return {
        "id": row.pk,
        "channel": row.channel,
        "value": row.value,
        "expires_at": row.expires_at,
        "verified_at": row.verified_at,
    }


def _body(request):
    if not isinstance(request.data, dict):
        raise Refused("body", _("ожидается объект JSON"))
    return dict(request.data)


class VerificationsView(AccountsAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="accounts_contacts",
        summary="Мои подтверждённые контакты / my verified contacts",
        responses={200: PersonSerializer, **_errors(401)},
    )
    def get(self, request):
        rows = verification.verified(request.user).order_by("verified_at", "pk")
        shown = [_shown(row) for row in rows]
        return Response({"person": bool(shown), "contacts": shown})

    @extend_schema(
        operation_id="accounts_verification_request",
        summary="Запросить код / send a one-time code to a contact",
        description=(
            "The code goes by e-mail or SMS (a job). A contact verified by another "
            "account is answered the same (201, counted) but gets no code; confirming "
            "it is refused. 400 names `channel` or `value`; 429 with Retry-After "
            "names `rate` (per account, per client) or `value` (per contact)."
        ),
        request=CodeRequestSerializer,
        responses={
            201: VerificationSerializer,
            **_errors(400, 401, 403, 413, 415, 429),
        },
    )
    def post(self, request):
        row = verification.request_code(_body(request), by=Requester.of(request))
        return Response(_shown(row), status=201)


class VerificationConfirmView(AccountsAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="accounts_verification_confirm",
        summary="Подтвердить код / confirm a contact with its code",
        description=(
            "400 on `code`: wrong (an attempt counted), used, expired, too many "
            "attempts; 400 on `value`: the contact was verified by another account; "
            "404 on `verification`: not this account's request."
        ),
        request=CodeConfirmSerializer,
        responses={
            200: VerificationSerializer,
            **_errors(400, 401, 403, 404, 413, 415),
        },
    )
    def post(self, request, pk):
        number = whole_number(str(pk), 1, BIGINT_MAX)
        if number is None:
            raise NotFound("verification", _("запрос кода не найден"))
        row = verification.confirm(
            number, _body(request).get("code"), by=Requester.of(request)
        )
        return Response(_shown(row))
