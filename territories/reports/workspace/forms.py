"""Forms of the specialists' workspace: the queue's filters, bulk and single status
changes, the meeting agenda's choice of reports."""

from django import forms
from django.utils.translation import gettext_lazy as _

from territories.registry.models import Territory

from ..models import Category, ProblemReport, ResponseTemplate

Status = ProblemReport.Status
MAX_BULK = 500
# The queue's names for the orders of reports/filters.py.
SORTS = {
    "new": "-created_at",
    "old": "created_at",
    "supports": "-support_count",
    "supports_asc": "support_count",
}
SORT_CHOICES = [
    ("new", _("сначала новые")),
    ("old", _("сначала старые")),
    ("supports", _("больше поддержек")),
    ("supports_asc", _("меньше поддержек")),
]


class QueueFilterForm(forms.Form):
    territory = forms.ModelChoiceField(
        Territory.objects.only("pk", "name").order_by("name"),
        required=False,
        label=_("ТОС"),
        empty_label=_("все"),
    )
    category = forms.ModelChoiceField(
        Category.objects.all(),
        to_field_name="code",
        required=False,
        label=_("категория"),
        empty_label=_("все"),
    )
    status = forms.ChoiceField(
        choices=[("", _("все"))] + list(Status.choices),
        required=False,
        label=_("статус"),
    )
    older_than = forms.IntegerField(
        min_value=0, max_value=3650, required=False, label=_("старше, дней")
    )
    since = forms.DateField(
        required=False,
        label=_("создано с"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    min_supports = forms.IntegerField(
        min_value=0, required=False, label=_("поддержек не меньше")
    )
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False, label=_("порядок"))

    def query(self):
        """The queue's parameters as reports/filters.py reads them: the filtering is
        done there (one parser for every edge); this form only draws the bar."""
        params = {
            name: self.data.get(name, "")
            for name in ("territory", "category", "status", "older_than", "since")
        }
        params["min_supports"] = self.data.get("min_supports", "")
        params["sort"] = SORTS.get(self.data.get("sort") or "new", "-created_at")
        return {name: value for name, value in params.items() if value}


class TemplateChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            ResponseTemplate.objects.all(),
            required=False,
            label=_("шаблон ответа"),
            empty_label=_("без шаблона"),
            **kwargs,
        )


class StatusChangeForm(forms.Form):
    """A status change with a comment; the comment falls back to the template's text
    when the specialist chose a template and left the text empty (no JavaScript)."""

    status = forms.ChoiceField(choices=Status.choices, label=_("новый статус"))
    template = TemplateChoiceField()
    comment = forms.CharField(
        required=False,
        max_length=4000,
        label=_("комментарий (публичный)"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    duplicate_of = forms.IntegerField(
        required=False,
        min_value=1,
        label=_("дубликат сообщения №"),
        help_text=_("только для статуса «дубликат»"),
    )

    def clean_duplicate_of(self):
        pk = self.cleaned_data.get("duplicate_of")
        if pk is None:
            return None
        original = ProblemReport.objects.filter(pk=pk).first()
        if original is None:
            raise forms.ValidationError(_("нет сообщения №%(pk)d"), params={"pk": pk})
        return original

    def clean(self):
        data = super().clean()
        template = data.get("template")
        if template and not (data.get("comment") or "").strip():
            data["comment"] = template.text
        return data


class BulkStatusForm(StatusChangeForm):
    reports = forms.ModelMultipleChoiceField(
        ProblemReport.objects.only("pk"),
        label=_("сообщения"),
        error_messages={"required": _("отметьте хотя бы одно сообщение")},
    )

    def clean_reports(self):
        reports = self.cleaned_data["reports"]
        if len(reports) > MAX_BULK:
            raise forms.ValidationError(
                _("не больше %(n)d сообщений за раз"), params={"n": MAX_BULK}
            )
        return reports


class IdListField(forms.Field):
    """Repeated `name=<id>` parameters as a list of distinct positive integers."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        ids = []
        for raw in value or []:
            try:
                pk = int(raw)
            except (TypeError, ValueError):
                raise forms.ValidationError(
                    _("«%(value)s» — не номер сообщения"), params={"value": raw}
                ) from None
            if pk > 0 and pk not in ids:
                ids.append(pk)
        return ids


class AgendaForm(forms.Form):
    territory = forms.ModelChoiceField(
        Territory.objects.only("pk", "name").order_by("name"),
        label=_("ТОС"),
        empty_label=_("выберите ТОС"),
    )
    report = IdListField(required=False, label=_("сообщения"))
    date = forms.DateField(
        required=False,
        label=_("дата встречи"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
