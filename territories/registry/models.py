"""The district's places (docs/domain.md, "Places"), stored in settings.GIS_SRID."""

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db.models import F, FloatField, Func, Q
from django.utils.translation import gettext_lazy as _

from geo.models import GeoFeature

from .querysets import (
    BuildingQuerySet,
    DistrictQuerySet,
    GeoQuerySet,
    TerritoryQuerySet,
)

SRID = settings.GIS_SRID
# Shared area below this is floating-point noise, not an overlap (the same figure
# as the trigger's in territories/boundaries/migrations/0002_guards.py).
OVERLAP_TOLERANCE_M2 = 0.01


def area_of(field):
    """Area in m² of a geometry column, computed and stored by the database."""
    return models.GeneratedField(
        expression=Func(F(field), function="ST_Area", output_field=FloatField()),
        output_field=FloatField(),
        db_persist=True,
        verbose_name=_("площадь, м²"),
    )


class District(GeoFeature):
    name = models.CharField(_("название"), max_length=200, unique=True)
    name_en = models.CharField(_("название по-английски"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("население"), null=True, blank=True)
    population_date = models.DateField(_("население на дату"), null=True, blank=True)
    geom = models.MultiPolygonField(_("граница"), srid=SRID, spatial_index=False)

    objects = DistrictQuerySet.as_manager()

    class Meta(GeoFeature.Meta):
        verbose_name = _("городской округ")
        verbose_name_plural = _("городские округа")

    def __str__(self):
        return self.name


class Place(GeoFeature):
    """Abstract base of what lies in the district (docs/domain.md, "Places"): its
    geometry must lie inside the district's boundary, once one is recorded (a
    registry filled before its district is not refused for lacking one)."""

    class Meta(GeoFeature.Meta):
        abstract = True

    def allowed_area(self):
        return District.objects.area()


class Territory(Place):
    """A TOS (территориальное общественное самоуправление); the Duma sets its
    boundary on residents' proposal."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("предложена")
        APPROVED = "approved", _("утверждена")
        ARCHIVED = "archived", _("в архиве")

    district = models.ForeignKey(
        District, models.PROTECT, related_name="territories", verbose_name=_("округ")
    )
    name = models.CharField(_("название"), max_length=200, unique=True)
    population = models.PositiveIntegerField(_("объединяет жителей"), default=0)
    chair = models.CharField(_("председатель"), max_length=200, blank=True)
    chair_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_territories",
        verbose_name=_("учётная запись председателя"),
    )
    status = models.CharField(
        _("статус"), max_length=16, choices=Status, default=Status.APPROVED
    )
    decision_no = models.CharField(_("номер решения Думы"), max_length=64, blank=True)
    decision_date = models.DateField(_("дата решения Думы"), null=True, blank=True)
    initiative_group = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="initiative_territories",
        verbose_name=_("инициативная группа"),
        help_text=_("Кто предложил ТОС и может править черновик его границы."),
    )
    # The approved boundary: NULL while a proposed TOS has none yet. Drafts and the
    # history of every boundary are in territories.boundaries (docs/domain.md, "TOS").
    geom = models.MultiPolygonField(
        _("утверждённая граница"), srid=SRID, spatial_index=False, null=True, blank=True
    )
    area_m2 = area_of("geom")

    objects = TerritoryQuerySet.as_manager()

    class Meta(GeoFeature.Meta):
        verbose_name = _("ТОС")
        verbose_name_plural = _("ТОС")

    def __str__(self):
        return self.name

    def allowed_area(self):
        """A TOS lies in its own district (Положение о ТОС, docs/domain.md, "TOS")."""
        district = District.objects.filter(pk=self.district_id)
        return district.values_list("geom", flat=True).first()

    def validate_geom(self):
        """Also: an approved boundary shares no area with another approved one, so the
        admin says so before the database's trigger refuses it (docs/domain.md,
        "TOS boundaries")."""
        super().validate_geom()
        if self.geom is None or self.status != self.Status.APPROVED:
            if self.status == self.Status.APPROVED:
                raise ValidationError(
                    _("у утверждённого ТОС должна быть граница"), code="geometry"
                )
            return
        geom = self.geom
        if geom.srid not in (None, SRID):
            geom = geom.transform(SRID, clone=True)
        others = Territory.objects.approved().exclude(pk=self.pk)
        clashes = [
            (name, area.sq_m)
            for name, area in others.sharing_area_with(geom).values_list(
                "name", "shared_m2"
            )
            if area.sq_m > OVERLAP_TOLERANCE_M2
        ]
        if clashes:
            raise ValidationError(
                _("граница пересекается с утверждёнными ТОС: %s")
                % ", ".join(f"«{name}» ({area:.0f} м²)" for name, area in clashes),
                code="geometry",
            )


class Council(models.Model):
    """A council of an apartment building (совет МКД), an HOA (ТСЖ) or a public
    council (совет общественности)."""

    class Kind(models.TextChoices):
        MKD = "mkd", _("совет МКД")
        HOA = "hoa", _("ТСЖ")
        PUBLIC = "public", _("совет общественности")

    kind = models.CharField(_("вид"), max_length=16, choices=Kind, default=Kind.MKD)
    name = models.CharField(_("название"), max_length=200)
    chair = models.CharField(_("председатель"), max_length=200, blank=True)
    territory = models.ForeignKey(
        Territory,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="councils",
        verbose_name=_("ТОС"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="councils",
        verbose_name=_("представители"),
        help_text=_("Кто может бронировать залы и проводить мероприятия от совета."),
    )

    class Meta:
        verbose_name = _("совет")
        verbose_name_plural = _("советы")

    def __str__(self):
        return self.name


class Building(Place):
    """An apartment building (МКД) or any other building, with its footprint."""

    address = models.CharField(_("адрес"), max_length=300, blank=True)
    kind = models.CharField(
        _("тип (OSM building=*)"), max_length=64, blank=True, default="apartments"
    )
    levels = models.PositiveSmallIntegerField(_("этажей"), null=True, blank=True)
    flats = models.PositiveIntegerField(_("квартир"), null=True, blank=True)
    residents_recorded = models.PositiveIntegerField(
        _("жителей по учёту"), null=True, blank=True
    )
    residents_estimated = models.PositiveIntegerField(
        _("жителей по оценке"),
        null=True,
        blank=True,
        help_text=_("Этажность × площадь застройки / норма жилой площади на человека."),
    )
    council = models.ForeignKey(
        Council,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="buildings",
        verbose_name=_("совет"),
    )
    geom = models.MultiPolygonField(_("контур"), srid=SRID, spatial_index=False)
    area_m2 = area_of("geom")

    objects = BuildingQuerySet.as_manager()

    class Meta(GeoFeature.Meta):
        verbose_name = _("здание")
        verbose_name_plural = _("здания")

    def __str__(self):
        return self.address or f"#{self.pk}"


class Yard(Place):
    name = models.CharField(_("название"), max_length=200)
    geom = models.MultiPolygonField(_("контур"), srid=SRID, spatial_index=False)
    area_m2 = area_of("geom")

    objects = GeoQuerySet.as_manager()

    class Meta(GeoFeature.Meta):
        verbose_name = _("двор")
        verbose_name_plural = _("дворы")

    def __str__(self):
        return self.name


class YardWork(models.Model):
    """An improvement work done in a yard, by year and programme."""

    yard = models.ForeignKey(
        Yard, models.CASCADE, related_name="works", verbose_name=_("двор")
    )
    year = models.PositiveSmallIntegerField(_("год"))
    programme = models.CharField(_("программа"), max_length=200)
    description = models.TextField(_("что сделано"), blank=True)

    class Meta:
        verbose_name = _("работы по благоустройству")
        verbose_name_plural = _("работы по благоустройству")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.yard} — {self.year}"


class Ground(Place):
    """A sport ground, a playground or another recreation area, with its outline."""

    class Kind(models.TextChoices):
        SPORT = "sport", _("спортивная площадка")
        PLAYGROUND = "playground", _("детская площадка")
        OTHER = "other", _("другая площадка")

    kind = models.CharField(_("вид"), max_length=16, choices=Kind)
    name = models.CharField(_("название"), max_length=200, blank=True)
    equipment = models.TextField(_("оборудование"), blank=True)
    year = models.PositiveSmallIntegerField(_("год установки"), null=True, blank=True)
    programme = models.CharField(_("программа"), max_length=200, blank=True)
    geom = models.MultiPolygonField(_("контур"), srid=SRID, spatial_index=False)
    area_m2 = area_of("geom")

    objects = GeoQuerySet.as_manager()

    class Meta(GeoFeature.Meta):
        verbose_name = _("площадка")
        verbose_name_plural = _("площадки")
        constraints = [
            *GeoFeature.Meta.constraints,
            models.CheckConstraint(
                condition=Q(kind__in=["sport", "playground", "other"]),
                name="ground_kind_known",
            ),
        ]

    def __str__(self):
        return self.name or f"{self.get_kind_display()} #{self.pk}"


class Tree(Place):
    species = models.CharField(_("порода"), max_length=200, blank=True)
    planted_on = models.DateField(_("дата посадки"), null=True, blank=True)
    campaign = models.CharField(_("акция"), max_length=200, blank=True)
    geom = models.PointField(_("место"), srid=SRID, spatial_index=False)

    objects = GeoQuerySet.as_manager()

    class Meta(GeoFeature.Meta):
        verbose_name = _("дерево")
        verbose_name_plural = _("деревья")

    def __str__(self):
        return self.species or f"#{self.pk}"


class ResourceCentre(Place):
    """Lends rooms and office equipment to residents' groups free of charge."""

    name = models.CharField(_("название"), max_length=200)
    address = models.CharField(_("адрес"), max_length=300, blank=True)
    rooms = models.TextField(_("помещения"), blank=True)
    equipment = models.TextField(_("оборудование"), blank=True)
    opening_hours = models.CharField(_("часы работы"), max_length=200, blank=True)
    geom = models.PointField(_("место"), srid=SRID, spatial_index=False)

    objects = GeoQuerySet.as_manager()

    class Meta(GeoFeature.Meta):
        verbose_name = _("ресурсный центр")
        verbose_name_plural = _("ресурсные центры")

    def __str__(self):
        return self.name


class ContainerSite(Place):
    address = models.CharField(_("адрес"), max_length=300, blank=True)
    containers = models.PositiveSmallIntegerField(_("контейнеров"), default=0)
    geom = models.PointField(_("место"), srid=SRID, spatial_index=False)

    objects = GeoQuerySet.as_manager()

    class Meta(GeoFeature.Meta):
        verbose_name = _("контейнерная площадка")
        verbose_name_plural = _("контейнерные площадки")

    def __str__(self):
        return self.address or f"#{self.pk}"


class Way(Place):
    """A footway or street that pedestrians may walk (OSM `highway=*`): the lines the
    walking network is made of (docs/domain.md, "Walking distance")."""

    kind = models.CharField(_("тип (OSM highway=*)"), max_length=64)
    name = models.CharField(_("название"), max_length=200, blank=True)
    geom = models.MultiLineStringField(_("линия"), srid=SRID, spatial_index=False)

    objects = GeoQuerySet.as_manager()

    class Meta(GeoFeature.Meta):
        verbose_name = _("пешеходный путь")
        verbose_name_plural = _("пешеходные пути")

    def __str__(self):
        return self.name or f"{self.kind} #{self.pk}"
