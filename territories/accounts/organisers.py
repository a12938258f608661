"""Who a booking or an event is organised by, and whether an account may act for
them (docs/domain.md, "Organisers"). An organiser is exactly one of: a TOS, a
council (совет МКД, ТСЖ, совет общественности) or an initiative group known only by
its name. Centres and events store the three as `territory`, `council` and
`group_name`, with a constraint that exactly one is set."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from geo.errors import Forbidden, Refused
from geo.text import storable_text
from territories.registry.models import Council, Territory

from .roles import Role, has_role, is_admin, is_specialist


@dataclass(frozen=True)
class Organiser:
    territory: Territory | None = None
    council: Council | None = None
    group_name: str = ""

    @property
    def name(self):
        """What the public sees: an organisation's name, never a person's."""
        if self.territory is not None:
            return _("ТОС «%s»") % self.territory.name
        if self.council is not None:
            return self.council.name
        return self.group_name

    def fields(self):
        return {
            "territory": self.territory,
            "council": self.council,
            "group_name": self.group_name,
        }


def organiser(*, territory=None, council=None, group_name=""):
    """The organiser named by exactly one of the three; Refused otherwise."""
    # NUL or a lone surrogate would fail in the database or the answer (a 500).
    group_name = storable_text("group_name", group_name)
    given = [territory is not None, council is not None, bool(group_name)]
    if sum(given) != 1:
        raise Refused(
            "organiser",
            _("укажите ровно одного организатора: ТОС, совет или инициативную группу"),
        )
    if len(group_name) > 200:
        raise Refused("group_name", _("название группы длиннее 200 знаков"))
    return Organiser(territory, council, group_name)


def of_row(row):
    """The organiser stored on a booking or an event."""
    return Organiser(row.territory, row.council, row.group_name)


def may_act_for(user, who):
    """Whether `user` may name `who` as the organiser of a NEW booking or event.
    Specialists and administrators act for anyone; a chair for their TOS; an
    initiative group member for their TOS (even a proposed one) and for a group by
    name; a council's representative for that council. For a stored row ask
    `may_act_for_row`: a group by name has no members to check."""
    if is_specialist(user) or is_admin(user):
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if who.territory is not None:
        return (
            has_role(user, Role.CHAIR) and who.territory.chair_user_id == user.pk
        ) or (
            has_role(user, Role.INITIATIVE)
            and who.territory.initiative_group.filter(pk=user.pk).exists()
        )
    if who.council is not None:
        return (
            has_role(user, Role.COUNCIL)
            and who.council.members.filter(pk=user.pk).exists()
        )
    return has_role(user, Role.INITIATIVE)


def may_act_for_row(user, row, creator_id):
    """Whether `user` may act for the organiser of a stored booking or event
    (`row`, created by the account `creator_id`). A TOS or a council as for a new
    one; a group known only by its name has no list of members, so only the
    account that created the row (and specialists, administrators) acts for it —
    not any initiative member (docs/domain.md, "Organisers")."""
    who = of_row(row)
    if not who.group_name:
        return may_act_for(user, who)
    if is_specialist(user) or is_admin(user):
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return creator_id is not None and creator_id == user.pk


def check_may_act_for_row(user, row, creator_id):
    if not may_act_for_row(user, row, creator_id):
        raise Forbidden(
            "organiser",
            _("вы не можете действовать от имени организатора «%s»") % of_row(row).name,
        )


def check_may_act_for(user, who):
    if not may_act_for(user, who):
        raise Forbidden(
            "organiser",
            _("вы не можете действовать от имени организатора «%s»") % who.name,
        )


def choices_for(user):
    """The TOS and councils an account may name as organiser, for forms."""
    if is_specialist(user) or is_admin(user):
        return Territory.objects.all(), Council.objects.all()
    territories = Territory.objects.none()
    if has_role(user, Role.CHAIR):
        territories = territories | Territory.objects.filter(chair_user=user)
    if has_role(user, Role.INITIATIVE):
        territories = territories | Territory.objects.filter(initiative_group=user)
    councils = (
        Council.objects.filter(members=user)
        if has_role(user, Role.COUNCIL)
        else Council.objects.none()
    )
    return territories.distinct(), councils
