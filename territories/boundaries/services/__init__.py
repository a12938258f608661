"""The rules of TOS boundaries (docs/domain.md, "TOS boundaries"): each function
takes the acting user (`by`) and refuses on its own (docs/architecture.md,
"Layers of the code")."""

from .access import may_edit, may_propose, may_review, may_see_drafts
from .shape import prepared, preview
from .workflow import (
    approve,
    newest,
    propose,
    restore,
    return_for_changes,
    save_draft,
    submit,
)

__all__ = [
    "approve",
    "may_edit",
    "may_propose",
    "may_review",
    "may_see_drafts",
    "newest",
    "prepared",
    "preview",
    "propose",
    "restore",
    "return_for_changes",
    "save_draft",
    "submit",
]
