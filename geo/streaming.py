"""Streamed responses compressed on the fly, shared by the edges that stream layers
(`/api/layers/`, the OGC API's items). Django's GZipMiddleware leaves a response
that is already encoded alone."""

import re
import zlib

from django.http import StreamingHttpResponse
from django.utils.cache import patch_vary_headers

ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def gzipped(chunks, level=3):
    """Compress a layer on the fly. Level 3 is about as small as Django's level 6 on
    GeoJSON at a third of the time, which at 100k features is most of the overhead."""
    compressor = zlib.compressobj(level, wbits=31)
    for chunk in chunks:
        data = compressor.compress(chunk.encode())
        if data:
            yield data
    yield compressor.flush()


def streamed(request, chunks, content_type, etag):
    """A StreamingHttpResponse of text `chunks`, gzipped when the client accepts it;
    the ETag is then weak, as the bytes differ from the plain answer's."""
    if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = StreamingHttpResponse(gzipped(chunks), content_type=content_type)
        response["Content-Encoding"] = "gzip"
        etag = f"W/{etag}"
    else:
        response = StreamingHttpResponse(chunks, content_type=content_type)
    patch_vary_headers(response, ["Accept-Encoding"])
    response["ETag"] = etag
    return response
