"""What a new report must be: the one definition of a submission's fields and their
checks. `submit_report` validates every submission with it (site, REST API,
Open311), and the REST API documents its request with the same class, so the schema
at /api/schema/ is generated from the code that does the checking.

Refusals keep the field's name and our message (`geo.errors.Refused`). Of the
photos, their number and sizes are checked here, unread; their content later, by
`photos.clean_photos`, after the cheap checks."""

import math

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from geo.errors import Refused
from geo.text import storable_text

from ..models import Category
from .answers import clean_answers
from .photos import size_refusal

PHONE_PATTERN = r"^\+?[0-9 ()\-]{5,20}$"
YES = ("1", "true", "on", "yes", "да")


class Storable:
    """Stripped text that PostgreSQL can store (no NUL, no lone surrogates), checked
    before the field's own checks."""

    def to_internal_value(self, data):
        try:
            text = storable_text(self.field_name, data)
        except Refused as refused:
            raise serializers.ValidationError(str(refused)) from None
        return super().to_internal_value(text)


class StorableText(Storable, serializers.CharField):
    pass


class StorableEmail(Storable, serializers.EmailField):
    pass


class StorablePattern(Storable, serializers.RegexField):
    pass


class Degrees(serializers.FloatField):
    """A finite coordinate in degrees within ±`bound`."""

    def __init__(self, bound, **kwargs):
        outside = gettext_lazy("должно быть от -%(b)d до %(b)d") % {"b": bound}
        not_a_number = gettext_lazy("ожидается число в градусах")
        messages = {
            "invalid": not_a_number,
            "required": not_a_number,
            "null": not_a_number,
            "min_value": outside,
            "max_value": outside,
        }
        super().__init__(
            min_value=-bound, max_value=bound, error_messages=messages, **kwargs
        )

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            self.fail("max_value")
        return value


class Flag(serializers.BooleanField):
    """A form's checkbox or a JSON boolean; anything but a yes is a no."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            return data.strip().lower() in YES
        return bool(data)


def _limit(n):
    return gettext_lazy("не длиннее %d символов") % n


class ReportSubmission(serializers.Serializer):
    """A new problem report (multipart/form-data or JSON)."""

    lat = Degrees(90, help_text="Широта, WGS 84.")
    lon = Degrees(180, help_text="Долгота, WGS 84.")
    # min_length=1 changes no answer (a blank value is refused before it, with its
    # own message) but tells the schema that an empty text is not taken.
    category = StorableText(
        min_length=1,
        max_length=64,
        help_text="Код категории (Open311 service_code).",
        error_messages={"required": gettext_lazy("укажите категорию")},
    )
    description = StorableText(
        min_length=1,
        max_length=settings.REPORT_MAX_DESCRIPTION,
        error_messages={
            "required": gettext_lazy("опишите проблему"),
            "blank": gettext_lazy("опишите проблему"),
            "max_length": _limit(settings.REPORT_MAX_DESCRIPTION),
        },
    )
    name = StorableText(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"max_length": _limit(200)},
        help_text="Имя заявителя; показывается, только если show_name.",
    )
    show_name = Flag(required=False, default=False)
    email = StorableEmail(
        max_length=254,
        required=False,
        allow_blank=True,
        default="",
        error_messages={
            "invalid": gettext_lazy("это не адрес электронной почты"),
            "max_length": gettext_lazy("это не адрес электронной почты"),
        },
        help_text="Сюда придут изменения сообщения; никогда не публикуется.",
    )
    phone = StorablePattern(
        PHONE_PATTERN,
        required=False,
        allow_blank=True,
        default="",
        error_messages={
            "invalid": gettext_lazy("номер телефона: цифры, пробелы, +, скобки, дефисы")
        },
        help_text="Никогда не публикуется.",
    )
    answers = serializers.DictField(
        required=False,
        default=dict,
        error_messages={
            "not_a_dict": gettext_lazy("ожидаются пары «код вопроса: ответ»")
        },
        help_text=(
            "Ответы на вопросы категории: JSON-объект {код вопроса: ответ}; в "
            "multipart также поля answers[код]=ответ."
        ),
    )
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        max_length=settings.REPORT_MAX_PHOTOS,
        error_messages={
            "max_length": gettext_lazy("не больше %d фотографий")
            % settings.REPORT_MAX_PHOTOS
        },
        help_text=(
            f"До {settings.REPORT_MAX_PHOTOS} файлов JPEG, PNG или WebP, до "
            f"{settings.REPORT_MAX_PHOTO_BYTES // 2**20} МБ каждый; поле повторяется."
        ),
    )

    def validate_category(self, code):
        category = Category.objects.filter(code=code, active=True).first()
        if category is None:
            raise serializers.ValidationError(_("нет такой категории: «%s»") % code)
        return category

    def validate_photos(self, files):
        for upload in files:
            refusal = size_refusal(upload)
            if refusal:
                raise serializers.ValidationError(refusal)
        return files

    def validate(self, data):
        try:
            data["answers"] = clean_answers(data["category"], data["answers"])
        except Refused as refused:
            raise serializers.ValidationError({refused.field: str(refused)}) from None
        data["show_name"] = data["show_name"] and bool(data["name"])
        return data


def validated_submission(data, photos=()):
    """The submission's fields, checked and cleaned (`category` as the Category, a
    dict of `answers`), or Refused naming the first field at fault."""
    fields = {name: value for name, value in data.items() if value is not None}
    if "answers" in fields and not fields["answers"]:
        fields["answers"] = {}
    submission = ReportSubmission(data={**fields, "photos": list(photos)})
    if not submission.is_valid():
        field, errors = _first_error(submission.errors)
        raise Refused(field, str(errors[0]))
    return submission.validated_data


def _first_error(errors):
    """(field, messages) of the first field at fault, in the order of the fields."""
    order = list(ReportSubmission().fields)
    field = min(errors, key=lambda name: _position(order, name))
    messages = errors[field]
    if isinstance(messages, dict):  # a list field's item: {index: [messages]}
        messages = next(iter(messages.values()))
    if field == "non_field_errors":
        field = "body"
    return field, messages


def _position(order, name):
    base = name.split(".")[0]
    return order.index(base) if base in order else len(order)
