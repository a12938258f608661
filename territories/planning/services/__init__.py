"""The rules of planning analyses (docs/domain.md, "Coverage of grounds")."""

from .coverage import (
    KINDS,
    METHODS,
    checked_kind,
    checked_method,
    checked_radius,
    checked_territory,
    coverage,
    data_version,
)

__all__ = [
    "KINDS",
    "METHODS",
    "checked_kind",
    "checked_method",
    "checked_radius",
    "checked_territory",
    "coverage",
    "data_version",
]
