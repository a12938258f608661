from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    """The practice's live indicators (docs/domain.md, "Indicators"): the passport's
    results table computed from the records, by year and by territory."""

    name = "territories.indicators"
    label = "indicators"
    verbose_name = _("Показатели практики")
