from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "territories.reports"
    label = "reports"
    verbose_name = _("Сообщения о проблемах")

    def ready(self):
        from .layers import register_layers

        register_layers()
