"""Shared building blocks of every geo model."""

from django.contrib.postgres.indexes import GistIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .validators import validate_geometry


def check_field(clean_fields, name, exclude, check):
    """`clean_fields(exclude)` (a model's inherited one), then `check()` on the field
    `name` unless it is excluded or has failed already; all errors raised together.

    Called from a model's `clean_fields()` rather than `clean()`: only the former is
    told which fields a form leaves out, and an error on a field the form lacks would
    crash the form (Django's docs, "Model.clean()")."""
    errors = {}
    try:
        clean_fields(exclude=exclude)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if name not in errors and name not in (exclude or ()):
        try:
            check()
        except ValidationError as error:
            errors[name] = error.error_list
    if errors:
        raise ValidationError(errors)


class LayerState(models.Model):
    """When a layer's table last changed; kept by a statement trigger on that table, so
    imports and raw SQL bump it too. Layers' ETag and Last-Modified come from here."""

    table = models.CharField(_("таблица"), max_length=63, primary_key=True)
    changed_at = models.DateTimeField(_("изменено"))

    class Meta:
        verbose_name = _("состояние слоя")
        verbose_name_plural = _("состояния слоёв")

    def __str__(self):
        return f"{self.table} @ {self.changed_at:%Y-%m-%d %H:%M:%S}"


class GeoFeature(models.Model):
    """Abstract base: a subclass declares `geom`; it gets a named GiST index on it and a
    validity constraint, an optional OpenStreetMap id, and change timestamps. Its
    validation (so the admin too) refuses a geometry with `geo.validators`' reason
    before the constraint would refuse it without one (docs/architecture.md,
    "Geometry checks")."""

    osm_id = models.CharField(  # noqa: DJ001 (NULL: many rows have no OSM id)
        _("идентификатор OSM"),
        max_length=32,
        blank=True,
        null=True,
        help_text=_("Например way/123 — заполняется импортом OpenStreetMap."),
    )
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        abstract = True
        indexes = [GistIndex(fields=["geom"], name="%(class)s_geom_gist")]
        constraints = [
            models.CheckConstraint(
                condition=Q(geom__isvalid=True), name="%(class)s_geom_valid"
            ),
            models.UniqueConstraint(
                fields=["osm_id"],
                condition=Q(osm_id__isnull=False),
                name="%(class)s_osm_id_unique",
            ),
        ]

    def clean_fields(self, exclude=None):
        check_field(super().clean_fields, "geom", exclude, self.validate_geom)

    def validate_geom(self):
        field = self._meta.get_field("geom")
        if self.geom is None:  # allowed only where the field is null=True
            return
        validate_geometry(
            self.geom,
            types=(field.geom_class.__name__,),
            srid=field.srid,
            within=self.allowed_area(),
        )

    def allowed_area(self):
        """The area (GEOS, in the field's SRID) that must cover the geometry, or None
        for anywhere; `geo` knows no district, the domain's subclasses do."""
        return None


class LimitHit(models.Model):
    """One counted action of a rate limit: which limit, whose (a salted hash, never
    the address or name itself), when. `geo.limits` counts them in a sliding window
    (docs/architecture.md, "Limits"); rows older than a day are purged as new ones
    come, so the table holds about a day's worth of counted actions."""

    scope = models.CharField(_("ограничение"), max_length=32)
    key = models.CharField(_("чей"), max_length=64)
    at = models.DateTimeField(_("когда"))

    class Meta:
        verbose_name = _("учтённое действие")
        verbose_name_plural = _("учтённые действия")
        indexes = [
            models.Index(fields=["scope", "key", "at"], name="limithit_scope_key_at"),
            models.Index(fields=["at"], name="limithit_at"),
        ]

    def __str__(self):
        return f"{self.scope} @ {self.at:%Y-%m-%d %H:%M:%S}"
