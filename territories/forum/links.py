"""Addresses of the forum's pages, for mails (absolute) and answers."""

from django.conf import settings
from django.urls import reverse


def on_site(path):
    return settings.SITE_URL.rstrip("/") + path


def follow_confirm_path(token):
    return reverse("forum-follow-confirm", args=[token])


def unfollow_path(token):
    return reverse("forum-unfollow", args=[token])


def implementation_path(pk):
    return reverse("forum-implementation") + f"#implementation-{pk}"
