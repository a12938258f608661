"""The centres REST API: status codes, refusals as {field, error}, nothing stored
on a refusal, query counts of the lists pinned, no personal data in public
answers."""

import pytest

from territories.accounts import roles
from territories.centres.models import Booking, BookingSeries, Closure

from .centres_helpers import (
    account,
    api,
    at,
    book,
    centre,
    chair,
    council_member,
    monday,
    room,
    staff_of,
)

pytestmark = pytest.mark.django_db

BOOKINGS = "/api/bookings/"


@pytest.fixture
def hall(district):
    return room(centre(), equipment=["projector", "chairs"], step_free=True)


@pytest.fixture
def asker(tos):
    return chair(tos, "chair-person")


def request_body(hall, tos, **more):
    return {
        "room": hall.pk,
        "starts_at": at(0, "18:00").isoformat(),
        "ends_at": at(0, "19:30").isoformat(),
        "title": "Собрание жителей",
        "territory": tos.pk,
        **more,
    }


def test_a_chair_requests_and_gets_the_series(hall, tos, asker):
    answer = api(asker).post(BOOKINGS, request_body(hall, tos), format="json")
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    assert data["organiser"] == {
        "kind": "territory",
        "id": tos.pk,
        "name": "ТОС «Перекресток»",
    }
    (one,) = data["bookings"]
    assert one["state"] == "requested" and one["room"] == hall.pk
    assert one["requester"] is None  # shown to the centre's staff only


def test_local_time_without_an_offset(hall, tos, asker):
    body = request_body(
        hall, tos, starts_at=f"{monday()}T10:00", ends_at=f"{monday()}T11:00"
    )
    assert api(asker).post(BOOKINGS, body, format="json").status_code == 201
    assert Booking.objects.get().starts_at == at(0, "10:00")


def test_a_weekly_series(hall, tos, asker):
    body = request_body(hall, tos, repeat={"every": "weekly", "count": 2})
    answer = api(asker).post(BOOKINGS, body, format="json")
    assert answer.status_code == 201
    assert len(answer.json()["bookings"]) == 2


@pytest.mark.parametrize(
    ("more", "field"),
    [
        ({"room": 999999}, "room"),
        ({"room": None}, "room"),
        ({"starts_at": "завтра"}, "starts_at"),
        ({"starts_at": "2027-03-10"}, "starts_at"),
        ({"ends_at": 5}, "ends_at"),
        ({"title": ""}, "title"),
        ({"people": 41}, "people"),
        ({"people": "many"}, "people"),
        ({"territory": None}, "organiser"),
        ({"council": 1}, "council"),
        ({"group_name": "Соседи"}, "organiser"),
        ({"repeat": {"every": "daily", "count": 2}}, "repeat"),
        ({"repeat": {"every": "weekly", "until": "скоро"}}, "until"),
        ({"repeat": [1]}, "repeat"),
    ],
)
def test_bad_requests_name_the_field_and_store_nothing(hall, tos, asker, more, field):
    answer = api(asker).post(BOOKINGS, request_body(hall, tos, **more), format="json")
    assert answer.status_code in (400, 404)
    assert answer.json()["field"] == field, answer.json()
    assert BookingSeries.objects.count() == 0


def test_a_clash_is_a_400_naming_it(hall, tos, asker):
    council, member = council_member()
    book(member, hall, at(0, "18:00"), at(0, "19:00"), council=council)
    answer = api(asker).post(BOOKINGS, request_body(hall, tos), format="json")
    assert answer.status_code == 400
    assert answer.json() == {
        "field": "starts_at",
        "error": "зал занят 18:00–19:00 (Совет МКД ул. Ленина, 5)",
    }


def test_who_may_not_request(hall, tos):
    resident = account("resident", roles.Role.RESIDENT)
    assert (
        api().post(BOOKINGS, request_body(hall, tos), format="json").status_code == 401
    )
    answer = api(resident).post(BOOKINGS, request_body(hall, tos), format="json")
    assert answer.status_code == 403 and answer.json()["field"] == "organiser"
    assert BookingSeries.objects.count() == 0


def test_staff_see_the_queue_and_decide(hall, tos, asker):
    staff = staff_of(hall.centre)
    book(asker, hall, at(0, "18:00"), at(0, "19:00"), territory=tos)
    queue = api(staff).get(BOOKINGS, {"scope": "queue"}).json()
    (waiting,) = queue
    assert waiting["requester"] == {
        "username": "chair-person",
        "email": "chair-person@example.org",
    }
    url = f"{BOOKINGS}{waiting['id']}/"
    assert api(asker).post(url + "accept/").status_code == 403
    answer = api(staff).post(url + "decline/", {}, format="json")
    assert answer.status_code == 400 and answer.json()["field"] == "reason"
    answer = api(staff).post(url + "accept/")
    assert answer.status_code == 200 and answer.json()["state"] == "accepted"
    assert api(staff).get(BOOKINGS, {"scope": "queue"}).json() == []
    assert api(asker).get(BOOKINGS, {"scope": "queue"}).status_code == 403


