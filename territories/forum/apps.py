from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    """The forum of active citizens «Ангарск – это мы!» (docs/domain.md, "Forum"):
    residents' projects, one person one vote, and the winners carried out."""

    name = "territories.forum"
    label = "forum"
    verbose_name = _("Форум «Ангарск – это мы!»")
