"""The city contests (docs/domain.md, "Contests"): a contest runs a season a year;
a season has nominations, criteria and a jury; residents' organisations apply with
entries; jurors score each entry on a sheet; the ranking is published.

The database keeps what matters: one sheet line per juror, entry and criterion; a
score within 0 … the criterion's maximum, only while the season is judged, and on a
criterion of the entry's season (trigger, migration 0002); a season's state moves
only forward, one step at a time, each step logged once (trigger and unique
constraint); the placings exist only for a published season."""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from territories.registry.models import Building, Council, Territory, Yard

from .querysets import EntryQuerySet, SeasonQuerySet

SRID = settings.GIS_SRID
MAX_PHOTOS = 10


class Contest(models.Model):
    """One of the city's contests: the four traditional ones are seeded (migration
    0003_traditional_contests); the administrator may add more."""

    name = models.CharField(_("название"), max_length=200, unique=True)
    code = models.SlugField(_("код"), max_length=64, unique=True)
    description = models.TextField(_("описание"), blank=True)
    traditional = models.BooleanField(_("традиционный"), default=False)

    class Meta:
        verbose_name = _("конкурс")
        verbose_name_plural = _("конкурсы")
        ordering = ["-traditional", "name"]

    def __str__(self):
        return self.name


class Season(models.Model):
    """A contest's year. Applications are taken while the state is `open` and the
    window is open; jurors score in `judging`; `closed` ends scoring; `published`
    shows the ranking (computed and stored in the same transaction)."""

    class State(models.TextChoices):
        OPEN = "open", _("приём заявок")
        JUDGING = "judging", _("работа жюри")
        CLOSED = "closed", _("оценка завершена")
        PUBLISHED = "published", _("итоги опубликованы")

    contest = models.ForeignKey(
        Contest, models.PROTECT, related_name="seasons", verbose_name=_("конкурс")
    )
    year = models.PositiveSmallIntegerField(_("год"))
    opens_at = models.DateTimeField(_("приём заявок с"))
    closes_at = models.DateTimeField(_("приём заявок до"))
    state = models.CharField(
        _("состояние"), max_length=16, choices=State, default=State.OPEN
    )
    winners_per_nomination = models.PositiveSmallIntegerField(
        _("призовых мест в номинации"), default=3
    )
    tie_rule = models.TextField(
        _("правило равенства баллов"),
        default=(
            "При равном взвешенном балле выше та заявка, у которой выше средний "
            "балл по самому весомому критерию; при равенстве и его — поданная "
            "раньше."
        ),
        help_text=_("Как рейтинг разводит равные баллы (docs/domain.md, «Конкурсы»)."),
    )

    # Demo rows are known by a key (territories/contests/demo.py).
    demo_key = models.CharField(max_length=64, null=True, blank=True, unique=True)  # noqa: DJ001

    objects = SeasonQuerySet.as_manager()

    class Meta:
        verbose_name = _("сезон конкурса")
        verbose_name_plural = _("сезоны конкурсов")
        ordering = ["-year", "contest__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "year"], name="season_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="season_window_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["open", "judging", "closed", "published"]),
                name="season_state_known",
            ),
            models.CheckConstraint(
                condition=Q(winners_per_nomination__gte=1),
                name="season_has_winners",
            ),
        ]

    def __str__(self):
        return f"{self.contest.name} — {self.year}"

    @property
    def published(self):
        return self.state == self.State.PUBLISHED


class Nomination(models.Model):
    """A nomination of a season and which applicants it takes."""

    season = models.ForeignKey(
        Season, models.CASCADE, related_name="nominations", verbose_name=_("сезон")
    )
    name = models.CharField(_("название"), max_length=200)
    for_councils = models.BooleanField(_("принимает заявки советов"), default=False)
    for_territories = models.BooleanField(_("принимает заявки ТОС"), default=False)
    for_residents = models.BooleanField(_("принимает заявки жителей"), default=False)

    class Meta:
        verbose_name = _("номинация")
        verbose_name_plural = _("номинации")
        ordering = ["season", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "name"], name="nomination_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(for_councils=True)
                | Q(for_territories=True)
                | Q(for_residents=True),
                name="nomination_takes_someone",
            ),
        ]

    def __str__(self):
        return self.name

    def takes(self, kind):
        return {
            Entry.ApplicantKind.COUNCIL: self.for_councils,
            Entry.ApplicantKind.TERRITORY: self.for_territories,
            Entry.ApplicantKind.RESIDENT: self.for_residents,
        }[kind]


