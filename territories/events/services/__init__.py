"""The rules of events (docs/domain.md, "Events"): who may organise (access),
events themselves (events), sign-ups and the waitlist (registration)."""

from .access import check_may_manage, check_may_organise, may_manage, may_organise
from .events import (
    cancel_event,
    create_event,
    create_kind,
    edit_event,
    read_event,
)
from .registration import (
    SignUp,
    cancel_registration,
    register,
    registration_by_token,
)

__all__ = [
    "SignUp",
    "cancel_event",
    "cancel_registration",
    "check_may_manage",
    "check_may_organise",
    "create_event",
    "create_kind",
    "edit_event",
    "may_manage",
    "may_organise",
    "read_event",
    "register",
    "registration_by_token",
]
