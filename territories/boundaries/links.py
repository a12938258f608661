"""Where a territory's page is, for the pages, the API and e-mail."""

from django.conf import settings
from django.urls import reverse


def territory_path(territory_id):
    return reverse("territory-page", args=[territory_id])


def history_path(territory_id):
    return reverse("territory-history", args=[territory_id])


def on_site(path):
    """The absolute URL of a path, for links that leave the request (e-mail)."""
    return settings.SITE_URL.rstrip("/") + path
