"""The forum's REST API (docs/domain.md, "Forum"): submitting a project (each
refusal names its field and stores nothing), moderation, votes and withdrawals, the
public tally, winners and implementation; the lists' query counts are pinned."""

from datetime import timedelta

import pytest
from django.utils import timezone

from territories.accounts import roles
from territories.forum.models import Implementation, Project, Vote

from .boundary_helpers import api
from .forum_helpers import open_round, person, project
from .report_helpers import image_bytes, lat_lon, upload
from .verification_helpers import resident_account

pytestmark = pytest.mark.django_db


def point(dx=100, dy=100):
    lat, lon = lat_lon(dx, dy)
    return {"type": "Point", "coordinates": [lon, lat]}


def square(dx=100, dy=100, side=50):
    corners = [(dx, dy), (dx + side, dy), (dx + side, dy + side), (dx, dy + side)]
    ring = [list(reversed(lat_lon(x, y))) for x, y in [*corners, corners[0]]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def author(district):
    return person("author")


@pytest.fixture
def specialist(district):
    user = resident_account("specialist")
    roles.grant(user, roles.Role.SPECIALIST)
    return user


def body(round_, **changes):
    return {
        "round": round_.pk,
        "title": "Скамейки у подъезда",
        "description": "Поставить три скамейки (условно).",
        "budget": 90_000,
        "geometry": point(),
        **changes,
    }


def test_a_person_submits_a_project_at_a_point(author):
    round_ = open_round()
    answer = api(author).post("/api/forum/projects/", body(round_), format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["state"] == "submitted"
    assert answer.json()["point"]["type"] == "Point"
    assert Project.objects.get().area is None


def test_an_area_is_stored_with_its_point_on_surface(author):
    round_ = open_round()
    answer = api(author).post(
        "/api/forum/projects/", body(round_, geometry=square()), format="json"
    )
    assert answer.status_code == 201, answer.json()
    row = Project.objects.get()
    assert row.area is not None
    assert row.area.covers(row.geom)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "х" * 201}, "title"),
        ({"description": ""}, "description"),
        ({"budget": 0}, "budget"),
        ({"budget": -5}, "budget"),
        ({"budget": 10**12}, "budget"),
        ({"budget": "много"}, "budget"),
        ({"budget": True}, "budget"),
        ({"round": 999_999}, "round"),
        ({"territory": 999_999}, "territory"),
        ({"geometry": None}, "geometry"),
        ({"geometry": {"type": "Point", "coordinates": [1000, 2]}}, "geometry"),
        (
            {"geometry": {"type": "LineString", "coordinates": [[1, 2], [3, 4]]}},
            "geometry",
        ),
        ({"geometry": point(60_000, 0)}, "geometry"),
        ({"geometry": square(60_000, 0)}, "geometry"),
    ],
)
def test_bad_projects_are_refused_by_name_and_nothing_stored(author, changes, field):
    round_ = open_round()
    answer = api(author).post(
        "/api/forum/projects/", body(round_, **changes), format="json"
    )
    assert answer.status_code == 400, answer.json()
    assert answer.json()["field"] == field
    assert not Project.objects.exists()


def test_a_closed_round_takes_no_projects(author):
    now = timezone.now()
    round_ = open_round(opens_at=now - timedelta(days=9), closes_at=now - timedelta(1))
    answer = api(author).post("/api/forum/projects/", body(round_), format="json")
    assert answer.json()["field"] == "round"
    assert not Project.objects.exists()


def test_an_unverified_account_cannot_submit(district):
    stranger = resident_account("stranger")
    answer = api(stranger).post(
        "/api/forum/projects/", body(open_round()), format="json"
    )
    assert answer.status_code == 403
    assert answer.json()["field"] == "verification"
    assert not Project.objects.exists()


def test_submissions_per_account_are_limited(author, settings):
    settings.FORUM_PROJECTS_HOURLY_PER_ACCOUNT = 1
    round_ = open_round()
    assert (
        api(author)
        .post("/api/forum/projects/", body(round_), format="json")
        .status_code
        == 201
    )
    answer = api(author).post("/api/forum/projects/", body(round_), format="json")
    assert answer.status_code == 429
    assert int(answer["Retry-After"]) > 0
    assert Project.objects.count() == 1