def test_the_asker_moves_and_cancels(hall, tos, asker):
    series = book(asker, hall, at(0, "18:00"), at(0, "19:00"), territory=tos)
    url = f"{BOOKINGS}{series.bookings.get().pk}/"
    moved = api(asker).patch(
        url,
        {
            "starts_at": at(1, "10:00").isoformat(),
            "ends_at": at(1, "11:00").isoformat(),
        },
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["starts_at"].startswith(
        str(monday().replace(day=monday().day) if False else "")
    )
    assert Booking.objects.get().starts_at == at(1, "10:00")
    assert (
        api(asker)
        .post(url + "cancel/", {"reason": "не нужно"}, format="json")
        .json()["state"]
        == "cancelled"
    )
    assert api(asker).post(url + "cancel/").status_code == 400


def test_a_stranger_gets_404_for_someone_elses_booking(hall, tos, asker):
    series = book(asker, hall, at(0, "18:00"), at(0, "19:00"), territory=tos)
    stranger = account("stranger", roles.Role.INITIATIVE)
    url = f"{BOOKINGS}{series.bookings.get().pk}/"
    assert api(stranger).get(url).status_code == 404
    assert api(stranger).post(url + "cancel/").status_code == 404
    assert api(asker).get(url).status_code == 200


def test_another_initiative_member_cannot_touch_a_groups_booking(hall):
    """A group by name is the account that booked for it: another initiative
    member neither sees, moves nor cancels its booking or series (docs/domain.md,
    "Organisers"), though they may book for a group by name themselves."""
    creator = account("group-creator", roles.Role.INITIATIVE)
    other = account("other-group", roles.Role.INITIATIVE)
    series = book(creator, hall, at(0, "18:00"), at(0, "19:00"), group="Соседи")
    url = f"{BOOKINGS}{series.bookings.get().pk}/"
    assert api(other).get(url).status_code == 404
    moved = api(other).patch(
        url,
        {
            "starts_at": at(1, "10:00").isoformat(),
            "ends_at": at(1, "11:00").isoformat(),
        },
        format="json",
    )
    assert moved.status_code == 404
    assert api(other).post(url + "cancel/").status_code == 404
    answer = api(other).post(f"/api/booking-series/{series.pk}/cancel/")
    assert answer.status_code == 404
    assert Booking.objects.get().state == "requested"
    assert Booking.objects.get().starts_at == at(0, "18:00")
    own = api(other).post(
        BOOKINGS,
        {
            "room": hall.pk,
            "starts_at": at(2, "18:00").isoformat(),
            "ends_at": at(2, "19:00").isoformat(),
            "title": "Наше",
            "group_name": "Соседи",
        },
        format="json",
    )
    assert own.status_code == 201, own.json()
    assert api(creator).get(url).status_code == 200


def test_the_series_is_cancelled(hall, tos, asker):
    from territories.centres.services.recurrence import Repeat

    series = book(
        asker,
        hall,
        at(0, "18:00"),
        at(0, "19:00"),
        territory=tos,
        repeat=Repeat("weekly", count=2),
    )
    answer = api(asker).post(f"/api/booking-series/{series.pk}/cancel/")
    assert answer.status_code == 200 and len(answer.json()) == 2
    assert (
        api(asker).post(f"/api/booking-series/{series.pk}/cancel/").status_code == 400
    )


def test_the_busy_week_is_public_and_shows_no_person(hall, tos, asker):
    book(asker, hall, at(0, "18:00"), at(0, "19:30"), territory=tos)
    Closure.objects.create(
        centre=hall.centre,
        starts_at=at(2, "00:00"),
        ends_at=at(3, "00:00"),
        reason="санитарный день",
    )
    week = monday().isocalendar()
    answer = api().get(
        f"/api/rooms/{hall.pk}/busy/", {"week": f"{week[0]}-W{week[1]:02d}"}
    )
    assert answer.status_code == 200
    data = answer.json()
    assert data["busy"] == [
        {
            "starts_at": at(0, "18:00").isoformat(),
            "ends_at": at(0, "19:30").isoformat(),
            "state": "requested",
            "title": "Собрание",
            "organiser": "ТОС «Перекресток»",
        }
    ]
    assert data["closures"][0]["reason"] == "санитарный день"
    assert data["days"][0] == {
        "date": str(monday()),
        "hours": [{"opens": "08:00", "closes": "22:00"}],
    }
    assert "chair-person" not in answer.content.decode()


@pytest.mark.parametrize("week", ["2027-10", "2027-W54", "1999-W01", "x"])
def test_a_bad_week_is_refused(hall, week):
    answer = api().get(f"/api/rooms/{hall.pk}/busy/", {"week": week})
    assert answer.status_code == 400 and answer.json()["field"] == "week"


def test_lists_take_a_fixed_number_of_queries(
    hall, tos, asker, django_assert_num_queries
):
    for n in (2, 3):
        room(centre(n), "Переговорная", 10)
    with django_assert_num_queries(3):  # centres, their rooms, their hours
        assert len(api().get("/api/centres/").json()) == 3
    with django_assert_num_queries(1):
        assert len(api().get("/api/rooms/").json()) == 3
    for hour in ("10:00", "12:00", "14:00"):
        end = f"{int(hour[:2]) + 1}:00"
        book(asker, hall, at(0, hour), at(0, end), territory=tos)
    # The bookings with room, centre, series and organiser (the account's roles
    # are cached on it), and the staff's centres; as many for the staff's queue.
    with django_assert_num_queries(1):
        assert len(api(asker).get(BOOKINGS).json()) == 3
    staff = staff_of(hall.centre)
    # + its roles (granted since), is it staff anywhere, its centres
    with django_assert_num_queries(4):
        assert len(api(staff).get(BOOKINGS, {"scope": "queue"}).json()) == 3
    with django_assert_num_queries(4):  # the room, its hours, bookings, closures
        assert len(api().get(f"/api/rooms/{hall.pk}/busy/").json()["days"]) == 7


def closure_body(hall, **more):
    return {
        "starts_at": at(0, "00:00").isoformat(),
        "ends_at": at(1, "00:00").isoformat(),
        "reason": "ремонт",
        **more,
    }


def test_the_centres_staff_add_and_list_closures(hall, tos, asker):
    """Closures through the API, by the centre's own staff: refused over live
    bookings (400 naming starts_at) unless asked to cancel them; others 403."""
    url = f"/api/centres/{hall.centre_id}/closures/"
    staff = staff_of(hall.centre)
    series = book(asker, hall, at(0, "18:00"), at(0, "19:00"), territory=tos)
    assert api(asker).post(url, closure_body(hall), format="json").status_code == 403
    other_staff = staff_of(centre(2), "other-staff")
    assert (
        api(other_staff).post(url, closure_body(hall), format="json").status_code == 403
    )
    assert api().post(url, closure_body(hall), format="json").status_code in (401, 403)
    refused = api(staff).post(url, closure_body(hall), format="json")
    assert refused.status_code == 400 and refused.json()["field"] == "starts_at"
    bad = api(staff).post(url, closure_body(hall, reason=""), format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "reason"
    assert Closure.objects.count() == 0
    done = api(staff).post(
        url, closure_body(hall, room=hall.pk, cancel_bookings=True), format="json"
    )
    assert done.status_code == 201, done.json()
    assert done.json()["closure"]["room"] == hall.pk
    assert done.json()["cancelled"] == [series.bookings.get().pk]
    assert Booking.objects.get().state == "cancelled"
    listed = api(staff).get(url)
    assert listed.status_code == 200
    assert [c["reason"] for c in listed.json()] == ["ремонт"]
    assert api(asker).get(url).status_code == 403
    assert api(staff).get("/api/centres/999999/closures/").status_code == 404


def user_reads(queries):
    """The queries reading one account by its id (a lazy foreign key's)."""
    return [q["sql"] for q in queries if 'WHERE "auth_user"."id" = ' in q["sql"]]


def test_the_requester_is_not_read_once_per_date(hall, tos, asker):
    """A series' answer reads no account per date (POST /api/bookings/ and the
    series' cancel): the requester comes joined, and only for the staff."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    body = request_body(hall, tos, repeat={"every": "weekly", "count": 4})
    with CaptureQueriesContext(connection) as made:
        answer = api(asker).post(BOOKINGS, body, format="json")
    assert answer.status_code == 201 and len(answer.json()["bookings"]) == 4
    assert user_reads(made.captured_queries) == []
    series = answer.json()["id"]
    with CaptureQueriesContext(connection) as cancelled:
        answer = api(asker).post(f"/api/booking-series/{series}/cancel/")
    assert answer.status_code == 200 and len(answer.json()) == 4
    assert user_reads(cancelled.captured_queries) == []
