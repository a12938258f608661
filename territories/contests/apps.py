from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    """The city contests (docs/domain.md, "Contests"): seasons, nominations, entries,
    the jury's score sheets and the published ranking."""

    name = "territories.contests"
    label = "contests"
    verbose_name = _("Конкурсы")

    def ready(self):
        from .layers import register_layers

        register_layers()

    def load_demo(self, facts, *, reset=False):
        """A past season of each contest with illustrative entries (demo.py)."""
        from .demo import load_demo

        return load_demo(facts, reset=reset)

    def unload_demo(self):
        from .demo import unload_demo

        return unload_demo()
