from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoundariesConfig(AppConfig):
    """Drawing, checking and approving TOS boundaries (docs/domain.md, "TOS
    boundaries"): every version kept; the approved one is `Territory.geom`."""

    name = "territories.boundaries"
    label = "boundaries"
    verbose_name = _("Границы ТОС")
