"""Each step of a booking mails the other side through the worker: a new request
to the centre's staff, a decision or a cancellation by the staff to the one who
asked (docs/domain.md, "Resource centres and bookings")."""

import pytest

from geo.errors import Refused
from territories.centres.services import bookings

from .centres_helpers import at, book, centre, chair, room, staff_of
from .jobs import JOBS, run_jobs

pytestmark = JOBS


def test_staff_hear_of_a_request_and_the_asker_of_the_answer(district, tos, mailoutbox):
    hall = room(centre())
    staff, asker = staff_of(hall.centre), chair(tos)
    series = book(
        asker, hall, at(0, "18:00"), at(0, "19:30"), territory=tos, title="Сход"
    )
    run_jobs()
    (asked,) = mailoutbox
    assert asked.to == [staff.email] and "Новая заявка" in asked.subject
    assert "«Сход», организатор: ТОС «Перекресток»" in asked.body
    assert "18:00–19:30" in asked.body and "/centres/queue/" in asked.body

    bookings.decline(series.bookings.get(), by=staff, reason="зал на ремонте")
    run_jobs()
    answer = mailoutbox[1]
    assert answer.to == [asker.email] and "отклонена" in answer.subject
    assert "Причина: зал на ремонте" in answer.body


def test_the_asker_is_not_mailed_of_their_own_cancel(district, tos, mailoutbox):
    hall = room(centre())
    asker = chair(tos)
    series = book(asker, hall, at(0, "18:00"), at(0, "19:30"), territory=tos)
    bookings.cancel(series.bookings.get(), by=asker)
    run_jobs()
    assert mailoutbox == []  # no staff at this centre, and the asker did it


def test_a_refused_request_defers_no_mail(district, tos, mailoutbox):
    hall = room(centre())
    staff_of(hall.centre)
    asker = chair(tos)
    book(asker, hall, at(0, "18:00"), at(0, "19:30"), territory=tos)
    with pytest.raises(Refused):
        book(asker, hall, at(0, "18:00"), at(0, "19:30"), territory=tos)
    run_jobs()
    assert len(mailoutbox) == 1
