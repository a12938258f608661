"""Background jobs of events (docs/architecture.md, "Background jobs";
docs/domain.md, "Events"): the mails of a sign-up, of a place freed for a waitlisted
person, of a cancelled event, and the reminders the day before.

A job carries a registration's id and re-reads it when it runs, so it mails what is
true then: a registration cancelled in between gets no reminder. The cancel link is
derived again from the row's salt (services/registration.py): no job argument holds
a secret.

Reminders: a periodic task every 15 minutes (`send_reminders`) picks the registered
people with an e-mail whose event starts within EVENT_REMINDER_HOURS and who were not
reminded yet, marks them reminded and defers one mail job each, in one transaction.
A worker that was down catches up at its next run (an event that has started is no
longer picked); two runs at once skip each other's rows (SKIP LOCKED); the mail job
checks again that the person is still registered and the event still on."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from .links import cancel_path, event_path, on_site
from .models import Event, Registration
from .public import place_text

MAIL_RETRY = RetryStrategy(max_attempts=4, exponential_wait=5)
State = Registration.State


def live(registration_id, *states):
    """The registration, if it is still in one of `states` and has an e-mail."""
    return (
        Registration.objects.select_related("event")
        .filter(pk=registration_id, state__in=states)
        .exclude(email="")
        .first()
    )


def send(subject, lines, address):
    send_mail(
        subject,
        "\n".join(lines),
        settings.DEFAULT_FROM_EMAIL,
        [address],
        fail_silently=False,
    )


def when(event):
    start = timezone.localtime(event.starts_at)
    return formats.date_format(start, "j E Y, H:i")


def cancel_lines(registration):
    from .services.registration import token_for

    link = on_site(cancel_path(token_for(registration.token_salt)))
    return ["", _("Если не сможете прийти, отмените запись: %s") % link]


def tell(registration, subject, opening, *, place=False, cancel_link=True):
    """One mail to a registrant about their event: the news, when, (where,) the
    event's page, and the cancel link while the place is theirs to give up."""
    event = registration.event
    lines = [
        opening,
        when(event),
        place_text(event) if place else "",
        on_site(event_path(event.pk)),
    ]
    lines = [line for line in lines if line]
    if cancel_link:
        lines += cancel_lines(registration)
    send(subject, lines, registration.email)


# Task names are fixed: queued rows name their task.
@app.task(name="events.mail_signup", queue="mail", retry=MAIL_RETRY)
def mail_signup(registration_id):
    """The sign-up's confirmation, with the cancel link."""
    registration = live(registration_id, State.REGISTERED, State.WAITLISTED)
    if registration is None:
        return
    event = registration.event
    with translation.override(settings.LANGUAGE_CODE):
        if registration.state == State.REGISTERED:
            first = _("Вы записаны на мероприятие «%s».") % event.title
        else:
            first = (
                _(
                    "Мест на мероприятие «%s» не осталось: вы в листе ожидания. "
                    "Если место освободится, мы напишем."
                )
                % event.title
            )
        tell(registration, _("Запись: %s") % event.title, first)


@app.task(name="events.mail_promoted", queue="mail", retry=MAIL_RETRY)
def mail_promoted(registration_id):
    """A place freed up: the first waitlisted person has it now."""
    registration = live(registration_id, State.REGISTERED)
    if registration is None:
        return
    event = registration.event
    with translation.override(settings.LANGUAGE_CODE):
        tell(
            registration,
            _("Место освободилось: %s") % event.title,
            _("Освободилось место: вы записаны на мероприятие «%s».") % event.title,
        )


@app.task(name="events.mail_event_cancelled", queue="mail", retry=MAIL_RETRY)
def mail_event_cancelled(registration_id):
    registration = live(registration_id, State.REGISTERED, State.WAITLISTED)
    if registration is None or registration.event.state != Event.State.CANCELLED:
        return
    event = registration.event
    with translation.override(settings.LANGUAGE_CODE):
        tell(
            registration,
            _("Отменено: %s") % event.title,
            _("Мероприятие «%s» отменено организатором.") % event.title,
            cancel_link=False,
        )


@app.task(name="events.mail_event_moved", queue="mail", retry=MAIL_RETRY)
def mail_event_moved(registration_id):
    """The new time of an event still ahead (services/events.announce_move)."""
    registration = live(registration_id, State.REGISTERED, State.WAITLISTED)
    if registration is None:
        return
    event = registration.event
    if event.state != Event.State.SCHEDULED or event.starts_at <= timezone.now():
        return
    with translation.override(settings.LANGUAGE_CODE):
        tell(
            registration,
            _("Перенесено: %s") % event.title,
            _("Мероприятие «%s» перенесено на новое время.") % event.title,
            cancel_link=False,
        )


@app.task(name="events.mail_reminder", queue="mail", retry=MAIL_RETRY)
def mail_reminder(registration_id):
    registration = live(registration_id, State.REGISTERED)
    if registration is None:
        return
    event = registration.event
    if event.state != Event.State.SCHEDULED or event.starts_at <= timezone.now():
        return
    with translation.override(settings.LANGUAGE_CODE):
        tell(
            registration,
            _("Напоминание: %s") % event.title,
            _("Напоминаем: скоро мероприятие «%s».") % event.title,
            place=True,
        )


def due_reminders(now):
    """Registrations to remind now: registered, with an e-mail, not reminded, their
    scheduled event starting within EVENT_REMINDER_HOURS."""
    ahead = now + timedelta(hours=settings.EVENT_REMINDER_HOURS)
    return Registration.objects.filter(
        state=State.REGISTERED,
        reminded_at__isnull=True,
        event__state=Event.State.SCHEDULED,
        event__starts_at__gt=now,
        event__starts_at__lte=ahead,
    ).exclude(email="")


@app.periodic(cron="*/15 * * * *", periodic_id="events-reminders")
@app.task(name="events.send_reminders", queue="mail")
def send_reminders(timestamp):
    """Defer the reminders that are due (see the module's docstring); the count."""
    now = timezone.now()
    with transaction.atomic():
        due = list(
            due_reminders(now)
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)
        )
        Registration.objects.filter(pk__in=due).update(reminded_at=now)
        if due:
            mail_reminder.batch_defer(*({"registration_id": pk} for pk in due))
    return len(due)
