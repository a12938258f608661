"""The events' mail jobs with the real worker (tests/jobs.py): the sign-up's cancel
link, a freed place, a cancelled event, the reminders the day before."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from territories.events import services
from territories.events.models import Registration
from territories.events.tasks import send_reminders

from .event_signup_helpers import chair_of, make_event, sign_up, soon
from .jobs import JOBS, jobs, run_jobs

pytestmark = JOBS


@pytest.fixture
def settings_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://angarsk.example"


def test_the_sign_up_mail_carries_a_working_cancel_link(tos, kinds, settings_mail):
    event = make_event(tos, capacity=1, starts_at=soon(days=3))
    sign_up(event, email="first@example.org")
    run_jobs()
    (message,) = mail.outbox
    assert message.to == ["first@example.org"]
    assert event.title in message.subject
    token = re.search(r"/events/registrations/([\w-]+)/cancel/", message.body).group(1)
    services.cancel_registration(token)
    assert Registration.objects.get().state == "cancelled"


def test_a_freed_place_is_mailed_to_the_one_who_gets_it(tos, kinds, settings_mail):
    event = make_event(tos, capacity=1)
    first = sign_up(event, email="first@example.org")
    sign_up(event, email="second@example.org")
    run_jobs()
    mail.outbox.clear()
    services.cancel_registration(first.token)
    run_jobs()
    assert [m.to for m in mail.outbox] == [["second@example.org"]]
    assert "Освободилось место" in mail.outbox[0].body


def test_cancelling_the_event_tells_those_signed_up(tos, kinds, settings_mail):
    event = make_event(tos, capacity=1)
    sign_up(event, email="first@example.org")
    sign_up(event, email="second@example.org")  # waitlisted
    sign_up(event, email="", phone="+79025550100")
    run_jobs()
    mail.outbox.clear()
    services.cancel_event(event, by=chair_of(tos))
    run_jobs()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "first@example.org",
        "second@example.org",
    ]
    assert all("отменено" in m.body for m in mail.outbox)


def test_moving_the_event_tells_those_signed_up(tos, kinds, settings_mail):

    event = make_event(tos)
    sign_up(event, email="first@example.org")
    run_jobs()
    mail.outbox.clear()
    later = event.starts_at + timedelta(days=1)
    services.edit_event(
        event,
        {
            "starts_at": later.isoformat(),
            "ends_at": (later + timedelta(hours=2)).isoformat(),
        },
        by=chair_of(tos),
    )
    run_jobs()
    assert [m.to for m in mail.outbox] == [["first@example.org"]]
    assert "перенесено" in mail.outbox[0].body


def test_reminders_go_once_to_those_registered_for_tomorrow(tos, kinds, settings_mail):
    tomorrow = make_event(
        tos, title="Завтра", starts_at=soon(days=0, hours=20), capacity=1
    )
    later = make_event(tos, title="Через неделю", starts_at=soon(days=7))
    sign_up(tomorrow, email="going@example.org")
    sign_up(tomorrow, email="waiting@example.org")  # waitlisted: no reminder
    gone = sign_up(tomorrow, email="gone@example.org")
    sign_up(later, email="later@example.org")
    Registration.objects.filter(email="gone@example.org").update(state="cancelled")
    # The worker defers the periodic task itself at its start (its cron tick), and
    # here once more, a quarter of an hour later: one reminder all the same.
    run_jobs()
    send_reminders.defer(timestamp=int(timezone.now().timestamp()) + 900)
    run_jobs()
    reminders = [m for m in mail.outbox if m.subject.startswith("Напоминание")]
    assert [(m.to, m.subject) for m in reminders] == [
        (["going@example.org"], "Напоминание: Завтра")
    ]
    assert "/events/registrations/" in reminders[0].body  # the cancel link
    reminded = Registration.objects.exclude(reminded_at=None)
    assert list(reminded.values_list("email", flat=True)) == ["going@example.org"]
    assert gone.registration.pk not in reminded.values_list("pk", flat=True)


def test_a_reminder_is_not_sent_after_the_person_cancelled(tos, kinds, settings_mail):
    event = make_event(tos, starts_at=soon(days=0, hours=5))
    signup = sign_up(event, email="going@example.org")
    assert send_reminders(timestamp=0) == 1  # marked, its mail deferred
    assert jobs("events.mail_reminder").count() == 1
    services.cancel_registration(signup.token)  # before the worker runs it
    run_jobs()
    # Neither the reminder nor the sign-up's mail: both jobs read a cancelled row.
    assert mail.outbox == []
    assert jobs().count() == 0  # done (nothing to send), deleted


def test_the_reminders_run_every_quarter_of_an_hour():
    from procrastinate.contrib.django import app

    periodic = [
        task
        for task in app.periodic_registry.periodic_tasks.values()
        if task.task.name == "events.send_reminders"
    ]
    assert [task.cron for task in periodic] == ["*/15 * * * *"]
    assert periodic[0].task.queue == "mail"


def test_the_reminder_of_an_event_in_a_room_says_where(tos, kinds, settings_mail):
    from territories.centres.models import Booking, BookingSeries
    from territories.events.tasks import mail_reminder

    from .centres_helpers import centre, room

    hall = room(centre(4), name="Малый зал")
    start = soon(days=0, hours=20)
    series = BookingSeries.objects.create(room=hall, title="Собрание", territory=tos)
    booking = Booking.objects.create(
        series=series, room=hall, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    event = make_event(
        tos, starts_at=start, place_kind="room", room=hall, booking=booking
    )
    registration = sign_up(event, email="going@example.org").registration
    run_jobs()
    mail.outbox.clear()
    mail_reminder(registration.pk)
    (message,) = mail.outbox
    assert "Ресурсный центр № 4, Малый зал, ул. Тестовая, 4" in message.body
