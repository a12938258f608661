"""Where a report's public page and photos are, for every place that links to them."""

from django.conf import settings
from django.urls import reverse


def report_path(report):
    return reverse("report-page", args=[report.pk])


def photo_path(photo_pk):
    """The photo view, not the storage URL: MEDIA_ROOT is not served, and the view is
    what keeps photos of unpublished reports private."""
    return reverse("report-photo", args=[photo_pk])


def on_site(path):
    """The absolute URL of a path, for links that leave the request (e-mail)."""
    return settings.SITE_URL.rstrip("/") + path
