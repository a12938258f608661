"""Where an event's pages are, for the pages, the API, the layer and e-mail."""

from django.conf import settings
from django.urls import reverse


def event_path(event_or_pk):
    """The event's page (/events/<id>/), of an event or its id."""
    return reverse("event-page", args=[getattr(event_or_pk, "pk", event_or_pk)])


def cancel_path(token):
    return reverse("registration-cancel", args=[token])


def on_site(path):
    """The absolute URL of a path, for links that leave the request (e-mail)."""
    return settings.SITE_URL.rstrip("/") + path
