"""Norms and kept analyses of coverage (docs/domain.md, "Coverage of grounds")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NormQuerySet(models.QuerySet):
    def value(self, code):
        """The value of the norm `code` (raises Norm.DoesNotExist when missing)."""
        return self.get(code=code).value


class Norm(models.Model):
    """A planning norm with its value, unit and source; planners edit them in the
    admin. The defaults come from the design brief, §5 (migration 0001)."""

    code = models.SlugField(_("код"), max_length=64, unique=True)
    title = models.CharField(_("норматив"), max_length=200)
    value = models.FloatField(_("значение"))
    unit = models.CharField(_("единица"), max_length=32)
    source = models.CharField(_("источник"), max_length=300)

    objects = NormQuerySet.as_manager()

    class Meta:
        verbose_name = _("норматив")
        verbose_name_plural = _("нормативы")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gt=0), name="norm_positive"
            )
        ]

    def __str__(self):
        return f"{self.title}: {self.value:g} {self.unit}"


class Analysis(models.Model):
    """A computed analysis, kept under a key that names its parameters and the
    version of the data it read, so it is shown again without recomputing until
    the data change (docs/domain.md, "Coverage of grounds")."""

    class State(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        RUNNING = "running", _("считается")
        DONE = "done", _("готово")
        FAILED = "failed", _("ошибка")

    key = models.CharField(_("ключ"), max_length=200, unique=True)
    kind = models.CharField(_("вид анализа"), max_length=32)
    params = models.JSONField(_("параметры"), default=dict)
    state = models.CharField(
        _("состояние"), max_length=16, choices=State, default=State.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("готовность, %"), default=0)
    result = models.JSONField(_("результат"), null=True, blank=True)
    error = models.TextField(_("ошибка"), blank=True)
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    finished_at = models.DateTimeField(_("завершён"), null=True, blank=True)

    class Meta:
        verbose_name = _("анализ")
        verbose_name_plural = _("анализы")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="analysis_progress_max"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running", "done", "failed"]),
                name="analysis_state_known",
            ),
        ]

    def __str__(self):
        return self.key
