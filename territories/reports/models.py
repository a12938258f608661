"""Residents' problem reports (FixMyStreet-like), their categories and timeline."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geo.choices import choice_label
from geo.models import check_field
from geo.validators import validate_point
from territories.registry.models import Building, District, Territory, Yard

from .querysets import ReportQuerySet, StatusCountQuerySet
from .questions import labelled_answers, parse_questions

SRID = settings.GIS_SRID


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


class ResponsibleBody(models.Model):
    """Who fixes a category of problems: a management company or a department."""

    class Kind(models.TextChoices):
        MANAGEMENT_COMPANY = "management_company", _("управляющая компания")
        DEPARTMENT = "department", _("отдел администрации")
        OTHER = "other", _("другая организация")

    name = models.CharField(_("название"), max_length=300, unique=True)
    kind = models.CharField(_("вид"), max_length=32, choices=Kind)
    email = models.EmailField(_("e-mail для уведомлений"), blank=True)

    class Meta:
        verbose_name = _("ответственная организация")
        verbose_name_plural = _("ответственные организации")

    def __str__(self):
        return self.name


class Category(models.Model):
    """A kind of problem; its `code` is the Open311 service_code."""

    code = models.SlugField(_("код"), max_length=64, unique=True)
    name = models.CharField(_("название"), max_length=200)
    name_en = models.CharField(_("название по-английски"), max_length=200, blank=True)
    description = models.TextField(_("описание"), blank=True)
    responsible = models.ForeignKey(
        ResponsibleBody,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="categories",
        verbose_name=_("кто отвечает"),
    )
    questions = models.JSONField(
        _("дополнительные вопросы"),
        default=list,
        blank=True,
        help_text=_(
            'Список вопросов: [{"code": "lamp_no", "label": "Номер опоры", '
            '"label_en": "Pole number", "datatype": "string", "required": false, '
            '"values": [{"key": "...", "name": "..."}]}]; datatype: string, number, '
            "text, singlevaluelist, multivaluelist."
        ),
    )
    active = models.BooleanField(_("принимает сообщения"), default=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("категория проблем")
        verbose_name_plural = _("категории проблем")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def clean_fields(self, exclude=None):
        check_field(super().clean_fields, "questions", exclude, self.validate_questions)

    def validate_questions(self):
        parse_questions(self.questions)

    @property
    def question_list(self):
        """The questions as `Question`s (`territories/reports/questions.py`), the only
        way the code reads them; model validation keeps the stored JSON readable."""
        return parse_questions(self.questions)


class ProblemReport(models.Model):
    class Status(models.TextChoices):
        MODERATION = "moderation", _("на модерации")
        OPEN = "open", _("открыто")
        IN_PROGRESS = "in_progress", _("в работе")
        PLANNED = "planned", _("запланировано")
        FIXED = "fixed", _("решено")
        CLOSED = "closed", _("закрыто без решения")
        DUPLICATE = "duplicate", _("дубликат")
        NOT_RESPONSIBLE = "not_responsible", _("не в компетенции")
        HIDDEN = "hidden", _("скрыто")

        # The groups of statuses (docs/domain.md, "Problem reports"), defined here
        # only: every filter, edge and rule reads them from the status type.
        @classmethod
        def public(cls):
            """What anyone may see and filter by: all but hidden."""
            return tuple(s for s in cls if s != cls.HIDDEN)

        @classmethod
        def active(cls):
            """Being dealt with: open for «меня тоже» and shown as duplicates."""
            return (cls.OPEN, cls.IN_PROGRESS, cls.PLANNED)

        @classmethod
        def closed(cls):
            """Done with, one way or another (Open311's "closed")."""
            return (cls.FIXED, cls.CLOSED, cls.DUPLICATE, cls.NOT_RESPONSIBLE)

        @classmethod
        def awaiting(cls):
            """Not yet solved: waiting for moderation or being dealt with."""
            return (cls.MODERATION, *cls.active())

    class Source(models.TextChoices):
        WEB = "web", _("сайт")
        API = "api", _("API")
        OPEN311 = "open311", _("Open311")

    category = models.ForeignKey(
        Category, models.PROTECT, related_name="reports", verbose_name=_("категория")
    )
    description = models.TextField(_("описание"), max_length=4000)
    answers = models.JSONField(_("ответы на вопросы"), default=dict, blank=True)
    status = models.CharField(
        _("статус"), max_length=16, choices=Status, default=Status.MODERATION
    )
    duplicate_of = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("дубликат сообщения"),
    )
    geom = models.PointField(_("место"), srid=SRID, spatial_index=False)
    territory = models.ForeignKey(
        Territory, models.SET_NULL, null=True, blank=True, verbose_name=_("ТОС")
    )
    yard = models.ForeignKey(
        Yard, models.SET_NULL, null=True, blank=True, verbose_name=_("двор")
    )
    building = models.ForeignKey(
        Building, models.SET_NULL, null=True, blank=True, verbose_name=_("дом")
    )
    # Personal data: never public; the reporter can erase it at any time.
    reporter_name = models.CharField(_("имя заявителя"), max_length=200, blank=True)
    show_name = models.BooleanField(_("показывать имя"), default=False)
    reporter_email = models.EmailField(_("e-mail заявителя"), blank=True)
    reporter_phone = models.CharField(_("телефон заявителя"), max_length=32, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="problem_reports",
        verbose_name=_("пользователь"),
    )
    manage_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    personal_data_removed_at = models.DateTimeField(
        _("личные данные удалены"), null=True, blank=True
    )
    source = models.CharField(_("источник"), max_length=16, choices=Source)
    api_key = models.ForeignKey(
        "Open311Key",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("ключ Open311"),
    )
    client_hash = models.CharField(max_length=64, blank=True, editable=False)
    support_count = models.PositiveIntegerField(_("поддержали"), default=0)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("сообщение о проблеме")
        verbose_name_plural = _("сообщения о проблемах")
        ordering = ["-created_at"]
        indexes = [
            GistIndex(fields=["geom"], name="problemreport_geom_gist"),
            models.Index(fields=["status", "category"], name="report_status_category"),
            # One per order of the lists (reports/filters.py SORTS), with the id last
            # for the keyset cursor, and per order within one status: the page is a
            # range scan, never a sort of the table (docs/architecture.md, "Long
            # lists: keyset pages and counts"; the plans in tests/test_report_scale.py).
            models.Index(fields=["-created_at", "-id"], name="report_created"),
            models.Index(
                fields=["-support_count", "-created_at", "-id"], name="report_supports"
            ),
            models.Index(
                fields=["status", "-created_at", "-id"], name="report_status_created"
            ),
            models.Index(
                fields=["status", "-support_count", "-created_at", "-id"],
                name="report_status_supports",
            ),
            models.Index(
                fields=["client_hash", "created_at"], name="report_client_time"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(geom__isvalid=True), name="problemreport_geom_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="duplicate") | Q(duplicate_of__isnull=True),
                name="report_duplicate_only_when_duplicate",
            ),
        ]

    def __str__(self):
        return f"№{self.pk}: {self.category}"

    def clean_fields(self, exclude=None):
        check_field(super().clean_fields, "geom", exclude, self.validate_geom)

    def validate_geom(self):
        # The admin may move a report: it stays a point inside the district, as at
        # submission (docs/domain.md, "Problem reports").
        validate_point(self.geom, within=District.objects.area())

    def issue_manage_token(self):
        """A new secret for the reporter's link; only its hash is kept."""
        token = secrets.token_urlsafe(24)
        self.manage_token_hash = token_hash(token)
        return token

    def manage_token_matches(self, token):
        return bool(token) and secrets.compare_digest(
            self.manage_token_hash, token_hash(token)
        )

    @property
    def public_name(self):
        """The reporter's name as anyone may see it, the one rule every public
        output reads (API, report page, feeds): only when the reporter chose to
        show it, and only once the report is published. The name is text the
        reporter typed, so moderation covers it like the description
        (docs/domain.md, "Problem reports"); staff read `reporter_name`."""
        if not (self.show_name and self.is_published):
            return ""
        return self.reporter_name

    def shown_original(self):
        """The id of the report a duplicate repeats, unless that one is hidden; needs
        the `duplicate_status` of `ReportQuerySet.for_display()`."""
        if self.duplicate_status in (None, self.Status.HIDDEN):
            return None
        return self.duplicate_of_id

    def labelled_answers(self, language=None):
        """[(question label, answer as a person reads it)], in `language` (by default
        the request's); list answers by their options' names."""
        return labelled_answers(self.category.question_list, self.answers, language)

    def get_status_display(self):
        # Django's own rebuilds the choices on every call (geo/choices.py).
        return choice_label(self.Status, self.status)

    @property
    def is_published(self):
        """Past moderation: its description, answers and photos may be shown."""
        return self.status != self.Status.MODERATION


