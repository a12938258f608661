"""Who may do what in a contest (docs/domain.md, "Contests")."""

from django.utils.translation import gettext as _

from geo.errors import Forbidden
from territories.accounts.roles import is_admin, is_specialist


def is_manager(user):
    """Specialists of the support centre and administrators run the contests:
    moderation, state changes, the jury."""
    return is_specialist(user) or is_admin(user)


def check_manager(user, field="state"):
    if not is_manager(user):
        raise Forbidden(field, _("это делают специалисты центра поддержки"))


def check_signed_in(user, field):
    if user is None or not user.is_authenticated or not user.is_active:
        raise Forbidden(field, _("войдите, чтобы продолжить"))
