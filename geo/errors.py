"""Domain errors: what a service or a query parser refuses, and why. They carry the
field at fault and a message in the request's language, never an HTTP status: each
edge (REST, pages, Open311, feeds) maps the kind of error to its own answer
(docs/architecture.md, "Layers of the code")."""


class Refused(ValueError):
    """Bad input: `field` names what was wrong, the message says why."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


class GeometryRefused(Refused):
    """A geometry refused (`geo.geojson_input`): `code` says what kind of fault, for
    programs (`geo.geojson_input.CODES`); `location` is the (lon, lat) of the fault
    when known."""

    def __init__(self, field, message, *, code, location=None):
        super().__init__(field, message)
        self.code = code
        self.location = location


class QueryError(Refused):
    """A query parameter (filter, bbox, page …) is unusable."""


class Forbidden(Refused):
    """The one asking may not do this (not the reporter, not staff …)."""


class NotFound(Refused):
    """What the request names does not exist, or is not shown to anyone."""


class RateLimited(Refused):
    """Too many requests of this kind from this sender; `retry_after` in seconds."""

    def __init__(self, field, message, retry_after=3600):
        super().__init__(field, message)
        self.retry_after = retry_after


def http_status(error):
    """The HTTP status an HTTP edge answers a domain error with."""
    for kind, status in ((RateLimited, 429), (NotFound, 404), (Forbidden, 403)):
        if isinstance(error, kind):
            return status
    return 400
