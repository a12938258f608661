"""The contests' rules (docs/domain.md, "Contests"). Each service takes the acting
user and refuses on its own with geo.errors."""

from .access import is_manager
from .entries import add_photos, apply, edit, may_edit, moderate, shown_entry
from .scoring import conflict, submit_sheet
from .seasons import NEXT, change_state

__all__ = [
    "NEXT",
    "add_photos",
    "apply",
    "change_state",
    "conflict",
    "edit",
    "is_manager",
    "may_edit",
    "moderate",
    "shown_entry",
    "submit_sheet",
]
