from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    """The city contests (docs/domain.md, "Contests"): seasons, nominations, entries,
    the jury's score sheets and the published ranking."""

    name = "territories.contests"
    label = "contests"
    verbose_name = _("Конкурсы")
