"""Who may do what in the forum (docs/domain.md, "Forum")."""

from django.utils.translation import gettext as _

from geo.errors import Forbidden
from territories.accounts import roles, verification


def check_person(account):
    """A verified person (docs/domain.md, "Verified persons"), or 403 naming
    `verification`."""
    if account is None or not account.is_authenticated:
        raise Forbidden("verification", _("войдите и подтвердите телефон или e-mail"))
    if not verification.is_person(account):
        raise Forbidden(
            "verification",
            _(
                "голосовать и предлагать проекты могут жители "
                "с подтверждённым телефоном или e-mail"
            ),
        )


def may_moderate(account):
    return roles.is_specialist(account)


def check_specialist(account):
    if not may_moderate(account):
        raise Forbidden("account", _("это делают специалисты центра поддержки"))
