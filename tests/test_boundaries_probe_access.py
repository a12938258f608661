"""Who may write a boundary and who may read a draft (issue 8, "How it is
judged"; docs/domain.md, "TOS boundaries"), tried on every endpoint: anonymous
users, other chairs, planners, inactive accounts, other initiative groups."""

import pytest

from territories.accounts.roles import Role
from territories.boundaries import services
from territories.boundaries.models import BoundaryVersion
from territories.registry.models import Territory

from .boundary_helpers import account, api, box, box_json, chair_of, planner, reload
from .conftest import utm_box

pytestmark = pytest.mark.django_db

APPROVAL = {"decision_number": "1", "decision_date": "2026-01-01"}
WRITES = {
    "draft": ("put", "draft/", lambda: box_json(0, 0, 600, 500)),
    "submit": ("post", "submit/", dict),
    "approve": ("post", "approve/", lambda: APPROVAL),
    "return": ("post", "return/", lambda: {"comment": "нет"}),
    "restore": ("post", "versions/1/restore/", dict),
}
EDITING = ("draft", "submit")


@pytest.fixture
def world(tos, other_tos, district):
    """The people around `tos` (approved, version 1) and a TOS proposed by an
    initiative group."""
    chair = chair_of(tos)
    proposer = account("proposer", Role.INITIATIVE)
    proposed = services.propose("Новый", box(1000, 0, 300, 300), by=proposer)
    inactive_chair = account("gone", Role.CHAIR)
    inactive_chair.is_active = False
    inactive_chair.save()
    return {
        "chair": chair,
        "other chair": chair_of(other_tos, "other"),
        "planner": planner(),
        "specialist": account("specialist", Role.SPECIALIST),
        "resident": account("resident", Role.RESIDENT),
        "initiative of another TOS": proposer,
        "inactive planner": inactive(planner("sleepy")),
        "inactive superuser": inactive(account("root", Role.ADMIN)),
        "inactive chair": inactive_chair,
        "proposed": proposed,
    }


def inactive(user):
    user.is_active = False
    user.save()
    return user


def write(user, territory, step):
    method, path, body = WRITES[step]
    client = api(user)
    return getattr(client, method)(
        f"/api/territories/{territory.pk}/{path}", body(), format="json"
    )


def stored(territory):
    return (
        list(BoundaryVersion.objects.of(territory).values_list("number", "state")),
        reload(territory).geom.ewkb,
    )


@pytest.mark.parametrize("step", WRITES)
@pytest.mark.parametrize(
    "who",
    [
        None,
        "other chair",
        "specialist",
        "resident",
        "initiative of another TOS",
        "inactive planner",
        "inactive superuser",
        "inactive chair",
    ],
)
def test_no_write_for_those_it_is_not_theirs(tos, world, who, step):
    user = world[who] if who else None
    if who == "inactive chair":
        tos.chair_user = user
        tos.save(update_fields=["chair_user"])
    before = stored(tos)
    response = write(user, tos, step)
    assert response.status_code in ((401, 403) if user is None else (403,))
    assert response.json()["field"] in ("authorization", "territory", "role")
    assert stored(tos) == before


@pytest.mark.parametrize("step", ["draft", "submit"])
def test_a_planner_does_not_draw_unless_they_chair(tos, world, step):
    reviewer = world["planner"]
    assert write(reviewer, tos, "draft").status_code == 403
    tos.chair_user = reviewer
    tos.save(update_fields=["chair_user"])
    assert write(reviewer, tos, "draft").status_code == 200
    if step == "submit":
        assert write(reviewer, tos, "submit").status_code == 200


def test_an_initiative_group_writes_to_its_own_proposal_only(tos, world):
    member, proposed = world["initiative of another TOS"], world["proposed"]
    drawn = box_json(1000, 0, 350, 300)
    url = f"/api/territories/{proposed.pk}/draft/"
    assert api(member).put(url, drawn, format="json").status_code == 200
    assert write(member, tos, "draft").status_code == 403
    assert api(world["chair"]).put(url, drawn, format="json").status_code == 404


@pytest.mark.parametrize(
    "who", [None, "other chair", "resident", "initiative of another TOS"]
)
def test_proposals_and_live_checks_need_the_role_or_a_sign_in(world, who):
    user = world[who] if who else None
    body = {"name": "Ещё один", "geometry": box_json(3000, 0, 300, 300)}
    response = api(user).post("/api/territories/", body, format="json")
    if who in ("other chair", "initiative of another TOS"):  # chairs may propose
        assert response.status_code == 201
        return
    assert response.status_code in ((401, 403) if user is None else (403,))
    assert not Territory.objects.filter(name="Ещё один").exists()
    if user is None:
        check = api().post("/api/territories/preview/", body["geometry"], format="json")
        assert check.status_code in (401, 403)


READS = [
    "",
    "versions/",
    "versions/2/",
    "versions/compare/?from=1&to=2",
    "boundary.geojson?version=2",
    "boundary.kml?version=2",
]


@pytest.mark.parametrize(
    "who",
    [
        None,
        "other chair",
        "resident",
        "initiative of another TOS",
        "inactive planner",
        "inactive chair",
        "chair",
        "planner",
        "specialist",
    ],
)
def test_drafts_show_only_to_their_editors_planners_and_specialists(tos, world, who):
    user = world[who] if who else None
    if who == "inactive chair":
        tos.chair_user = user
        tos.save(update_fields=["chair_user"])
    services.save_draft(tos, box(0, 0, 650, 500), by=account("admin", Role.ADMIN))
    sees = who in ("chair", "planner", "specialist")
    client = api(user)
    url = f"/api/territories/{tos.pk}/"
    detail = client.get(url).json()
    assert (detail["draft"] is not None) is sees
    assert detail["state"] == ("draft" if sees else "approved")
    numbers = [v["number"] for v in client.get(url + "versions/").json()]
    assert numbers == ([2, 1] if sees else [1])
    for path in READS[2:]:
        assert client.get(url + path).status_code == (200 if sees else 404), path
    listed = {t["name"]: t for t in client.get("/api/territories/").json()}
    assert listed["Перекресток"]["state"] == ("draft" if sees else "approved")
    # The proposal has no approved boundary: only its group and reviewers see it.
    sees_proposal = who in ("planner", "specialist", "initiative of another TOS")
    assert ("Новый" in listed) is sees_proposal
    proposed = world["proposed"]
    shown = client.get(f"/api/territories/{proposed.pk}/").status_code
    assert shown == (200 if sees_proposal else 404)


def test_a_returned_version_stays_private(tos, world):
    chair, reviewer = world["chair"], world["planner"]
    services.save_draft(tos, box(0, 0, 650, 500), by=chair)
    services.submit(tos, by=chair)
    services.return_for_changes(tos, by=reviewer, comment="лишний квартал")
    url = f"/api/territories/{tos.pk}/"
    assert api(world["other chair"]).get(url + "versions/2/").status_code == 404
    comment = api(chair).get(url + "versions/2/").json()["properties"]["comment"]
    assert comment == "лишний квартал"
    assert reload(tos).geom.equals(utm_box(0, 0, 500, 500))
