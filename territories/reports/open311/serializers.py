"""Our categories and reports in GeoReport v2 terms. Nothing personal leaves here:
no reporter name, e-mail, phone, account or device; and, as on the site, no
description or photo until a specialist has published the report."""

from django.utils import timezone
from django.utils.translation import gettext as _

from ..links import photo_path
from ..models import ProblemReport
from ..questions import in_english

Status = ProblemReport.Status


def open311_status(status):
    """Our nine statuses folded into the spec's two (hidden ones are never shown)."""
    return "closed" if status in Status.closed() else "open"


def w3c(moment):
    """ISO 8601 with the offset, to the second, in the district's time zone."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def _name(category):
    return category.name_en if in_english() and category.name_en else category.name


def service(category):
    return {
        "service_code": category.code,
        "service_name": _name(category),
        "description": category.description,
        "metadata": bool(category.question_list),
        "type": "realtime",
        "keywords": ", ".join(k for k in (category.name, category.name_en) if k),
        "group": category.responsible.name if category.responsible else "",
    }


def definition(category):
    return {
        "service_code": category.code,
        "attributes": [
            _attribute(order, question)
            for order, question in enumerate(category.question_list, start=1)
        ],
    }


def _attribute(order, question):
    return {
        "variable": True,
        "code": question.code,
        "datatype": question.datatype,
        "required": question.required,
        "datatype_description": question.describe_datatype(),
        "order": order,
        "description": question.label_in(),
        "values": [
            {"key": choice.key, "name": choice.name_in()} for choice in question.values
        ],
    }


def service_request(report, request):
    """One report; `report` comes from `queries.public_requests()` (its point in
    WGS 84, the last public comment and the first photo are annotated)."""
    category = report.category
    unpublished = not report.is_published
    return {
        "service_request_id": str(report.pk),
        "status": open311_status(report.status),
        "status_notes": status_notes(report),
        "service_name": _name(category),
        "service_code": category.code,
        "description": None if unpublished else report.description,
        "agency_responsible": category.responsible.name
        if category.responsible
        else None,
        "service_notice": None,
        "requested_datetime": w3c(report.created_at),
        "updated_datetime": w3c(report.updated_at),
        "address": (report.building.address or None) if report.building else None,
        "address_id": str(report.building_id) if report.building_id else None,
        "lat": round(report.wgs84.y, 6),
        "long": round(report.wgs84.x, 6),
        "media_url": None if unpublished else _media_url(report.first_photo, request),
    }


def status_notes(report):
    """Our Russian label, the original of a duplicate, and the last public comment."""
    notes = report.get_status_display()
    if report.status == Status.DUPLICATE and report.duplicate_of_id:
        notes += " " + _("сообщения №%d") % report.duplicate_of_id
    if report.last_comment:
        notes += ". " + report.last_comment
    return notes


def _media_url(photo_pk, request):
    if not photo_pk:
        return None
    return request.build_absolute_uri(photo_path(photo_pk))
