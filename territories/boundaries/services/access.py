"""Who may do what with a territory's boundary (docs/domain.md, "Roles"): the one
place the boundary services ask, so every write path inherits the same answers."""

from django.utils.translation import gettext as _

from geo.errors import Forbidden
from territories.accounts import roles


def may_edit(user, territory):
    """Draw and submit: the territory's chair, a member of the initiative group that
    proposed it, an administrator."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if roles.is_admin(user):
        return True
    if territory.chair_user_id == user.pk:
        return True
    # .all(): a list of territories prefetches their groups once for all of them.
    return any(member.pk == user.pk for member in territory.initiative_group.all())


def may_review(user):
    """Approve, return, restore: planners (and administrators)."""
    return roles.is_planner(user)


def may_propose(user):
    """Propose a new TOS: initiative groups, chairs, administrators."""
    return roles.has_role(
        user, roles.Role.INITIATIVE, roles.Role.CHAIR, roles.Role.ADMIN
    )


def may_see_drafts(user, territory):
    """Drafts and returned versions are not public: their editors, planners and the
    support centre's specialists see them."""
    return may_edit(user, territory) or may_review(user) or roles.is_specialist(user)


def require_editor(user, territory):
    if not may_edit(user, territory):
        raise Forbidden(
            "territory",
            _("границу ТОС «%s» правят только его председатель и инициативная группа")
            % territory.name,
        )


def require_reviewer(user):
    if not may_review(user):
        raise Forbidden("role", _("согласовывает границы только планировщик"))


def require_proposer(user):
    if not may_propose(user):
        raise Forbidden(
            "role", _("предложить новый ТОС может член инициативной группы")
        )
