"""Accounts: made by the operator with their roles and TOS, and the API token a
script signs in with (docs/domain.md, "Roles"; docs/architecture.md, "Accounts and
tokens"). Both refuse with a domain error naming the field."""

import math
from datetime import timedelta

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables
from rest_framework.authtoken.models import Token

from geo import limits
from geo.errors import RateLimited, Refused
from geo.signin import LOCKED_UNTIL, MESSAGE, shown_time
from territories.registry.models import Council, Territory

from . import roles
from .roles import Role

# Roles that are given for particular TOS (`--territory`).
WITH_TERRITORIES = (Role.CHAIR, Role.INITIATIVE)


@sensitive_variables("password")
def issue_token(request, username, password):
    """The API token of the account these credentials open, made on first use.
    The credentials go through the sign-in throttle like every sign-in
    (geo/signin.py): during a lockout even the right password is refused."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        until = getattr(request, LOCKED_UNTIL, None)
        if until is not None:
            raise locked_out(until)
        # One answer for an unknown name and a wrong password: nothing leaks.
        raise Refused("password", _("неверное имя пользователя или пароль"))
    return Token.objects.get_or_create(user=user)[0].key


def locked_out(until):
    wait = math.ceil((until - timezone.now()).total_seconds())
    message = MESSAGE % {"until": shown_time(until)}
    return RateLimited("username", message, retry_after=max(wait, 1))


@transaction.atomic
@sensitive_variables("password")
def enroll(username, role, *, password=None, email=None, territories=(), councils=()):
    """Make the account `username` (or take the one there is) and give it `role`,
    in addition to those it holds; a chair chairs, an initiative group member joins
    the group of, each TOS of `territories` (by name). Returns the account and what
    changed, as sentences: none when everything already was so. The password is
    the operator's choice (not checked against the validators), never empty."""
    role = Role(role)
    if territories and role not in WITH_TERRITORIES:
        raise Refused(
            "territory",
            _("ТОС указывают только председателю и члену инициативной группы"),
        )
    if councils and role != Role.COUNCIL:
        raise Refused("council", _("совет указывают только представителю совета"))
    places = territories_named(territories)
    bodies = councils_named(councils)
    user, changes = _account(username, password, email)
    if _grant(user, role):
        changes.append(_("роль: %(title)s") % {"title": roles.TITLES[role]})
    for territory in places:
        changes += _attach(user, role, territory)
    for council in bodies:
        if not council.members.filter(pk=user.pk).exists():
            council.members.add(user)
            changes.append(
                _("представитель совета «%(name)s»") % {"name": council.name}
            )
    return user, changes


def territories_named(names):
    """The TOS of these names, in order, or Refused naming the unknown one."""
    by_name = {t.name: t for t in Territory.objects.filter(name__in=names)}
    for name in names:
        if name not in by_name:
            known = Territory.objects.order_by("name").values_list("name", flat=True)
            raise Refused(
                "territory",
                _("нет ТОС «%(name)s»; есть: %(known)s")
                % {"name": name, "known": ", ".join(known) or "—"},
            )
    return [by_name[name] for name in dict.fromkeys(names)]


def councils_named(names):
    """The councils of these names, in order, or Refused naming the unknown one
    (several councils may share a name: the first by id is taken)."""
    found = {}
    for council in Council.objects.filter(name__in=names).order_by("-pk"):
        found[council.name] = council
    for name in names:
        if name not in found:
            raise Refused("council", _("нет совета «%(name)s»") % {"name": name})
    return [found[name] for name in dict.fromkeys(names)]


def _account(username, password, email):
    User = get_user_model()
    if password is not None and not password:
        raise Refused("password", _("пароль не может быть пустым"))
    if email:
        _check_email(email)
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
    if user is None:
        return _new_account(User, username, password, email)
    changes = []
    if password is not None and not user.check_password(password):
        user.set_password(password)
        changes.append(_("пароль изменён"))
    if email and user.email != email:
        user.email = email
        changes.append(_("e-mail: %(email)s") % {"email": email})
    if changes:
        user.save(update_fields=["password", "email"])
    return user, changes


def _new_account(User, username, password, email):
    try:
        User.username_validator(username)
    except ValidationError as error:
        raise Refused("username", error.messages[0]) from None
    if len(username) > User._meta.get_field(User.USERNAME_FIELD).max_length:
        raise Refused("username", _("имя пользователя слишком длинное"))
    if not password:
        raise Refused("password", _("новой учётной записи нужен пароль"))
    user = User.objects.create_user(username, email or "", password)
    return user, [_("создана учётная запись %(username)s") % {"username": username}]


def _check_email(email):
    try:
        validate_email(email)
    except ValidationError:
        raise Refused("email", _("неверный адрес e-mail: %s") % email) from None


def _grant(user, role):
    """Whether granting the role changed anything (group, staff, superuser)."""

    def state():
        groups = frozenset(user.groups.values_list("name", flat=True))
        return groups, user.is_staff, user.is_superuser

    before = state()
    roles.grant(user, role)
    return state() != before


def _attach(user, role, territory):
    if role == Role.CHAIR:
        return _make_chair(user, territory)
    if territory.initiative_group.filter(pk=user.pk).exists():
        return []
    territory.initiative_group.add(user)
    return [_("в инициативной группе ТОС «%(tos)s»") % {"tos": territory.name}]


def _make_chair(user, territory):
    if territory.chair_user_id == user.pk:
        return []
    previous = territory.chair_user
    territory.chair_user = user
    territory.save(update_fields=["chair_user"])
    if previous is None:
        return [_("председатель ТОС «%(tos)s»") % {"tos": territory.name}]
    return [
        _("председатель ТОС «%(tos)s» вместо %(previous)s")
        % {"tos": territory.name, "previous": previous.get_username()}
    ]


# --- residents register themselves (docs/domain.md, "Verified persons") -------------

REGISTRATIONS_PER_CLIENT = limits.Limit(
    "account-register",
    "ACCOUNT_REGISTRATIONS_HOURLY_PER_CLIENT",
    timedelta(hours=1),
    "rate",
    gettext_lazy("слишком много новых учётных записей с этого адреса за час"),
)


@sensitive_variables("password")
def register_resident(username, password, *, by):
    """A new account with the resident's role, or Refused naming `username` or
    `password` (Django's password validators apply). Counted per client address."""
    User = get_user_model()
    username = username.strip() if isinstance(username, str) else ""
    if not username:
        raise Refused("username", _("укажите имя пользователя"))
    if not isinstance(password, str) or not password:
        raise Refused("password", _("укажите пароль"))
    limits.spend(REGISTRATIONS_PER_CLIENT, f"address:{by.ip}")
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise Refused("username", _("это имя пользователя уже занято"))
        candidate = User(username=username)
        try:
            User.username_validator(username)
            if len(username) > 150:
                raise ValidationError(_("имя пользователя слишком длинное"))
        except ValidationError as error:
            raise Refused("username", error.messages[0]) from None
        try:
            validate_password(password, candidate)
        except ValidationError as error:
            raise Refused("password", " ".join(error.messages)) from None
        user = User.objects.create_user(username, "", password)
        roles.grant(user, Role.RESIDENT)
    return user
