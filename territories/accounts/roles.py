"""The roles of the platform (docs/domain.md, "Roles") and the questions the domains'
services ask about an account. A role is a Django group; the group's name is the
role's Russian title, created by this app's migration, so the admin shows it as is.

Services decide from these functions alone, never from `is_staff` or group names
directly, so that every write path (REST, pages, admin actions, scripts) asks the
same questions."""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Жители")
    CHAIR = "chair", _("Председатели ТОС")
    INITIATIVE = "initiative", _("Инициативные группы")
    SPECIALIST = "specialist", _("Специалисты центра поддержки")
    PLANNER = "planner", _("Планировщики")
    ADMIN = "admin", _("Администраторы")
    COUNCIL = "council", _("Представители советов")
    CENTRE_STAFF = "centre_staff", _("Сотрудники ресурсных центров")


# The group of each role, by name: fixed Russian strings (not translated), as stored.
GROUP_NAMES = {
    Role.RESIDENT: "Жители",
    Role.CHAIR: "Председатели ТОС",
    Role.INITIATIVE: "Инициативные группы",
    Role.SPECIALIST: "Специалисты центра поддержки",
    Role.PLANNER: "Планировщики",
    Role.ADMIN: "Администраторы",
    Role.COUNCIL: "Представители советов",
    Role.CENTRE_STAFF: "Сотрудники ресурсных центров",
}


# What one holder of a role is called (the header's list of one's roles).
TITLES = {
    Role.RESIDENT: _("житель"),
    Role.CHAIR: _("председатель ТОС"),
    Role.INITIATIVE: _("член инициативной группы"),
    Role.SPECIALIST: _("специалист центра поддержки"),
    Role.PLANNER: _("планировщик"),
    Role.ADMIN: _("администратор"),
    Role.COUNCIL: _("представитель совета"),
    Role.CENTRE_STAFF: _("сотрудник ресурсного центра"),
}


def group_of(role):
    return Group.objects.get_or_create(name=GROUP_NAMES[Role(role)])[0]


def roles_of(user):
    """The roles an account holds; a superuser holds the administrator's."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_roles_cache", None)
    if cached is None:
        by_name = {name: role for role, name in GROUP_NAMES.items()}
        names = user.groups.values_list("name", flat=True)
        cached = frozenset(by_name[n] for n in names if n in by_name)
        if user.is_superuser:
            cached |= {Role.ADMIN}
        user._roles_cache = cached
    return cached


def titles_of(user):
    """What the account is, one title per role, in the order of `Role`."""
    held = roles_of(user)
    return [TITLES[role] for role in Role if role in held]


def has_role(user, *roles):
    """Whether the account holds any of `roles`."""
    return bool(roles_of(user) & set(roles))


def is_admin(user):
    return has_role(user, Role.ADMIN)


def is_planner(user):
    """Planners approve and return boundaries; administrators may do all they may."""
    return has_role(user, Role.PLANNER, Role.ADMIN)


def is_specialist(user):
    """A support-centre specialist works the reports; staff accounts made before
    roles existed count as specialists, as they always did."""
    return has_role(user, Role.SPECIALIST, Role.ADMIN) or bool(
        user is not None and user.is_authenticated and user.is_active and user.is_staff
    )


def grant(user, role):
    """Give `user` the role (idempotent). Specialists and administrators need the
    admin site, so they are staff; an administrator is a superuser."""
    role = Role(role)
    user.groups.add(group_of(role))
    if role in (Role.SPECIALIST, Role.ADMIN):
        user.is_staff = True
    if role == Role.ADMIN:
        user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    user.__dict__.pop("_roles_cache", None)
