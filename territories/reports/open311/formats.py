"""The two wire formats of GeoReport v2: JSON, and XML that maps onto it by the Spark
convention (a list becomes a container element holding one element per item)."""

import json
import re
import xml.etree.ElementTree as ET

from django.http import HttpResponse

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
# The element each item of a list gets, by the name of the list.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
# Characters XML 1.0 cannot carry at all; a description pasted from anywhere may.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Open311Error(Exception):
    """A refusal in the spec's error format: `status` is the HTTP status and the
    code in the body, `description` names the field and the reason; a 429 says
    when to try again (`retry_after`, seconds; an hour unless known)."""

    def __init__(self, status, description, retry_after=None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def render(data, fmt, root, status=200):
    """`data` as a response; `root` names the XML document element."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False)
    else:
        body = to_xml(root, data)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def render_error(error, fmt):
    errors = [{"code": error.status, "description": error.description}]
    response = render(errors, fmt, "errors", status=error.status)
    if error.status == 429:
        response["Retry-After"] = str(error.retry_after or 3600)
    return response


def to_xml(root, data):
    element = ET.Element(root)
    _fill(element, data)
    text = ET.tostring(element, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + text


def _fill(element, value):
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif isinstance(value, list):
        tag = ITEM_TAGS[element.tag]
        for item in value:
            _fill(ET.SubElement(element, tag), item)
    elif value is not None:
        element.text = NOT_XML.sub("", _scalar(value))


def _scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
