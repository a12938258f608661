"""What `make run` serves with: the production settings on one machine over plain
http (docs/architecture.md, "Serving"). DEBUG is off whatever the environment says,
static files come from WhiteNoise, SECRET_KEY from `.env` (the set-up writes one
there once). Only what needs https is off: browsers do not send Secure cookies over
http, and nothing on 127.0.0.1 answers a redirect to https."""

from .prod import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