class StatusCount(models.Model):
    """How many reports have a status, kept exact by a trigger on the reports table
    (migration 0004): lists and the workspace's tabs read these few rows instead of
    counting the table (docs/architecture.md, "Long lists: keyset pages and counts").
    """

    status = models.CharField(
        _("статус"), max_length=16, choices=ProblemReport.Status, primary_key=True
    )
    reports = models.BigIntegerField(_("сообщений"), default=0)

    objects = StatusCountQuerySet.as_manager()

    class Meta:
        db_table = "reports_status_count"
        verbose_name = _("сообщений в статусе")
        verbose_name_plural = _("сообщений по статусам")

    def __str__(self):
        return f"{self.status}: {self.reports}"


class ReportPhoto(models.Model):
    report = models.ForeignKey(
        ProblemReport,
        models.CASCADE,
        related_name="photos",
        verbose_name=_("сообщение"),
    )
    image = models.ImageField(_("фото"), upload_to="reports/%Y/%m/")
    width = models.PositiveIntegerField(_("ширина"))
    height = models.PositiveIntegerField(_("высота"))
    created_at = models.DateTimeField(_("загружено"), auto_now_add=True)

    class Meta:
        verbose_name = _("фото")
        verbose_name_plural = _("фото")
        ordering = ["pk"]


