"""The forum of active citizens «Ангарск – это мы!» (docs/domain.md, "Forum"):
rounds with a voting window, residents' projects, one vote per person and project,
and the winners carried out as implementation projects. Geometry in GIS_SRID."""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from territories.registry.models import Council, Place, Territory

from .querysets import ImplementationQuerySet, ProjectQuerySet

SRID = settings.GIS_SRID


class Round(models.Model):
    """A session of the forum: projects are submitted to it and voted for within
    its window; when it has closed a specialist chooses the winners."""

    title = models.CharField(_("название"), max_length=200)
    description = models.TextField(_("описание"), blank=True)
    opens_at = models.DateTimeField(_("голосование открывается"))
    closes_at = models.DateTimeField(_("голосование закрывается"))
    votes_per_person = models.PositiveSmallIntegerField(
        _("голосов у человека"),
        null=True,
        blank=True,
        help_text=_(
            "За сколько проектов может проголосовать один человек; "
            "пусто — без ограничения."
        ),
    )
    own_project_votes = models.BooleanField(
        _("можно голосовать за свой проект"), default=False
    )
    winners_chosen_at = models.DateTimeField(
        _("победители выбраны"), null=True, blank=True
    )
    # Demo rows are known by this key (demo.py); NULL for real rounds.
    demo_key = models.CharField(max_length=64, null=True, blank=True, unique=True)  # noqa: DJ001

    class Meta:
        verbose_name = _("сессия форума")
        verbose_name_plural = _("сессии форума")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="round_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(votes_per_person__isnull=True) | Q(votes_per_person__gt=0),
                name="round_votes_per_person_positive",
            ),
        ]

    def __str__(self):
        return self.title


class Project(Place):
    """A resident's project. `geom` is its point on the map (the point drawn, or the
    drawn area's point on surface); `area` the drawn polygon, if any."""

    class State(models.TextChoices):
        DRAFT = "draft", _("черновик")
        SUBMITTED = "submitted", _("на модерации")
        APPROVED = "approved", _("допущен к голосованию")
        REJECTED = "rejected", _("отклонён")
        WINNER = "winner", _("победитель")

    round = models.ForeignKey(
        Round, models.PROTECT, related_name="projects", verbose_name=_("сессия")
    )
    title = models.CharField(_("название"), max_length=200)
    description = models.TextField(_("описание"))
    budget = models.PositiveBigIntegerField(_("оценка стоимости, руб."))
    geom = models.PointField(_("точка на карте"), srid=SRID, spatial_index=False)
    area = models.MultiPolygonField(
        _("территория проекта"), srid=SRID, null=True, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="forum_projects",
        verbose_name=_("автор"),
    )
    # Optional and the author's word: a TOS or council that goes leaves the project.
    territory = models.ForeignKey(
        Territory,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_projects",
        verbose_name=_("ТОС автора"),
    )
    council = models.ForeignKey(
        Council,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_projects",
        verbose_name=_("совет автора"),
    )
    state = models.CharField(
        _("состояние"), max_length=16, choices=State, default=State.SUBMITTED
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("модератор"),
    )
    moderated_at = models.DateTimeField(_("рассмотрен"), null=True, blank=True)
    # Shown to the author only (the public sees approved projects only).
    reason = models.TextField(_("причина отказа"), blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta(Place.Meta):
        verbose_name = _("проект форума")
        verbose_name_plural = _("проекты форума")
        ordering = ["pk"]
        constraints = [
            *Place.Meta.constraints,
            models.CheckConstraint(
                condition=Q(budget__gt=0), name="project_budget_positive"
            ),
            models.CheckConstraint(
                condition=Q(area__isnull=True) | Q(area__isvalid=True),
                name="project_area_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    state__in=["draft", "submitted", "approved", "rejected", "winner"]
                ),
                name="project_state_known",
            ),
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(reason=""),
                name="project_rejected_with_reason",
            ),
        ]

    def __str__(self):
        return self.title


class ProjectPhoto(models.Model):
    project = models.ForeignKey(Project, models.CASCADE, related_name="photos")
    image = models.ImageField(_("фото"), upload_to="forum/projects/%Y/%m/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("фото проекта")
        verbose_name_plural = _("фото проектов")
        ordering = ["pk"]


class Vote(models.Model):
    """One person's vote for one project. The voter is never shown publicly; the
    database holds one row per project and voter (`vote_once`) and, under an
    advisory lock per voter and round, the round's per-person limit and window
    (forum migration 0002)."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="votes")
    project = models.ForeignKey(Project, models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="forum_votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("голос")
        verbose_name_plural = _("голоса")
        constraints = [
            models.UniqueConstraint(fields=["project", "voter"], name="vote_once"),
        ]
        indexes = [models.Index(fields=["round", "voter"], name="vote_round_voter")]


class Implementation(Place):
    """A winning project being carried out (docs/domain.md, "Forum")."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("запланирован")
        IN_PROGRESS = "in_progress", _("выполняется")
        DONE = "done", _("выполнен")

    project = models.OneToOneField(
        Project, models.PROTECT, related_name="implementation", verbose_name=_("проект")
    )
    geom = models.PointField(_("точка на карте"), srid=SRID, spatial_index=False)
    status = models.CharField(
        _("статус"), max_length=16, choices=Status, default=Status.PLANNED
    )
    budget = models.PositiveBigIntegerField(_("бюджет, руб."))
    responsible = models.CharField(_("ответственный"), max_length=300, blank=True)
    started_on = models.DateField(_("начат"), null=True, blank=True)
    done_on = models.DateField(_("завершён"), null=True, blank=True)

    objects = ImplementationQuerySet.as_manager()

    class Meta(Place.Meta):
        verbose_name = _("реализация проекта")
        verbose_name_plural = _("реализация проектов")
        ordering = ["pk"]
        constraints = [
            *Place.Meta.constraints,
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress", "done"]),
                name="implementation_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False),
                name="implementation_done_has_date",
            ),
            models.CheckConstraint(
                condition=Q(budget__gt=0), name="implementation_budget_positive"
            ),
        ]

    def __str__(self):
        return self.project.title


class ImplementationPhoto(models.Model):
    class Stage(models.TextChoices):
        BEFORE = "before", _("до")
        AFTER = "after", _("после")

    implementation = models.ForeignKey(
        Implementation, models.CASCADE, related_name="photos"
    )
    stage = models.CharField(_("когда"), max_length=8, choices=Stage)
    image = models.ImageField(_("фото"), upload_to="forum/implementation/%Y/%m/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("фото реализации")
        verbose_name_plural = _("фото реализации")
        ordering = ["stage", "pk"]


class Follower(models.Model):
    """Someone told by mail of an implementation's status changes, once they have
    confirmed their address by the link mailed to them (as the reports' followers).
    The address is never shown publicly."""

    implementation = models.ForeignKey(
        Implementation, models.CASCADE, related_name="followers"
    )
    email = models.EmailField(_("e-mail"))
    salt = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("подписчик")
        verbose_name_plural = _("подписчики")
        constraints = [
            models.UniqueConstraint(
                fields=["implementation", "email"], name="follower_once"
            ),
        ]
