"""The base of the domains' Atom feeds: Atom with a GeoRSS point per entry, and a
refused query parameter answered as 400 naming it (as the JSON edges do), not as a
server error."""

from django.contrib.gis.feeds import Feed, GeoAtom1Feed
from django.http import HttpResponseBadRequest

from .errors import QueryError


class GeoAtomFeed(Feed):
    feed_type = GeoAtom1Feed

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except QueryError as error:
            return HttpResponseBadRequest(
                f"{error.field}: {error}", content_type="text/plain; charset=utf-8"
            )
