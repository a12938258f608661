"""The domain model: the district's spatial layers and residents' problem reports."""

from .reports import (
    Category,
    Follower,
    Open311Key,
    ProblemReport,
    ReportPhoto,
    ReportUpdate,
    ResponseTemplate,
    ResponsibleBody,
    Support,
)
from .spatial import (
    Building,
    ContainerSite,
    Council,
    District,
    Ground,
    ResourceCentre,
    Territory,
    Tree,
    Yard,
    YardWork,
)

__all__ = [
    "Building",
    "Category",
    "ContainerSite",
    "Council",
    "District",
    "Follower",
    "Ground",
    "Open311Key",
    "ProblemReport",
    "ReportPhoto",
    "ReportUpdate",
    "ResourceCentre",
    "ResponseTemplate",
    "ResponsibleBody",
    "Support",
    "Territory",
    "Tree",
    "Yard",
    "YardWork",
]
