"""The reports layer in the catalogue of `geo.layers`."""

from datetime import date, timedelta

from django.db.models import Case, F, TextField, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geo.layers import Filter, Layer, LayerQueryError, choice, integer, layers
from territories.registry.layers import ON_TERRITORIES, by_territory

from .models import PUBLIC_STATUSES, ProblemReport

ReportStatus = ProblemReport.Status
MAX_AGE_DAYS = 36500


class AgeFilter(Filter):
    """`?age=N`: reports created within the last N days."""

    def apply(self, queryset, raw):
        days = self.cast_value(raw)
        # Bounded: a huge number of days overflows the date arithmetic.
        if not 0 <= days <= MAX_AGE_DAYS:
            raise LayerQueryError(
                self.param,
                _("ожидается число дней от 0 до %d") % MAX_AGE_DAYS,
            )
        return queryset.filter(created_at__gte=timezone.now() - timedelta(days=days))


def iso_date(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(_("«%s» — ожидается дата ГГГГ-ММ-ДД") % value) from None


class ReportLayer(Layer):
    """Reports: what `age` selects changes with the calendar, not only with the
    table, so the day is part of the response's version."""

    def version(self, params):
        if "age" in params:
            params = {**params, "_day": timezone.now().date().isoformat()}
        return super().version(params)


def report_properties():
    """What the map may show of a report: never who sent it; no description while
    it waits for moderation."""
    return {
        "category": "category__code",
        "category_name": "category__name",
        "status": "status",
        "created_at": "created_at",
        "support_count": "support_count",
        "description": Case(
            When(status=ReportStatus.MODERATION, then=Value(None)),
            default=F("description"),
            output_field=TextField(),
        ),
        "url": Concat(
            Value("/reports/"),
            Cast("pk", TextField()),
            Value("/"),
            output_field=TextField(),
        ),
    }


def report_filters():
    return (
        Filter(
            "status",
            "status",
            choice(*PUBLIC_STATUSES),
            many=True,
            description=gettext_lazy(
                "статус: moderation, open, in_progress, planned, fixed, closed, "
                "duplicate, not_responsible"
            ),
        ),
        Filter(
            "category",
            "category__code",
            many=True,
            description=gettext_lazy("код категории (через запятую)"),
        ),
        AgeFilter(
            "age",
            "created_at",
            integer,
            description=gettext_lazy("поданы за последние N дней"),
        ),
        Filter(
            "since",
            "created_at__date__gte",
            iso_date,
            description=gettext_lazy("поданы не раньше даты ГГГГ-ММ-ДД"),
        ),
        by_territory(),
    )


def register_layers():
    layers.register(
        ReportLayer(
            "reports",
            "Сообщения о проблемах",
            "Problem reports",
            "Point",
            ProblemReport.objects.public,
            report_properties(),
            report_filters(),
            # Its own table and the categories (joined for `category_name`) come from
            # the features' query; `?territory=` reads the TOS boundaries.
            depends_on=ON_TERRITORIES,
        )
    )
