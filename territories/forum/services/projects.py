"""Residents submit projects to a round; specialists admit them to the vote or
reject them with a reason the author sees (docs/domain.md, "Forum")."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geo import limits
from geo.errors import NotFound, Refused
from geo.numbers import BIGINT_MAX, whole_number
from geo.text import storable_text
from territories.registry.models import Council, Territory

from ..models import Project, Round
from .access import check_person, check_specialist
from .places import read_place

State = Project.State

PROJECTS_PER_ACCOUNT = limits.Limit(
    "forum-project",
    "FORUM_PROJECTS_HOURLY_PER_ACCOUNT",
    timedelta(hours=1),
    "rate",
    gettext_lazy("слишком много проектов за час; попробуйте позже"),
)


def _text(data, field, limit, required=True):
    value = storable_text(field, data.get(field)).strip()
    if required and not value:
        raise Refused(field, _("заполните поле"))
    if len(value) > limit:
        raise Refused(field, _("не длиннее %d знаков") % limit)
    return value


def _budget(raw):
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise Refused("budget", _("целое число рублей"))
    number = whole_number(str(raw), 0, BIGINT_MAX)
    if number is None:
        raise Refused("budget", _("целое число рублей"))
    if number <= 0:
        raise Refused("budget", _("стоимость больше нуля"))
    if number > settings.FORUM_MAX_BUDGET:
        raise Refused("budget", _("не больше %d рублей") % settings.FORUM_MAX_BUDGET)
    return number


def _by_id(model, raw, field, message, queryset=None):
    if raw in (None, ""):
        return None
    number = (
        whole_number(str(raw), 1, BIGINT_MAX) if not isinstance(raw, bool) else None
    )
    found = (queryset or model.objects).filter(pk=number).first() if number else None
    if found is None:
        raise Refused(field, message)
    return found


def open_round(raw):
    found = _by_id(Round, raw, "round", _("нет такой сессии форума"))
    if found is None:
        raise Refused("round", _("укажите сессию форума"))
    if found.closes_at <= timezone.now():
        raise Refused("round", _("приём проектов в эту сессию закончен"))
    return found


def submit(data, *, by):
    """A new project of `by.account` (a verified person), submitted for
    moderation; Refused naming the field, nothing stored."""
    check_person(by.account)
    if not isinstance(data, dict):
        raise Refused("body", _("ожидается объект JSON"))
    values = {
        "title": _text(data, "title", 200),
        "description": _text(data, "description", settings.FORUM_MAX_DESCRIPTION),
        "budget": _budget(data.get("budget")),
        "round": open_round(data.get("round")),
        "territory": _by_id(
            Territory,
            data.get("territory"),
            "territory",
            _("нет такого ТОС"),
            Territory.objects.approved(),
        ),
        "council": _by_id(
            Council, data.get("council"), "council", _("нет такого совета")
        ),
    }
    values["geom"], values["area"] = read_place(data.get("geometry"))
    with transaction.atomic():
        limits.check(PROJECTS_PER_ACCOUNT, by.account.pk)
        project = Project.objects.create(
            author=by.account, state=State.SUBMITTED, **values
        )
        limits.record(PROJECTS_PER_ACCOUNT, by.account.pk)
    return project


def moderate(project_id, decision, reason="", *, by):
    """Admit (`approve`) or reject (`reject`, with a reason) a submitted project."""
    check_specialist(by.account)
    if decision not in ("approve", "reject"):
        raise Refused("decision", _("решение: approve или reject"))
    reason = storable_text("reason", reason).strip() if reason else ""
    if decision == "reject" and not reason:
        raise Refused("reason", _("укажите причину отказа: её увидит автор"))
    if len(reason) > 2000:
        raise Refused("reason", _("не длиннее 2000 знаков"))
    with transaction.atomic():
        project = Project.objects.select_for_update().filter(pk=project_id).first()
        if project is None:
            raise NotFound("id", _("проект не найден"))
        if project.state != State.SUBMITTED:
            raise Refused("state", _("проект уже рассмотрен"))
        # A project approved after the vote closed would stand on a ballot nobody
        # can vote on any more (docs/domain.md, forum moderation).
        if decision == "approve" and project.round.closes_at <= timezone.now():
            raise Refused(
                "window", _("голосование закрыто: проект уже нельзя допустить")
            )
        project.state = State.APPROVED if decision == "approve" else State.REJECTED
        project.reason = reason if decision == "reject" else ""
        project.moderated_by = by.account
        project.moderated_at = timezone.now()
        project.save()
    return project


def visible_to(account):
    """The projects `account` may see: the public ones, their own, and all for
    specialists."""
    from .access import may_moderate

    if may_moderate(account):
        return Project.objects.all()
    if account is not None and account.is_authenticated:
        from django.db.models import Q

        return Project.objects.filter(
            Q(state__in=("approved", "winner")) | Q(author=account)
        )
    return Project.objects.public()
