"""POST requests: the spec's form turned into a report, through the same
`submit_report` as the site and the REST API (so the same checks, the same
placement, the same moderation, the keyed quota)."""

import re

from django.utils.translation import gettext as _

from geo.errors import Refused, http_status
from geo.requester import client_fingerprint

from ..models import Category, Open311Key, ProblemReport
from ..services import submission_attempt, submit_report
from .formats import Open311Error
from .queries import SERVICE_CODE

ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
# Our field names, as the Open311 client called them.
OPEN311_FIELDS = {
    "lat": "lat",
    "lon": "long",
    "category": "service_code",
    "name": "first_name",
    "photos": "media",
}


def authorised_key(form):
    """The active key named by `api_key`, or a 403 in the spec's words."""
    plain = form.get("api_key", "").strip()
    if not plain:
        raise Open311Error(
            403, _("api_key: не указан ключ; без него сообщения не принимаются")
        )
    key = Open311Key.find(plain)
    if key is None:
        raise Open311Error(403, _("api_key: неверный или отозванный ключ"))
    return key


def create_request(form, files, *, key, ip):
    """(report, service_notice) or Open311Error naming the field. The key's quota
    and refusal budget come before the checks of the service code and the location,
    and a request refused by those counts as well (services.submission_attempt)."""
    fingerprint = client_fingerprint(
        ip, f"open311:{key.pk}:{form.get('device_id', '')}"
    )
    try:
        with submission_attempt(fingerprint, api_key=key):
            category = _category(form.get("service_code", "").strip())
            _check_location(form)
            report, _token = submit_report(
                _submission(form, category),
                files.getlist("media"),
                source=ProblemReport.Source.OPEN311,
                client_hash=fingerprint,
                api_key=key,
            )
    except Refused as refused:
        raise Open311Error(
            http_status(refused),
            f"{_field(refused.field)}: {refused}",
            retry_after=getattr(refused, "retry_after", None),
        ) from None
    return report, _notice(category, form)


def _submission(form, category):
    return {
        "lat": form.get("lat"),
        "lon": form.get("long"),
        "category": category.code,
        "description": form.get("description", ""),
        "name": " ".join(
            part for part in (form.get("first_name"), form.get("last_name")) if part
        ),
        "email": form.get("email", ""),
        "phone": form.get("phone", ""),
        "answers": attributes(form),
    }


def attributes(form):
    """attribute[code]=value, and attribute[code][]=value repeated for a
    multivaluelist, as {code: value or [values]}."""
    answers = {}
    for name in form:
        match = ATTRIBUTE.match(name)
        if match is None:
            continue
        values = form.getlist(name)
        many = match.group(2) or len(values) > 1
        answers[match.group(1)] = values if many else values[0]
    return answers


def _category(code):
    if not code:
        raise Open311Error(400, _("service_code: не указан код услуги"))
    category = None
    if SERVICE_CODE.match(code):
        category = Category.objects.select_related("responsible").filter(code=code)
        category = category.first()
    if category is None or not category.active:
        raise Open311Error(
            404, _("service_code: нет такой услуги «%s»; список: services.json") % code
        )
    return category


def _check_location(form):
    has_lat, has_long = bool(form.get("lat")), bool(form.get("long"))
    if has_lat and has_long:
        return
    if not (has_lat or has_long) and (
        form.get("address_string") or form.get("address_id")
    ):
        raise Open311Error(
            400,
            _(
                "address_string: адреса не распознаются; "
                "передайте координаты точки в lat и long (WGS 84)"
            ),
        )
    missing = "long" if has_lat else "lat"
    raise Open311Error(
        400, _("%s: нужны обе координаты точки, lat и long (WGS 84)") % missing
    )


def _field(name):
    if name.startswith("answers."):
        return f"attribute[{name.removeprefix('answers.')}]"
    return OPEN311_FIELDS.get(name, name)


def _notice(category, form):
    notice = _(
        "Сообщение принято со статусом «на модерации»; после проверки его "
        "откроют. Отвечает: %s."
    ) % (category.responsible.name if category.responsible else _("центр поддержки"))
    if form.get("media_url"):
        notice += " " + _(
            "Ссылка media_url не сохранена: фотографии принимаются только файлами."
        )
    return notice