class ReportUpdate(models.Model):
    """One public entry of a report's timeline: a status change and/or a comment."""

    class Role(models.TextChoices):
        REPORTER = "reporter", _("заявитель")
        SPECIALIST = "specialist", _("специалист")
        TOS_CHAIR = "tos_chair", _("председатель ТОС")
        SYSTEM = "system", _("система")

    report = models.ForeignKey(
        ProblemReport,
        models.CASCADE,
        related_name="updates",
        verbose_name=_("сообщение"),
    )
    status = models.CharField(
        _("новый статус"), max_length=16, choices=ProblemReport.Status, blank=True
    )
    previous_status = models.CharField(
        _("прежний статус"), max_length=16, choices=ProblemReport.Status, blank=True
    )
    comment = models.TextField(_("комментарий"), max_length=4000, blank=True)
    role = models.CharField(_("кто"), max_length=16, choices=Role)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("автор"),
    )
    created_at = models.DateTimeField(_("когда"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("запись хроники")
        verbose_name_plural = _("хроника сообщения")
        ordering = ["created_at", "pk"]

    # Read once per language, not rebuilt per entry of a feed (geo/choices.py).
    def get_status_display(self):
        return choice_label(ProblemReport.Status, self.status)

    def get_role_display(self):
        return choice_label(self.Role, self.role)


class Support(models.Model):
    """«Меня тоже касается»: one per resident (account, or a hash of who they are)."""

    report = models.ForeignKey(
        ProblemReport,
        models.CASCADE,
        related_name="supports",
        verbose_name=_("сообщение"),
    )
    voter = models.CharField(max_length=64, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("когда"), auto_now_add=True)

    class Meta:
        verbose_name = _("поддержка")
        verbose_name_plural = _("поддержки")
        constraints = [
            models.UniqueConstraint(fields=["report", "voter"], name="support_once")
        ]


class Follower(models.Model):
    """An e-mail that gets a report's updates (the reporter's, or anyone's). An
    address given by someone else than the reporter gets mail only once its owner
    has confirmed it, so nobody can subscribe a stranger."""

    report = models.ForeignKey(
        ProblemReport,
        models.CASCADE,
        related_name="followers",
        verbose_name=_("сообщение"),
    )
    email = models.EmailField(_("e-mail"))
    unsubscribe_token = models.CharField(max_length=43, unique=True, editable=False)
    created_at = models.DateTimeField(_("когда"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("подтверждено"), null=True, blank=True)

    class Meta:
        verbose_name = _("подписчик")
        verbose_name_plural = _("подписчики")
        constraints = [
            models.UniqueConstraint(fields=["report", "email"], name="follow_once")
        ]

    def save(self, *args, **kwargs):
        if not self.unsubscribe_token:
            self.unsubscribe_token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)


class Open311Key(models.Model):
    """An Open311 client's api_key; only its hash is stored."""

    name = models.CharField(_("клиент"), max_length=200, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("начало ключа"), max_length=8, editable=False)
    active = models.BooleanField(_("действует"), default=True)
    hourly_quota = models.PositiveIntegerField(_("сообщений в час"), default=600)
    created_at = models.DateTimeField(_("выдан"), auto_now_add=True)

    class Meta:
        verbose_name = _("ключ Open311")
        verbose_name_plural = _("ключи Open311")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, name, **fields):
        """(key object, the plain key to hand over once)."""
        key = cls(name=name, **fields)
        plain = key.new_key()
        key.save(force_insert=True)
        return key, plain

    def new_key(self):
        """A random key; only its hash and first characters are kept. Returns the
        plain key, to be handed over once."""
        plain = secrets.token_urlsafe(32)
        self.key_hash, self.prefix = token_hash(plain), plain[:8]
        return plain

    @classmethod
    def find(cls, plain):
        return cls.objects.filter(key_hash=token_hash(plain or ""), active=True).first()


class ResponseTemplate(models.Model):
    """A ready answer for bulk status changes in the specialists' workspace."""

    title = models.CharField(_("название"), max_length=200, unique=True)
    status = models.CharField(
        _("для статуса"), max_length=16, choices=ProblemReport.Status, blank=True
    )
    text = models.TextField(_("текст"))

    class Meta:
        verbose_name = _("шаблон ответа")
        verbose_name_plural = _("шаблоны ответов")
        ordering = ["title"]

    def __str__(self):
        return self.title
