"""Rooms of the resource centres and their bookings (docs/domain.md, "Resource
centres and bookings"). The centre itself is the registry's `ResourceCentre`.

The one guarantee that matters most is the database's: two live bookings of one room
never overlap (`booking_no_overlap`, an exclusion constraint over `during`, with
btree_gist for the room's `=`). A requested booking holds its slot until a decision,
so two requests for one slot cannot both be waiting either."""

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import (
    ArrayField,
    DateTimeRangeField,
    RangeOperators,
)
from django.db import models
from django.db.models import Case, F, Func, Q, When
from django.utils.translation import gettext_lazy as _

from territories.registry.models import Council, ResourceCentre, Territory

from .querysets import BookingQuerySet, ClosureQuerySet


class Equipment(models.TextChoices):
    """What a room offers, as known codes (the API and filters speak the codes)."""

    PROJECTOR = "projector", _("проектор")
    SCREEN = "screen", _("экран")
    CHAIRS = "chairs", _("стулья")
    TABLES = "tables", _("столы")
    PRINTER = "printer", _("принтер-копир")
    COMPUTER = "computer", _("компьютер")
    WIFI = "wifi", _("Wi-Fi")
    FLIPCHART = "flipchart", _("флипчарт")
    SOUND = "sound", _("звукоусиление")
    MICROPHONE = "microphone", _("микрофон")
    BOARD = "board", _("маркерная доска")


class Room(models.Model):
    centre = models.ForeignKey(
        ResourceCentre,
        models.CASCADE,
        related_name="room_set",
        verbose_name=_("ресурсный центр"),
    )
    name = models.CharField(_("название"), max_length=200)
    capacity = models.PositiveIntegerField(_("мест"))
    equipment = ArrayField(
        models.CharField(max_length=32, choices=Equipment),
        verbose_name=_("оборудование"),
        default=list,
        blank=True,
    )
    step_free = models.BooleanField(_("доступен без ступеней"), default=False)
    accessibility = models.CharField(
        _("доступность: пояснение"),
        max_length=300,
        blank=True,
        help_text=_("Например: пандус со двора, лифт, ширина дверей."),
    )
    description = models.TextField(_("описание"), blank=True)

    class Meta:
        verbose_name = _("зал")
        verbose_name_plural = _("залы")
        ordering = ["centre_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gt=0), name="room_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(equipment__contained_by=Equipment.values),
                name="room_equipment_known",
            ),
            models.UniqueConstraint(fields=["centre", "name"], name="room_name_unique"),
        ]

    def __str__(self):
        return f"{self.centre} — {self.name}"

    @property
    def equipment_labels(self):
        labels = dict(Equipment.choices)
        return [labels[code] for code in self.equipment if code in labels]


class OpeningHours(models.Model):
    """One interval of a weekday, local time (settings.TIME_ZONE). A day may have
    several (a lunch break); a weekday without rows is closed."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("понедельник")
        TUESDAY = 1, _("вторник")
        WEDNESDAY = 2, _("среда")
        THURSDAY = 3, _("четверг")
        FRIDAY = 4, _("пятница")
        SATURDAY = 5, _("суббота")
        SUNDAY = 6, _("воскресенье")

    centre = models.ForeignKey(
        ResourceCentre,
        models.CASCADE,
        related_name="opening_hours_set",
        verbose_name=_("ресурсный центр"),
    )
    weekday = models.PositiveSmallIntegerField(_("день недели"), choices=Weekday)
    opens = models.TimeField(_("открывается"))
    closes = models.TimeField(_("закрывается"))

    class Meta:
        verbose_name = _("часы работы")
        verbose_name_plural = _("часы работы")
        ordering = ["centre_id", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")), name="opening_hours_opens_first"
            ),
            models.CheckConstraint(
                condition=Q(weekday__lte=6), name="opening_hours_weekday"
            ),
            models.UniqueConstraint(
                fields=["centre", "weekday", "opens"], name="opening_hours_unique"
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """The centre (no room) or one room is closed: holidays, repairs. Added through
    `services.closures.add`, which refuses it over live bookings unless told to
    cancel them (docs/domain.md, "Resource centres and bookings")."""

    centre = models.ForeignKey(
        ResourceCentre,
        models.CASCADE,
        related_name="closures",
        verbose_name=_("ресурсный центр"),
    )
    room = models.ForeignKey(
        Room,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("зал"),
        help_text=_("Пусто — закрыт весь центр."),
    )
    starts_at = models.DateTimeField(_("с"))
    ends_at = models.DateTimeField(_("по"))
    reason = models.CharField(_("причина"), max_length=300)

    objects = ClosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("закрытие")
        verbose_name_plural = _("закрытия")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="closure_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.centre}: {self.reason}"


class CentreStaff(models.Model):
    """An account that decides on the centre's bookings (with Role.CENTRE_STAFF)."""

    centre = models.ForeignKey(
        ResourceCentre,
        models.CASCADE,
        related_name="staff",
        verbose_name=_("ресурсный центр"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="centre_posts",
        verbose_name=_("сотрудник"),
    )

    class Meta:
        verbose_name = _("сотрудник центра")
        verbose_name_plural = _("сотрудники центров")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "user"], name="centre_staff_unique"
            )
        ]

    def __str__(self):
        return f"{self.centre}: {self.user}"


