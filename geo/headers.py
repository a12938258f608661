"""Content-Security-Policy and Permissions-Policy on every page (docs/security.md,
"Headers"). Django 5.2 has no CSP of its own; the policy is settings.CONTENT_SECURITY_
POLICY, plus the basemap's origin in img-src, plus, under a path prefix, what
CONTENT_SECURITY_POLICY_BY_PATH replaces for pages we do not write (the admin)."""

import re
from urllib.parse import urlsplit

from django.conf import settings

# With DEBUG on (`make dev`), Django answers these with its technical pages, which
# are written with inline styles and scripts; production never shows them.
DEBUG_PAGES = {404, 500}
# A tile URL's host may hold a placeholder: `{s}.tile.example.org`, `{a-c}.…`.
PLACEHOLDER = re.compile(r"\{[^}]*\}")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code in DEBUG_PAGES:
            return response
        # A view that sets its own policy keeps it.
        response.setdefault("Content-Security-Policy", content_security_policy(request))
        response.setdefault("Permissions-Policy", permissions_policy())
        return response


def content_security_policy(request):
    directives = dict(settings.CONTENT_SECURITY_POLICY)
    for prefix, replaced in settings.CONTENT_SECURITY_POLICY_BY_PATH.items():
        if request.path.startswith(prefix):
            directives.update(replaced)
    basemap = basemap_source(settings.BASEMAP_URL)
    if basemap:
        directives["img-src"] = [*directives.get("img-src", []), basemap]
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def basemap_source(url):
    """The CSP source that lets the map load `url`'s tiles: its scheme and host,
    with a placeholder in the host widened to `*.` (the only wildcard CSP knows)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None  # a relative URL: tiles from this site, already 'self'
    labels = parts.netloc.split(".")
    templated = [i for i, label in enumerate(labels) if PLACEHOLDER.search(label)]
    if templated:
        labels = ["*", *labels[templated[-1] + 1 :]]
    return f"{parts.scheme}://{'.'.join(labels)}"


def permissions_policy():
    return ", ".join(
        f"{feature}=({' '.join(allowed)})"
        for feature, allowed in settings.PERMISSIONS_POLICY.items()
    )
