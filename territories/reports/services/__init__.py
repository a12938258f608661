"""The rules of reports; every write is one transaction, every refusal a domain
error (`geo.errors`) naming the field. Edges call these names:

- intake: `submit_report`, `submission_attempt`, `check_rate`, `parse_point`,
  `nearby_active`;
- workflow: `change_status`, `reopen`, `role_of`, `is_reporter`, `WORKFLOW`;
- residents: `add_support`, `follow`, `confirm_follower`, `remove_personal_data`;
- bulk: `change_status_bulk` (the workspace's all-or-nothing changes).
"""

from .bulk import RowRefusal, change_status_bulk
from .intake import (
    check_rate,
    nearby_active,
    parse_point,
    submission_attempt,
    submit_report,
)
from .residents import (
    add_support,
    clean_email,
    confirm_follower,
    follow,
    remove_personal_data,
)
from .workflow import WORKFLOW, Role, change_status, is_reporter, reopen, role_of

__all__ = [
    "WORKFLOW",
    "Role",
    "RowRefusal",
    "add_support",
    "change_status",
    "change_status_bulk",
    "check_rate",
    "clean_email",
    "confirm_follower",
    "follow",
    "is_reporter",
    "nearby_active",
    "parse_point",
    "remove_personal_data",
    "reopen",
    "role_of",
    "submission_attempt",
    "submit_report",
]