class BookingSeries(models.Model):
    """What was asked for once: a room for one date or a repeating one. Its dates
    are its `bookings`; each is decided, moved or cancelled on its own. The
    organiser is exactly one of a TOS, a council or an initiative group by name
    (territories/accounts/organisers.py); `requested_by` is personal and never
    public."""

    class Repeat(models.TextChoices):
        NONE = "none", _("без повторения")
        WEEKLY = "weekly", _("каждую неделю")
        MONTHLY = "monthly", _("каждый месяц")

    room = models.ForeignKey(
        Room, models.CASCADE, related_name="series", verbose_name=_("зал")
    )
    territory = models.ForeignKey(
        Territory,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="booking_series",
        verbose_name=_("организатор: ТОС"),
    )
    council = models.ForeignKey(
        Council,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="booking_series",
        verbose_name=_("организатор: совет"),
    )
    group_name = models.CharField(
        _("организатор: инициативная группа"), max_length=200, blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="booking_series",
        verbose_name=_("запросил"),
    )
    title = models.CharField(_("название"), max_length=200)
    purpose = models.TextField(_("цель"), blank=True)
    people = models.PositiveIntegerField(_("ожидается человек"), null=True, blank=True)
    repeat = models.CharField(
        _("повторение"), max_length=16, choices=Repeat, default=Repeat.NONE
    )
    until = models.DateField(_("повторять до"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("раз"), null=True, blank=True)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)

    class Meta:
        verbose_name = _("серия бронирований")
        verbose_name_plural = _("серии бронирований")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(territory__isnull=False, council__isnull=True, group_name="")
                    | Q(territory__isnull=True, council__isnull=False, group_name="")
                    | (
                        Q(territory__isnull=True, council__isnull=True)
                        & ~Q(group_name="")
                    )
                ),
                name="booking_series_one_organiser",
            ),
            models.CheckConstraint(
                condition=(
                    Q(repeat="none", until__isnull=True, count__isnull=True)
                    | (
                        ~Q(repeat="none")
                        & (Q(until__isnull=False) | Q(count__isnull=False))
                    )
                ),
                name="booking_series_repeat_bounded",
            ),
            models.CheckConstraint(
                condition=Q(people__isnull=True) | Q(people__gt=0),
                name="booking_series_people_positive",
            ),
        ]

    def __str__(self):
        return self.title


class TsTzRange(Func):
    function = "tstzrange"
    output_field = DateTimeRangeField()


class Booking(models.Model):
    """One date of a series: requested → accepted | declined | cancelled (an
    accepted one may still be cancelled). `room` repeats the series' room so that
    the exclusion constraint can name it; `during` is [starts_at, ends_at)."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("ожидает решения")
        ACCEPTED = "accepted", _("подтверждено")
        DECLINED = "declined", _("отклонено")
        CANCELLED = "cancelled", _("отменено")

    # The states that hold the slot.
    LIVE = (State.REQUESTED, State.ACCEPTED)

    series = models.ForeignKey(
        BookingSeries,
        models.CASCADE,
        related_name="bookings",
        verbose_name=_("серия"),
    )
    room = models.ForeignKey(
        Room, models.CASCADE, related_name="bookings", verbose_name=_("зал")
    )
    starts_at = models.DateTimeField(_("начало"))
    ends_at = models.DateTimeField(_("окончание"))
    during = models.GeneratedField(
        # NULL rather than PostgreSQL's error for times the wrong way round, so
        # that booking_ends_after_start refuses them by its name.
        expression=Case(
            When(ends_at__gt=F("starts_at"), then=TsTzRange("starts_at", "ends_at")),
            default=None,
        ),
        output_field=DateTimeRangeField(),
        db_persist=True,
        verbose_name=_("время"),
    )
    state = models.CharField(
        _("состояние"), max_length=16, choices=State, default=State.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("решил"),
    )
    decided_at = models.DateTimeField(_("решение принято"), null=True, blank=True)
    decline_reason = models.CharField(_("причина отказа"), max_length=500, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("отменил"),
    )
    cancelled_at = models.DateTimeField(_("отменено"), null=True, blank=True)
    cancel_reason = models.CharField(_("причина отмены"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("бронирование")
        verbose_name_plural = _("бронирования")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"], name="booking_starts_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"
            ),
            ExclusionConstraint(
                name="booking_no_overlap",
                expressions=[
                    ("room", RangeOperators.EQUAL),
                    ("during", RangeOperators.OVERLAPS),
                ],
                condition=Q(state__in=["requested", "accepted"]),
            ),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(decline_reason=""),
                name="booking_declined_with_reason",
            ),
        ]

    def __str__(self):
        return f"{self.series} ({self.starts_at:%Y-%m-%d %H:%M})"

    @property
    def is_live(self):
        return self.state in self.LIVE
