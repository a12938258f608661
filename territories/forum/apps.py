from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    """The forum of active citizens «Ангарск – это мы!» (docs/domain.md, "Forum"):
    residents' projects, one person one vote, and the winners carried out."""

    name = "territories.forum"
    label = "forum"
    verbose_name = _("Форум «Ангарск – это мы!»")

    def ready(self):
        from .layers import register_layers

        register_layers()

    def load_demo(self, facts, *, reset=False):
        """A past round with illustrative projects and their implementation
        (demo.py)."""
        from .demo import load_demo

        return load_demo(facts, reset=reset)

    def unload_demo(self):
        from .demo import unload_demo

        return unload_demo()
