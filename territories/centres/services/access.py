"""Who may do what with rooms and bookings (docs/domain.md, "Resource centres and
bookings"). The services ask these questions; pages ask them only to choose which
controls to offer."""

from django.utils.translation import gettext as _

from geo.errors import Forbidden
from territories.accounts.organisers import check_may_act_for, may_act_for_row
from territories.accounts.roles import Role, has_role, is_admin, is_specialist

from ..models import CentreStaff

# Those who book rooms for an organiser: its people, and the support centre.
REQUESTING = (Role.INITIATIVE, Role.CHAIR, Role.COUNCIL, Role.SPECIALIST, Role.ADMIN)


def signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


def may_request(user):
    """Whether the account may book at all (for some organiser)."""
    return signed_in(user) and (has_role(user, *REQUESTING) or is_specialist(user))


def require_requester(user, organiser):
    if not may_request(user):
        raise Forbidden(
            "organiser",
            _(
                "бронировать залы могут инициативные группы, представители советов, "
                "председатели ТОС и специалисты центра поддержки"
            ),
        )
    check_may_act_for(user, organiser)


def is_staff_of(user, centre):
    """An administrator, or a centre staff member posted at this centre."""
    if not signed_in(user):
        return False
    if is_admin(user):
        return True
    centre_id = getattr(centre, "pk", centre)
    return (
        has_role(user, Role.CENTRE_STAFF)
        and CentreStaff.objects.filter(centre_id=centre_id, user=user).exists()
    )


def staff_centre_ids(user):
    """The ids of the centres where `user` decides, in one query; None for an
    administrator (every centre)."""
    if not signed_in(user):
        return set()
    if is_admin(user):
        return None
    if not has_role(user, Role.CENTRE_STAFF):
        return set()
    return set(
        CentreStaff.objects.filter(user=user).values_list("centre_id", flat=True)
    )


def is_any_staff(user):
    """Whether the account decides for some centre (the queue page's question)."""
    return signed_in(user) and (
        is_admin(user)
        or (
            has_role(user, Role.CENTRE_STAFF)
            and CentreStaff.objects.filter(user=user).exists()
        )
    )


def require_staff(user, centre):
    if not is_staff_of(user, centre):
        raise Forbidden(
            "booking", _("решения по заявкам принимают сотрудники этого центра")
        )


def may_manage(user, series, centre_id):
    """Cancel or move: the one who asked, whoever may act for the organiser (of a
    group by name: only the one who asked, accounts/organisers.may_act_for_row),
    or the centre's staff."""
    if not signed_in(user):
        return False
    if series.requested_by_id == user.pk:
        return True
    return may_act_for_row(user, series, series.requested_by_id) or is_staff_of(
        user, centre_id
    )


def require_manager(user, series, centre_id):
    if not may_manage(user, series, centre_id):
        raise Forbidden(
            "booking",
            _("отменить или перенести бронь может тот, кто её запросил, или центр"),
        )
