"""The domain's layers in the catalogue of `geo.layers`."""

from datetime import date, timedelta

from django.db.models import Case, F, TextField, Value, When
from django.db.models.functions import Cast, Concat, Round
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geo.layers import Filter, Layer, LayerQueryError, choice, integer, layers

from . import models
from .models.reports import PUBLIC_STATUSES

ReportStatus = models.ProblemReport.Status
MAX_AGE_DAYS = 36500


class TerritoryFilter(Filter):
    """`?territory=<id>`: features touching that TOS."""

    def apply(self, queryset, raw):
        pk = self.cast_value(raw)
        territory = models.Territory.objects.filter(pk=pk).first()
        if territory is None:
            raise LayerQueryError(self.param, _("нет ТОС с id %s") % pk)
        return queryset.within(territory)


def by_territory():
    return TerritoryFilter(
        "territory",
        "geom",
        integer,
        description=gettext_lazy("id ТOC: объекты на его территории"),
    )


def area():
    return Round("area_m2", 1)


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
        Layer(
            "territories",
            "Территории ТОС",
            "TOS territories",
            "MultiPolygon",
            models.Territory.objects.all,
            {
                "name": "name",
                "population": "population",
                "status": "status",
                "decision_no": "decision_no",
                "decision_date": "decision_date",
                "area_m2": area(),
            },
            (
                Filter(
                    "status",
                    "status",
                    choice(*models.Territory.Status.values),
                    many=True,
                    description=gettext_lazy("статус: proposed, approved, archived"),
                ),
            ),
        )
    )
    layers.register(
        Layer(
            "buildings",
            "Здания",
            "Buildings",
            "MultiPolygon",
            models.Building.objects.with_residents,
            {
                "address": "address",
                "kind": "kind",
                "levels": "levels",
                "flats": "flats",
                "residents": "resident_count",
                "area_m2": area(),
            },
            (
                Filter(
                    "kind", "kind", many=True, description=gettext_lazy("тип здания")
                ),
                by_territory(),
            ),
        )
    )
    layers.register(
        Layer(
            "yards",
            "Дворы",
            "Yards",
            "MultiPolygon",
            models.Yard.objects.all,
            {"name": "name", "area_m2": area()},
            (by_territory(),),
        )
    )
    layers.register(
        Layer(
            "grounds",
            "Спортивные и детские площадки",
            "Sport grounds and playgrounds",
            "MultiPolygon",
            models.Ground.objects.all,
            {
                "kind": "kind",
                "name": "name",
                "area_m2": area(),
                "year": "year",
                "programme": "programme",
                "equipment": "equipment",
            },
            (
                Filter(
                    "kind",
                    "kind",
                    choice(*models.Ground.Kind.values),
                    many=True,
                    description=gettext_lazy("вид: sport, playground, other"),
                ),
                Filter(
                    "year", "year", integer, description=gettext_lazy("год установки")
                ),
                by_territory(),
            ),
        )
    )
    layers.register(
        Layer(
            "trees",
            "Деревья",
            "Trees",
            "Point",
            models.Tree.objects.all,
            {"species": "species", "planted_on": "planted_on", "campaign": "campaign"},
            (
                Filter("species", "species", description=gettext_lazy("порода")),
                Filter("campaign", "campaign", description=gettext_lazy("акция")),
                by_territory(),
            ),
        )
    )
    layers.register(
        Layer(
            "resource_centres",
            "Ресурсные центры",
            "Resource centres",
            "Point",
            models.ResourceCentre.objects.all,
            {
                "name": "name",
                "address": "address",
                "rooms": "rooms",
                "equipment": "equipment",
                "opening_hours": "opening_hours",
            },
        )
    )
    layers.register(
        Layer(
            "container_sites",
            "Контейнерные площадки",
            "Waste container sites",
            "Point",
            models.ContainerSite.objects.all,
            {"address": "address", "containers": "containers"},
            (by_territory(),),
        )
    )
    layers.register(
        ReportLayer(
            "reports",
            "Сообщения о проблемах",
            "Problem reports",
            "Point",
            models.ProblemReport.objects.public,
            report_properties(),
            report_filters(),
        )
    )
