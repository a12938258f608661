from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """The practice's events and drives (docs/domain.md, "Events"): where and when,
    who signs up, and what came of them."""

    name = "territories.events"
    label = "events"
    verbose_name = _("Мероприятия")

    def ready(self):
        from .layers import register_layers

        register_layers()

    def load_demo(self, facts, *, reset=False):
        """Illustrative events in the demo's yards and grounds (demo.py)."""
        from .demo import load_demo

        return load_demo(facts, reset=reset)

    def unload_demo(self):
        from .demo import unload_demo

        return unload_demo()
