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
from geo.errors import Refused
from geo.text import UNSTORABLE, storable_text

from .. import roles, services
from .serializers import AccountSerializer, CredentialsSerializer, TokenSerializer


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
