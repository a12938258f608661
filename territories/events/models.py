"""The practice's events and drives (docs/domain.md, "Events"): what, when and where,
who signs up, and what the organiser records afterwards. Geometry in GIS_SRID."""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from territories.centres.models import Booking, Room
from territories.registry.models import Council, Ground, Place, Territory, Tree, Yard

from .querysets import EventQuerySet

SRID = settings.GIS_SRID


class EventKind(models.Model):
    """A kind of event: the nine traditional ones are seeded (migration
    0002_traditional_kinds); organisers may add their own."""

    code = models.SlugField(_("код"), max_length=64, unique=True)
    name = models.CharField(_("название"), max_length=200, unique=True)
    traditional = models.BooleanField(_("традиционное"), default=False)
    # Issue 11's indicators count activists trained from events of a training kind,
    # and trees planted from the trees recorded at planting drives.
    is_training = models.BooleanField(_("обучение"), default=False)
    is_planting = models.BooleanField(_("посадка деревьев"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("добавил"),
    )

    class Meta:
        verbose_name = _("вид мероприятия")
        verbose_name_plural = _("виды мероприятий")
        ordering = ["-traditional", "name"]
        constraints = [
            # «Чистый дворик» and «чистый дворик» are one kind (organisers add theirs).
            models.UniqueConstraint(Lower("name"), name="eventkind_name_ci_unique"),
        ]

    def __str__(self):
        return self.name


class Event(Place):
    """An event or a drive. Its organiser is exactly one of a TOS, a council or an
    initiative group by name (territories/accounts/organisers.py). `geom` is the point
    shown on the map: the point itself, or a point on the yard or ground, or the
    resource centre of the booked room (territories/events/services)."""

    class PlaceKind(models.TextChoices):
        POINT = "point", _("точка на карте")
        YARD = "yard", _("двор")
        GROUND = "ground", _("площадка")
        ROOM = "room", _("зал ресурсного центра")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("запланировано")
        CANCELLED = "cancelled", _("отменено")

    title = models.CharField(_("название"), max_length=200)
    kind = models.ForeignKey(
        EventKind, models.PROTECT, related_name="events", verbose_name=_("вид")
    )
    description = models.TextField(_("описание"), blank=True)
    territory = models.ForeignKey(
        Territory,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("организатор: ТОС"),
    )
    council = models.ForeignKey(
        Council,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("организатор: совет"),
    )
    group_name = models.CharField(
        _("организатор: инициативная группа"), max_length=200, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_events",
        verbose_name=_("создал"),
    )
    starts_at = models.DateTimeField(_("начало"))
    ends_at = models.DateTimeField(_("окончание"))
    place_kind = models.CharField(_("место"), max_length=16, choices=PlaceKind)
    yard = models.ForeignKey(
        Yard,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("двор"),
    )
    ground = models.ForeignKey(
        Ground,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("площадка"),
    )
    # A room of a resource centre, booked with the event (centres.services.bookings):
    # the booking stays the centres' row; the event only points at it.
    room = models.ForeignKey(
        Room,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("зал"),
    )
    booking = models.OneToOneField(
        Booking,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="event",
        verbose_name=_("бронь зала"),
    )
    address = models.CharField(_("как найти"), max_length=300, blank=True)
    geom = models.PointField(_("точка на карте"), srid=SRID, spatial_index=False)
    capacity = models.PositiveIntegerField(
        _("мест"), null=True, blank=True, help_text=_("Пусто — без ограничения.")
    )
    registration_required = models.BooleanField(_("нужна запись"), default=False)
    campaign = models.CharField(
        _("акция"),
        max_length=200,
        blank=True,
        help_text=_("Например «Укоренись в Ангарске»: деревья посадки получат её."),
    )
    state = models.CharField(
        _("состояние"), max_length=16, choices=State, default=State.SCHEDULED
    )
    # What the organiser records afterwards (docs/domain.md, "After the event").
    participants = models.PositiveIntegerField(_("участников"), null=True, blank=True)
    outcome = models.TextField(_("итоги"), blank=True)
    recorded_at = models.DateTimeField(_("итоги внесены"), null=True, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta(Place.Meta):
        verbose_name = _("мероприятие")
        verbose_name_plural = _("мероприятия")
        ordering = ["starts_at", "pk"]
        indexes = [
            *Place.Meta.indexes,
            models.Index(fields=["starts_at"], name="event_starts_at"),
        ]
        constraints = [
            *Place.Meta.constraints,
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="event_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["scheduled", "cancelled"]),
                name="event_state_known",
            ),
            models.CheckConstraint(
                condition=(
                    Q(territory__isnull=False, council__isnull=True, group_name="")
                    | Q(territory__isnull=True, council__isnull=False, group_name="")
                    | (
                        Q(territory__isnull=True, council__isnull=True)
                        & ~Q(group_name="")
                    )
                ),
                name="event_one_organiser",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        place_kind="yard",
                        yard__isnull=False,
                        ground__isnull=True,
                        room__isnull=True,
                        booking__isnull=True,
                    )
                    | Q(
                        place_kind="ground",
                        ground__isnull=False,
                        yard__isnull=True,
                        room__isnull=True,
                        booking__isnull=True,
                    )
                    | Q(
                        place_kind="point",
                        yard__isnull=True,
                        ground__isnull=True,
                        room__isnull=True,
                        booking__isnull=True,
                    )
                    | Q(
                        place_kind="room",
                        yard__isnull=True,
                        ground__isnull=True,
                        room__isnull=False,
                        booking__isnull=False,
                    )
                ),
                name="event_place_consistent",
            ),
        ]

    def __str__(self):
        return self.title


