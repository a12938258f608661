"""PostgreSQL expressions the ORM does not name (docs/architecture.md, "Where SQL
may live")."""

from django.db.models import Aggregate, FloatField, Func


class Median(Aggregate):
    """The median of a number column (percentile_cont(0.5)); NULL over no rows."""

    function = "percentile_cont"
    name = "Median"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class Days(Func):
    """An interval in days, fractional (EXTRACT(EPOCH …) / 86400)."""

    template = "(EXTRACT(EPOCH FROM %(expressions)s) / 86400.0)"
    output_field = FloatField()
