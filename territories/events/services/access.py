"""Who may organise and manage events (docs/domain.md, "Events"): the
organisers' representatives (territories/accounts/organisers.py), specialists and
administrators."""

from django.utils.translation import gettext as _

from geo.errors import Forbidden
from territories.accounts import organisers
from territories.accounts.roles import Role, has_role, is_admin, is_specialist

ORGANISING_ROLES = (Role.CHAIR, Role.INITIATIVE, Role.COUNCIL)


def may_organise(user):
    """Whether the account may create events (for some organiser) and add kinds."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return is_specialist(user) or is_admin(user) or has_role(user, *ORGANISING_ROLES)


def check_may_organise(user):
    if not may_organise(user):
        raise Forbidden(
            "organiser",
            _("проводить мероприятия могут ТОС, советы и инициативные группы"),
        )


def may_manage(user, event):
    """Edit, cancel and see the registrations: who may act for its organiser (of
    a group by name: only the account that created the event)."""
    return may_organise(user) and organisers.may_act_for_row(
        user, event, event.created_by_id
    )


def check_may_manage(user, event):
    if not may_manage(user, event):
        raise Forbidden(
            "organiser", _("управлять мероприятием может только его организатор")
        )