class Registration(models.Model):
    """A resident's sign-up. The contact (e-mail or phone) is personal data: it is
    never public (docs/domain.md, "Events"). `contact_key` is the contact
    normalised, so one person cannot hold two live places; the cancel link's token
    is stored only as its hash."""

    class State(models.TextChoices):
        REGISTERED = "registered", _("записан")
        WAITLISTED = "waitlisted", _("в листе ожидания")
        CANCELLED = "cancelled", _("отменил запись")

    event = models.ForeignKey(
        Event,
        models.CASCADE,
        related_name="registrations",
        verbose_name=_("мероприятие"),
    )
    name = models.CharField(_("имя"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("телефон"), max_length=32, blank=True)
    contact_key = models.CharField(_("контакт (нормализованный)"), max_length=254)
    state = models.CharField(_("состояние"), max_length=16, choices=State)
    token_hash = models.CharField(_("хэш ссылки отмены"), max_length=64, unique=True)
    # The cancel link's token is derived from this salt and SECRET_KEY, so the job
    # that mails the link carries only the registration's id: the token itself is
    # stored nowhere, neither here nor in the job's arguments (services/registration).
    token_salt = models.CharField(_("соль ссылки отмены"), max_length=32, default="")
    created_at = models.DateTimeField(_("записался"), auto_now_add=True)
    state_changed_at = models.DateTimeField(_("состояние изменено"), auto_now=True)
    reminded_at = models.DateTimeField(
        _("напоминание отправлено"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("запись на мероприятие")
        verbose_name_plural = _("записи на мероприятия")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "contact_key"],
                condition=~Q(state="cancelled"),
                name="registration_one_per_contact",
            ),
            # contact_key is the e-mail when one is given; the phone is unique too.
            models.UniqueConstraint(
                fields=["event", "phone"],
                condition=~Q(state="cancelled") & ~Q(phone=""),
                name="registration_one_per_phone",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["registered", "waitlisted", "cancelled"]),
                name="registration_state_known",
            ),
            models.CheckConstraint(
                condition=~Q(email="", phone=""), name="registration_has_contact"
            ),
        ]
        indexes = [
            models.Index(
                fields=["event", "state", "created_at"], name="registration_queue"
            )
        ]

    def __str__(self):
        return f"{self.event} — {self.get_state_display()}"


class EventPhoto(models.Model):
    """A photo of the organiser's report, cleaned like a report's photo (checked,
    resized, EXIF removed)."""

    event = models.ForeignKey(
        Event, models.CASCADE, related_name="photos", verbose_name=_("мероприятие")
    )
    image = models.ImageField(_("фото"), upload_to="events/%Y/%m/")
    width = models.PositiveIntegerField(_("ширина"))
    height = models.PositiveIntegerField(_("высота"))
    created_at = models.DateTimeField(_("загружено"), auto_now_add=True)

    class Meta:
        verbose_name = _("фото отчёта")
        verbose_name_plural = _("фото отчёта")
        ordering = ["pk"]


class PlantedTree(models.Model):
    """A tree planted at a drive: the tree itself is in the registry's `trees` layer
    (with the drive's campaign and date); this row says which event planted it."""

    event = models.ForeignKey(
        Event,
        models.CASCADE,
        related_name="planted_trees",
        verbose_name=_("мероприятие"),
    )
    tree = models.OneToOneField(
        Tree, models.CASCADE, related_name="planted_at", verbose_name=_("дерево")
    )

    class Meta:
        verbose_name = _("посаженное дерево")
        verbose_name_plural = _("посаженные деревья")
