"""Streamed responses compressed on the fly, shared by the edges that stream layers
(`/api/layers/`, the OGC API's items). Django's GZipMiddleware leaves a response
that is already encoded alone."""

import json
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


def feature_collection(members, batches, after=None):
    """A GeoJSON FeatureCollection as text chunks: `members` (a dict) before the
    features, `batches` (lists of Feature texts) streamed as they come, then the
    members `after(number of features)` returns, for what is known only once they
    are counted (the OGC API's numberReturned). One framing for every layer answer:
    the map's (geo/layers.py, geo/bounds.py) and the OGC API's items."""
    head = json.dumps({"type": "FeatureCollection", **members}, ensure_ascii=False)
    yield head[:-1] + ',"features":['
    returned = 0
    for batch in batches:
        yield ("," if returned else "") + ",".join(batch)
        returned += len(batch)
    tail = json.dumps(after(returned), ensure_ascii=False)[1:-1] if after else ""
    yield "]" + ("," + tail if tail else "") + "}"