class Criterion(models.Model):
    season = models.ForeignKey(
        Season, models.CASCADE, related_name="criteria", verbose_name=_("сезон")
    )
    name = models.CharField(_("название"), max_length=200)
    weight = models.DecimalField(_("вес"), max_digits=6, decimal_places=2, default=1)
    max_score = models.PositiveSmallIntegerField(_("высший балл"), default=10)

    class Meta:
        verbose_name = _("критерий")
        verbose_name_plural = _("критерии")
        ordering = ["season", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "name"], name="criterion_name_unique"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="criterion_max"),
        ]

    def __str__(self):
        return self.name


class Juror(models.Model):
    """A member of a season's jury. Conflicts of interest come from the registry
    (the TOS they chair or are in the initiative group of, the councils they
    represent) and from the home TOS or council the juror declares here."""

    season = models.ForeignKey(
        Season, models.CASCADE, related_name="jurors", verbose_name=_("сезон")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="contest_juries",
        verbose_name=_("учётная запись"),
    )
    home_territory = models.ForeignKey(
        Territory,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("свой ТОС"),
    )
    home_council = models.ForeignKey(
        Council,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("свой совет"),
    )

    class Meta:
        verbose_name = _("член жюри")
        verbose_name_plural = _("жюри")
        constraints = [
            models.UniqueConstraint(fields=["season", "user"], name="juror_once"),
        ]

    def __str__(self):
        return f"{self.season} — #{self.user_id}"


class Entry(models.Model):
    """An application. The applicant's account is never shown; the public sees the
    organisation's name, or for a resident the display name they chose."""

    class ApplicantKind(models.TextChoices):
        COUNCIL = "council", _("совет")
        TERRITORY = "territory", _("ТОС")
        RESIDENT = "resident", _("житель")

    class PlaceKind(models.TextChoices):
        BUILDING = "building", _("дом")
        YARD = "yard", _("двор")
        TERRITORY = "territory", _("ТОС")

    class State(models.TextChoices):
        PENDING = "pending", _("на модерации")
        APPROVED = "approved", _("принята")
        REJECTED = "rejected", _("отклонена")

    season = models.ForeignKey(
        Season, models.PROTECT, related_name="entries", verbose_name=_("сезон")
    )
    nomination = models.ForeignKey(
        Nomination, models.PROTECT, related_name="entries", verbose_name=_("номинация")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="contest_entries",
        verbose_name=_("подал"),
    )
    applicant_kind = models.CharField(
        _("заявитель"), max_length=16, choices=ApplicantKind
    )
    applicant_council = models.ForeignKey(
        Council,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contest_entries",
        verbose_name=_("заявитель: совет"),
    )
    applicant_territory = models.ForeignKey(
        Territory,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contest_entries",
        verbose_name=_("заявитель: ТОС"),
    )
    display_name = models.CharField(
        _("имя для публикации"),
        max_length=100,
        blank=True,
        help_text=_("Только для заявки жителя: как подписать заявку публично."),
    )
    title = models.CharField(_("название"), max_length=200)
    description = models.TextField(_("описание"), blank=True)
    place_kind = models.CharField(_("место"), max_length=16, choices=PlaceKind)
    building = models.ForeignKey(
        Building,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contest_entries",
        verbose_name=_("дом"),
    )
    yard = models.ForeignKey(
        Yard,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contest_entries",
        verbose_name=_("двор"),
    )
    territory = models.ForeignKey(
        Territory,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contest_places",
        verbose_name=_("место: ТОС"),
    )
    geom = models.PointField(_("точка на карте"), srid=SRID, spatial_index=False)
    state = models.CharField(
        _("модерация"), max_length=16, choices=State, default=State.PENDING
    )
    rejection_reason = models.TextField(_("причина отклонения"), blank=True)
    created_at = models.DateTimeField(_("подана"), auto_now_add=True)
    edited_at = models.DateTimeField(_("изменена"), auto_now=True)
    # Demo rows are known by a key (territories/contests/demo.py).
    demo_key = models.CharField(max_length=64, null=True, blank=True, unique=True)  # noqa: DJ001

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("заявка")
        verbose_name_plural = _("заявки")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["season", "state"], name="entry_season_state"),
            GistIndex(fields=["geom"], name="entry_geom_gist"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        applicant_kind="council",
                        applicant_council__isnull=False,
                        applicant_territory__isnull=True,
                        display_name="",
                    )
                    | Q(
                        applicant_kind="territory",
                        applicant_council__isnull=True,
                        applicant_territory__isnull=False,
                        display_name="",
                    )
                    | (
                        Q(
                            applicant_kind="resident",
                            applicant_council__isnull=True,
                            applicant_territory__isnull=True,
                        )
                        & ~Q(display_name="")
                    )
                ),
                name="entry_one_applicant",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        place_kind="building",
                        building__isnull=False,
                        yard__isnull=True,
                        territory__isnull=True,
                    )
                    | Q(
                        place_kind="yard",
                        building__isnull=True,
                        yard__isnull=False,
                        territory__isnull=True,
                    )
                    | Q(
                        place_kind="territory",
                        building__isnull=True,
                        yard__isnull=True,
                        territory__isnull=False,
                    )
                ),
                name="entry_one_place",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "approved", "rejected"]),
                name="entry_state_known",
            ),
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(rejection_reason=""),
                name="entry_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(geom__isvalid=True), name="entry_geom_valid"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def applicant_name(self):
        """What the public sees of the applicant: never an account."""
        if self.applicant_council_id:
            return self.applicant_council.name
        if self.applicant_territory_id:
            return _("ТОС «%s»") % self.applicant_territory.name
        return self.display_name

    @property
    def place_name(self):
        if self.building_id:
            return self.building.address or _("дом №%d") % self.building_id
        if self.yard_id:
            return _("двор «%s»") % self.yard.name
        return _("ТОС «%s»") % self.territory.name


