"""Versions of TOS boundaries (docs/domain.md, "TOS boundaries").

Each saved draft is a new `BoundaryVersion`; the newest version's state is the
territory's boundary state: черновик → на согласовании → утверждено | возвращено.
Approval copies the version's geometry to `Territory.geom`, where the database
guarantees that approved territories never overlap (migration 0002)."""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from territories.registry.models import Territory, area_of

from .querysets import VersionQuerySet


class BoundaryVersion(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("черновик")
        SUBMITTED = "submitted", _("на согласовании")
        APPROVED = "approved", _("утверждено")
        RETURNED = "returned", _("возвращено")

    territory = models.ForeignKey(
        Territory, models.CASCADE, related_name="versions", verbose_name=_("ТОС")
    )
    number = models.PositiveIntegerField(_("номер версии"))
    state = models.CharField(
        _("состояние"), max_length=16, choices=State, default=State.DRAFT
    )
    geom = models.MultiPolygonField(
        _("граница"), srid=settings.GIS_SRID, spatial_index=False
    )
    area_m2 = area_of("geom")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("автор"),
    )
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("отправлена"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("рассмотрел"),
    )
    reviewed_at = models.DateTimeField(_("рассмотрена"), null=True, blank=True)
    decision_number = models.CharField(
        _("номер решения Думы"), max_length=64, blank=True
    )
    decision_date = models.DateField(_("дата решения Думы"), null=True, blank=True)
    comment = models.TextField(_("комментарий"), blank=True)
    restored_from = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("восстановлена из версии"),
    )

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("версия границы")
        verbose_name_plural = _("версии границ")
        ordering = ["territory", "-number"]
        indexes = [GistIndex(fields=["geom"], name="boundaryversion_geom_gist")]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "number"], name="boundaryversion_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(geom__isvalid=True), name="boundaryversion_geom_valid"
            ),
            # One submission under review per territory at a time.
            models.UniqueConstraint(
                fields=["territory"],
                condition=Q(state="submitted"),
                name="boundaryversion_one_submitted",
            ),
            models.CheckConstraint(
                condition=~Q(state="approved")
                | (~Q(decision_number="") & Q(decision_date__isnull=False)),
                name="boundaryversion_approved_has_decision",
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(comment=""),
                name="boundaryversion_returned_has_comment",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "submitted", "approved", "returned"]),
                name="boundaryversion_state_known",
            ),
        ]

    def __str__(self):
        return f"{self.territory} — v{self.number} ({self.get_state_display()})"
