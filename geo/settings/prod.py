from geo.secret_key import production_key

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
# Required, and none that others know: the development default or any key written in
# the repository is refused before anything is served (docs/security.md).
SECRET_KEY = production_key(env("SECRET_KEY"), BASE_DIR)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Browsers keep to https for a year once they saw it served over https with the
# redirect on (docs/security.md, "Headers"); a site that does not redirect (TLS ends
# at a proxy that does) sets SECURE_HSTS_SECONDS itself.
SECURE_HSTS_SECONDS = env.int(
    "SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if SECURE_SSL_REDIRECT else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Joining the browsers' HSTS preload list commits the whole domain for a long time;
# its owner opts in (SECURE_HSTS_PRELOAD=1 with a year-long HSTS), it is no default.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]  # noqa: F405
