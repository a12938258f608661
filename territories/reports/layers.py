"""The reports layer in the catalogue of `geo.layers`: its parameters are read by the
one report filter (reports/filters.py), like every other edge's."""

from django.db.models import Case, F, TextField, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone

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
            # The OGC API's `?datetime=` selects reports by when they were sent.
            datetime_field="created_at",
        )
    )
