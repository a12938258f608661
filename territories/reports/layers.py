"""The reports layer in the catalogue of `geo.layers`: its parameters are read by the
one report filter (reports/filters.py), like every other edge's."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Case, F, Q, TextField, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy

from geo.bounds import MapBound
from geo.layers import Filter, Layer, layers
from territories.registry.layers import ON_TERRITORIES

from . import filters
from .models import ProblemReport

ReportStatus = ProblemReport.Status
LAYER_PARAMETERS = ("bbox", "status", "category", "age", "since", "territory")


class ReportLayer(Layer):
    def select(self, params):
        reports, _territories = filters.filter_reports(
            params, self.queryset(), allowed=LAYER_PARAMETERS
        )
        return reports

    def version(self, params):
        # What `age` selects changes with the calendar, not only with the table, so
        # the day is part of the response's version.
        if "age" in params:
            params = {**params, "_day": timezone.now().date().isoformat()}
        return super().version(params)


def current_or_recent(reports):
    """The map's default (docs/domain.md, "Reports on the map"): what still waits or
    is being dealt with, and what was closed — changed last — within
    REPORTS_MAP_RECENT_DAYS, counted from the start of today so that the answer (and
    its ETag, which carries the day) stays the same all day."""
    today = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    since = today - timedelta(days=settings.REPORTS_MAP_RECENT_DAYS)
    return reports.filter(
        Q(status__in=ReportStatus.awaiting())
        | Q(status__in=ReportStatus.closed(), updated_at__gte=since)
    )


MAP_BOUND = MapBound(
    narrow=current_or_recent,
    # Any of these chooses the reports by itself: the default steps aside.
    asks=("status", "since", "age"),
    # Below building level many reports come as clusters, as the browser would group
    # them anyway (frontend/static/frontend/layers.js, disableClusteringAtZoom).
    cluster_below=18,
    description=gettext_lazy(
        "без status, since и age: ждущие решения и закрытые за последние "
        "REPORTS_MAP_RECENT_DAYS дней"
    ),
)


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


def described_parameters():
    """The catalogue's list of the layer's filters (bbox is every layer's own), with
    the schemas of the report filter that checks them."""
    described = filters.parameters(LAYER_PARAMETERS)
    schemas = filters.parameter_schemas(LAYER_PARAMETERS)
    return tuple(
        Filter(name, name, description=text, openapi=schemas[name])
        for name, text in described.items()
        if name != "bbox"
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
            described_parameters(),
            # Its own table and the categories (joined for `category_name`) come from
            # the features' query; `?territory=` reads the TOS boundaries.
            depends_on=ON_TERRITORIES,
            depends_on_settings=(
                "LAYER_MAP_CAP",
                "LAYER_MAP_CLUSTER_OVER",
                "REPORTS_MAP_RECENT_DAYS",
            ),
            # The OGC API's `?datetime=` selects reports by when they were sent.
            datetime_field="created_at",
            # The map's answer is bounded; the OGC API and tiles get every report.
            bound=MAP_BOUND,
        )
    )