def test_moderation_is_for_specialists_and_a_rejection_needs_a_reason(
    author, specialist
):
    row = project(open_round(), author, state="submitted")
    url = f"/api/forum/projects/{row.pk}/moderation/"
    assert (
        api(author).post(url, {"decision": "approve"}, format="json").status_code == 403
    )
    answer = api(specialist).post(url, {"decision": "reject"}, format="json")
    assert answer.json()["field"] == "reason"
    answer = api(specialist).post(
        url, {"decision": "reject", "reason": "Вне полномочий"}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["reason"] == "Вне полномочий"


def test_no_approval_after_the_vote_closed(author, specialist):
    """Approving after the vote closed would put on the ballot a project nobody
    could vote for; a rejection stays possible."""
    now = timezone.now()
    round_ = open_round(opens_at=now - timedelta(days=9), closes_at=now - timedelta(1))
    row = project(round_, author, state="submitted")
    url = f"/api/forum/projects/{row.pk}/moderation/"
    answer = api(specialist).post(url, {"decision": "approve"}, format="json")
    assert answer.status_code == 400 and answer.json()["field"] == "window"
    row.refresh_from_db()
    assert row.state == "submitted"
    answer = api(specialist).post(
        url, {"decision": "reject", "reason": "Голосование закончилось"}, format="json"
    )
    assert answer.status_code == 200


def test_the_rejection_reason_is_the_authors_alone(author, specialist):
    row = project(open_round(), author, state="rejected")
    assert api(author).get(f"/api/forum/projects/{row.pk}/").json()["reason"]
    # Not public: the project is not shown to anyone else at all.
    assert api().get(f"/api/forum/projects/{row.pk}/").status_code == 404
    assert api(person("other")).get(f"/api/forum/projects/{row.pk}/").status_code == 404


def test_vote_withdraw_and_the_public_tally(author):
    voter = person("voter")
    row = project(open_round(), author)
    url = f"/api/forum/projects/{row.pk}/vote/"
    assert api().post(url).status_code == 401
    answer = api(voter).post(url)
    assert answer.json() == {"project": row.pk, "votes": 1, "voted": True}
    again = api(voter).post(url)
    assert again.status_code == 400 and again.json()["field"] == "vote"
    listed = api().get("/api/forum/projects/").json()
    assert [(p["id"], p["votes"]) for p in listed] == [(row.pk, 1)]
    answer = api(voter).delete(url)
    assert answer.json() == {"project": row.pk, "votes": 0, "voted": False}
    assert not Vote.objects.exists()


def test_an_unverified_vote_is_403_naming_verification(author):
    row = project(open_round(), author)
    answer = api(resident_account("stranger")).post(
        f"/api/forum/projects/{row.pk}/vote/"
    )
    assert answer.status_code == 403
    assert answer.json()["field"] == "verification"


def test_a_vote_outside_the_window_names_window(author):
    now = timezone.now()
    round_ = open_round(opens_at=now - timedelta(days=9), closes_at=now - timedelta(1))
    row = project(round_, author)
    answer = api(person("voter")).post(f"/api/forum/projects/{row.pk}/vote/")
    assert answer.status_code == 400
    assert answer.json()["field"] == "window"


def closed_round_with(author, n=3):
    now = timezone.now()
    round_ = open_round(opens_at=now - timedelta(days=9), closes_at=now - timedelta(1))
    return round_, [project(round_, author, x=10 * i) for i in range(n)]


def test_winners_are_chosen_all_or_nothing_after_the_window(author, specialist):
    round_, rows = closed_round_with(author)
    url = f"/api/forum/rounds/{round_.pk}/winners/"
    rejected = project(round_, author, state="rejected", x=90)
    answer = api(specialist).post(
        url, {"projects": [rows[0].pk, rejected.pk]}, format="json"
    )
    assert answer.json()["field"] == "projects"
    assert not Implementation.objects.exists()
    assert Project.objects.filter(state="winner").count() == 0
    answer = api(specialist).post(
        url,
        {"projects": [rows[0].pk, rows[1].pk], "responsible": "УЖКХ"},
        format="json",
    )
    assert answer.status_code == 201
    assert {r["status"] for r in answer.json()} == {"planned"}
    again = api(specialist).post(url, {"projects": [rows[2].pk]}, format="json")
    assert again.json()["field"] == "round"


def test_winners_wait_for_the_window_to_close(author, specialist):
    round_ = open_round()
    row = project(round_, author)
    answer = api(specialist).post(
        f"/api/forum/rounds/{round_.pk}/winners/", {"projects": [row.pk]}, format="json"
    )
    assert answer.json()["field"] == "window"


def test_the_lists_cost_a_fixed_number_of_queries(author, django_assert_num_queries):
    round_ = open_round()
    for i in range(4):
        project(round_, author, x=10 * i)
    with django_assert_num_queries(1):
        assert len(api().get("/api/forum/projects/").json()) == 4
    with django_assert_num_queries(1):
        api().get("/api/forum/rounds/")
    winner = project(round_, author, state="winner", x=90)
    Implementation.objects.create(project=winner, geom=winner.geom, budget=1)
    with django_assert_num_queries(2):  # the rows, their photos
        assert len(api().get("/api/forum/implementation/").json()) == 1


@pytest.mark.usefixtures("media")
def test_the_author_adds_photos_while_the_project_waits(author, settings):
    settings.FORUM_MAX_PHOTOS = 2
    row = project(open_round(), author, state="submitted")
    url = f"/api/forum/projects/{row.pk}/photos/"
    photos = [upload(image_bytes()), upload(image_bytes())]
    answer = api(author).post(url, {"photos": photos}, format="multipart")
    assert answer.status_code == 200, answer.json()
    assert len(answer.json()["photos"]) == 2
    more = api(author).post(
        url, {"photos": [upload(image_bytes())]}, format="multipart"
    )
    assert more.status_code == 400 and more.json()["field"] == "photos"
    broken = api(author).post(
        url, {"photos": [upload(b"not a photo")]}, format="multipart"
    )
    assert broken.json()["field"] == "photos"
    other = api(person("other")).post(
        url, {"photos": [upload(image_bytes())]}, format="multipart"
    )
    assert other.status_code == 404  # a waiting project is hidden from others
    assert row.photos.count() == 2


@pytest.mark.usefixtures("media")
def test_a_hidden_project_and_a_missing_one_answer_alike_to_photos(author):
    """Uploading photos must not reveal which hidden project ids exist."""
    row = project(open_round(), author, state="submitted")
    stranger = api(person("stranger"))
    answers = [
        stranger.post(
            f"/api/forum/projects/{pk}/photos/",
            {"photos": [upload(image_bytes())]},
            format="multipart",
        )
        for pk in (row.pk, row.pk + 1000)
    ]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].json() == answers[1].json()
    shown = project(open_round(), author, state="approved", x=60)
    public = stranger.post(
        f"/api/forum/projects/{shown.pk}/photos/",
        {"photos": [upload(image_bytes())]},
        format="multipart",
    )
    assert public.status_code == 403  # a public project: only its author adds
    assert not row.photos.exists() and not shown.photos.exists()


@pytest.mark.usefixtures("media")
def test_specialists_add_photos_before_and_after(author, specialist):
    row = project(open_round(), author, state="winner")
    done = Implementation.objects.create(project=row, geom=row.geom, budget=1)
    url = f"/api/forum/implementation/{done.pk}/photos/"
    answer = api(specialist).post(
        url, {"stage": "after", "photos": [upload(image_bytes())]}, format="multipart"
    )
    assert answer.status_code == 200, answer.json()
    assert [p["stage"] for p in answer.json()["photos"]] == ["after"]
    wrong = api(specialist).post(
        url, {"stage": "during", "photos": [upload(image_bytes())]}, format="multipart"
    )
    assert wrong.json()["field"] == "stage"
    assert (
        api(author)
        .post(
            url,
            {"stage": "before", "photos": [upload(image_bytes())]},
            format="multipart",
        )
        .status_code
        == 403
    )
