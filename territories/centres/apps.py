from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentresConfig(AppConfig):
    """Resource centres lend their rooms free of charge (docs/domain.md, "Resource
    centres and bookings"): rooms, opening hours, closures and bookings."""

    name = "territories.centres"
    label = "centres"
    verbose_name = _("Ресурсные центры")

    def load_demo(self, facts, *, reset=False):
        """Rooms, hours, a closure and a few bookings of the demo centres
        (territories/centres/demo.py)."""
        from .demo import load

        return load(facts, reset=reset)
