"""Who calls the JSON API (docs/architecture.md, "Accounts and tokens"): a script
with its account's token (`Authorization: Token <key>`), or a browser with its
session, behind the same-site check of every write (geo/api/csrf.py).

The token comes first. DRF answers a request that needs an account and has none
with 401 and the first class's challenge, `WWW-Authenticate: Token`; with the
session first it would be a 403 without a challenge. A request that carries a valid
token is authenticated before the same-site check: that check guards the cookies a
browser sends on its own, and a browser never adds an Authorization header to
another site's request (no CORS here). Without a token, every write still goes
through SameSiteSessionAuthentication as before."""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .csrf import SameSiteSessionAuthentication
from .serializers import error

AUTHENTICATION = [TokenAuthentication, SameSiteSessionAuthentication]
# What `unauthenticated` answers.
UNAUTHENTICATED = (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)


def unauthenticated(view, exc):
    """The answer to NotAuthenticated or AuthenticationFailed (a wrong token): 401
    `{field: authorization, error}` with the view's challenge; 403 if the view
    reads no credentials a client could send, as DRF itself does."""
    challenge = view.get_authenticate_header(view.request)
    response = error("authorization", exc.detail, 401 if challenge else 403)
    if challenge:
        response["WWW-Authenticate"] = challenge
    return response
