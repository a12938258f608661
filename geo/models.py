"""Shared building blocks of every geo model."""

from django.contrib.postgres.indexes import GistIndex
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
    validity constraint, an optional OpenStreetMap id, and change timestamps."""

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
