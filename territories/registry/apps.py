from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    """The app keeps the label `territories` it had before the domains were split, so
    its tables (`territories_*`), its migration history, admin URLs and permissions
    stay as they were (docs/architecture.md, "Apps")."""

    name = "territories.registry"
    label = "territories"
    verbose_name = _("Территории")

    def ready(self):
        from .layers import register_layers

        register_layers()