class EntryPhoto(models.Model):
    entry = models.ForeignKey(
        Entry, models.CASCADE, related_name="photos", verbose_name=_("заявка")
    )
    image = models.ImageField(_("фото"), upload_to="contests/%Y/%m/")
    width = models.PositiveIntegerField(_("ширина"))
    height = models.PositiveIntegerField(_("высота"))
    created_at = models.DateTimeField(_("загружено"), auto_now_add=True)

    class Meta:
        verbose_name = _("фото заявки")
        verbose_name_plural = _("фото заявок")
        ordering = ["pk"]


class Score(models.Model):
    """One line of a juror's sheet. Never public (docs/domain.md, "Contests")."""

    juror = models.ForeignKey(
        Juror, models.CASCADE, related_name="scores", verbose_name=_("член жюри")
    )
    entry = models.ForeignKey(
        Entry, models.CASCADE, related_name="scores", verbose_name=_("заявка")
    )
    criterion = models.ForeignKey(
        Criterion, models.CASCADE, related_name="scores", verbose_name=_("критерий")
    )
    value = models.DecimalField(_("балл"), max_digits=6, decimal_places=2)
    scored_at = models.DateTimeField(_("оценено"), auto_now=True)

    class Meta:
        verbose_name = _("оценка")
        verbose_name_plural = _("оценки")
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "entry", "criterion"], name="score_once"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="score_not_negative"
            ),
        ]


class Placing(models.Model):
    """An entry's place in its nomination, stored when the season is published
    (services/ranking.py computes it in SQL)."""

    entry = models.OneToOneField(
        Entry, models.CASCADE, related_name="placing", verbose_name=_("заявка")
    )
    nomination = models.ForeignKey(
        Nomination, models.CASCADE, related_name="placings", verbose_name=_("номинация")
    )
    score = models.DecimalField(_("балл"), max_digits=7, decimal_places=3)
    rank = models.PositiveIntegerField(_("место"))
    winner = models.BooleanField(_("призёр"), default=False)

    class Meta:
        verbose_name = _("место в рейтинге")
        verbose_name_plural = _("рейтинг")
        ordering = ["nomination", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "rank"], name="placing_rank_unique"
            ),
        ]


class StateChange(models.Model):
    season = models.ForeignKey(
        Season, models.CASCADE, related_name="state_changes", verbose_name=_("сезон")
    )
    from_state = models.CharField(_("из"), max_length=16, choices=Season.State)
    to_state = models.CharField(_("в"), max_length=16, choices=Season.State)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто"),
    )
    at = models.DateTimeField(_("когда"), auto_now_add=True)

    class Meta:
        verbose_name = _("смена состояния")
        verbose_name_plural = _("смены состояний")
        ordering = ["season", "at", "pk"]
        constraints = [
            # Each step happens once: two racing transitions cannot both log it.
            models.UniqueConstraint(
                fields=["season", "to_state"], name="statechange_once"
            ),
        ]
