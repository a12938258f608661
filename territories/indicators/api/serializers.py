"""The dashboard's JSON as an OpenAPI schema (docs/domain.md, "Indicators"). For
the schema only: the view answers the service's dictionary as it is."""

from rest_framework import serializers

from ..services.practice import CODES


def _figures(extra):
    """Fields of each row's figure (null where the row has no source) after `extra`."""
    fields = dict(extra)
    for code in CODES:
        fields[code] = serializers.IntegerField(allow_null=True)
    fields["links"] = serializers.DictField(
        child=serializers.CharField(allow_null=True),
        help_text="Where each figure's records are listed, by row code.",
    )
    return fields


def _named(schema_name, **fields):
    return type(schema_name, (serializers.Serializer,), fields)


Named = _named(
    "IndicatorsNamed", id=serializers.IntegerField(), name=serializers.CharField()
)
YearRow = _named("IndicatorsYear", **_figures({"year": serializers.IntegerField()}))
TerritoryRow = _named(
    "IndicatorsTerritory",
    **_figures(
        {"territory": Named(allow_null=True, help_text="null: outside every TOS")}
    ),
)
Totals = _named("IndicatorsTotals", **_figures({}))
RowDefinition = _named(
    "IndicatorsRow",
    code=serializers.ChoiceField(choices=CODES),
    name=serializers.CharField(),
    unit=serializers.CharField(),
    available=serializers.BooleanField(),
    note=serializers.CharField(allow_blank=True),
)
PassportRow = _named(
    "IndicatorsPassport",
    code=serializers.ChoiceField(choices=CODES),
    total=serializers.IntegerField(),
    at_least=serializers.BooleanField(),
    year_2018=serializers.IntegerField(allow_null=True),
    source=serializers.CharField(),
)


def _report_fields(extra):
    fields = dict(extra)
    for figure in ("opened", "closed", "fixed"):
        fields[figure] = serializers.IntegerField()
    fields["median_days_to_fix"] = serializers.FloatField(allow_null=True)
    fields["fixed_within_target"] = serializers.FloatField(allow_null=True)
    return fields


LINKS = serializers.DictField(child=serializers.CharField())
Category = _named(
    "IndicatorsCategory",
    id=serializers.IntegerField(),
    code=serializers.CharField(),
    name=serializers.CharField(),
)
ReportsBlock = _named(
    "IndicatorsReports",
    totals=_named("IndicatorsReportTotals", **_report_fields({"links": LINKS}))(),
    by_year=_named(
        "IndicatorsReportYear",
        **_report_fields({"year": serializers.IntegerField(), "links": LINKS}),
    )(many=True),
    by_category=_named(
        "IndicatorsReportCategory",
        **_report_fields({"category": Category(), "links": LINKS}),
    )(many=True),
    by_responsible=_named(
        "IndicatorsReportBody",
        **_report_fields(
            {"responsible": Named(allow_null=True, help_text="null: none assigned")}
        ),
    )(many=True),
    by_territory=_named(
        "IndicatorsReportTerritory",
        **_report_fields({"territory": Named(allow_null=True), "links": LINKS}),
    )(many=True),
)
Filters = _named(
    "IndicatorsFilters",
    year=serializers.IntegerField(allow_null=True),
    territory=serializers.IntegerField(allow_null=True),
)
DashboardSerializer = _named(
    "IndicatorsDashboard",
    filters=Filters(),
    rows=RowDefinition(many=True),
    by_year=YearRow(many=True),
    by_territory=TerritoryRow(many=True),
    totals=Totals(),
    passport=PassportRow(many=True),
    passport_year=serializers.IntegerField(),
    reports=ReportsBlock(),
    fix_target_days=serializers.IntegerField(),
    time_zone=serializers.CharField(),
    territory_name=serializers.CharField(allow_null=True),
    illustrative=serializers.BooleanField(
        help_text="The demo data set is loaded: the figures are illustrative."
    ),
)
