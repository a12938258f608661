from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """Planning analyses (docs/domain.md, "Coverage of grounds"): who lives within
    reach of a sport ground or a playground, and the provision against the norms."""

    name = "territories.planning"
    label = "planning"
    verbose_name = _("Планирование")
