"""Our categories and reports in GeoReport v2 terms. Nothing personal leaves here:
no reporter name, e-mail, phone, account or device; and, as on the site, no
description or photo until a specialist has published the report."""

from django.utils import timezone
from django.utils.translation import gettext as _

from geo.choices import choice_label

from ..links import photo_path
from ..models import ProblemReport
from ..questions import in_english

Status = ProblemReport.Status


def open311_status(status):
    """Our nine statuses folded into the spec's two (hidden ones are never shown)."""
    return "closed" if status in Status.closed() else "open"


def w3c(moment, zone=None):
    """ISO 8601 with the offset, to the second, in the district's time zone."""
    return timezone.localtime(moment, zone).replace(microsecond=0).isoformat()


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


def service_requests(rows, request):
    """Reports, each a row of `queries.as_rows()`. What is the same for every row
    (language, time zone, the status labels) is read once: at a page of 1,000 the
    per-row lookups were a fifth of the time (docs/architecture.md, "Reports at
    scale")."""
    english = in_english()
    zone = timezone.get_current_timezone()
    duplicate_of = _("сообщения №%d")
    return [_service_request(row, request, english, zone, duplicate_of) for row in rows]


def _service_request(row, request, english, zone, duplicate_of):
    status = row["status"]
    unpublished = status == Status.MODERATION  # as ProblemReport.is_published
    return {
        "service_request_id": str(row["pk"]),
        "status": open311_status(status),
        "status_notes": _status_notes(row, duplicate_of),
        "service_name": (english and row["service_name_en"]) or row["service_name"],
        "service_code": row["service_code"],
        "description": None if unpublished else row["description"],
        "agency_responsible": row["agency"],
        "service_notice": None,
        "requested_datetime": w3c(row["created_at"], zone),
        "updated_datetime": w3c(row["updated_at"], zone),
        "address": row["address"] or None,
        "address_id": str(row["building_id"]) if row["building_id"] else None,
        "lat": round(row["lat"], 6),
        "long": round(row["long"], 6),
        "media_url": None if unpublished else _media_url(row["first_photo"], request),
    }


def _status_notes(row, duplicate_of):
    """Our Russian label, the original of a duplicate, and the last public comment."""
    notes = choice_label(Status, row["status"])
    if row["status"] == Status.DUPLICATE and row["duplicate_of_id"]:
        notes += " " + duplicate_of % row["duplicate_of_id"]
    if row["last_comment"]:
        notes += ". " + row["last_comment"]
    return notes


def _media_url(photo_pk, request):
    if not photo_pk:
        return None
    return request.build_absolute_uri(photo_path(photo_pk))
