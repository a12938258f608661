from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Accounts and roles (docs/domain.md, "Roles"): who may do what is decided by the
    services of each domain, from the vocabulary in `roles`."""

    name = "territories.accounts"
    label = "accounts"
    verbose_name = _("Учётные записи и роли")
