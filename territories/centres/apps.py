from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentresConfig(AppConfig):
    """Resource centres lend their rooms free of charge (docs/domain.md, "Resource
    centres and bookings"): rooms, opening hours, closures and bookings."""

    name = "territories.centres"
    label = "centres"
    verbose_name = _("Ресурсные центры")
