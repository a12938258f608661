"""The way of a TOS boundary through its services (docs/domain.md, "TOS
boundaries"): who may do each step, what each step stores, what follows it."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from procrastinate.contrib.django.models import ProcrastinateJob

from geo.errors import Forbidden, NotFound, Refused
from geo.geojson_input import GeometryRefused
from territories.accounts.roles import Role
from territories.boundaries import services
from territories.boundaries.models import BoundaryVersion
from territories.registry.models import Territory

from .boundary_helpers import (
    account,
    approved_via_workflow,
    box,
    chair_of,
    planner,
    reload,
)
from .conftest import utm_box
from .report_helpers import report_at

State = BoundaryVersion.State
pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbour(district):
    """An approved TOS west of `tos` (conftest), sharing its edge x = 0."""
    return Territory.objects.create(
        district=district, name="Центральный", geom=utm_box(-500, 0, 500, 500)
    )


def test_existing_boundaries_are_version_one(tos):
    (version,) = BoundaryVersion.objects.of(tos)
    assert (version.number, version.state) == (1, State.APPROVED)
    assert version.geom.equals(tos.geom)


def test_draft_submit_approve(tos):
    chair, reviewer = chair_of(tos), planner()
    draft = services.save_draft(tos, box(0, 0, 600, 500), by=chair)
    assert (draft.number, draft.state, draft.author) == (2, State.DRAFT, chair)
    assert reload(tos).geom.equals(utm_box(0, 0, 500, 500))  # not public yet

    services.submit(tos, by=chair)
    version = services.approve(
        tos, by=reviewer, decision_number="12-рд", decision_date="2026-11-30"
    )
    assert version.state == State.APPROVED
    assert version.reviewed_by == reviewer
    territory = reload(tos)
    assert territory.geom.area == pytest.approx(600 * 500, rel=1e-6)
    assert (territory.decision_no, territory.decision_date) == (
        "12-рд",
        date(2026, 11, 30),
    )
    # The approval made no version of its own beside the one approved.
    assert BoundaryVersion.objects.of(tos).count() == 2


def test_returned_with_a_comment_then_drawn_again(tos):
    chair, reviewer = chair_of(tos), planner()
    services.save_draft(tos, box(0, 0, 600, 500), by=chair)
    services.submit(tos, by=chair)
    returned = services.return_for_changes(tos, by=reviewer, comment="Уберите гаражи")
    assert (returned.state, returned.comment) == (State.RETURNED, "Уберите гаражи")
    again = services.save_draft(tos, box(0, 0, 550, 500), by=chair)
    assert (again.number, again.state) == (3, State.DRAFT)
    assert BoundaryVersion.objects.get(pk=returned.pk).state == State.RETURNED


@pytest.mark.parametrize(
    ("step", "field"),
    [
        (lambda t, u: services.save_draft(t, box(0, 0, 600, 500), by=u), "territory"),
        (lambda t, u: services.submit(t, by=u), "territory"),
        (
            lambda t, u: services.approve(
                t, by=u, decision_number="1", decision_date="2026-01-01"
            ),
            "role",
        ),
        (lambda t, u: services.return_for_changes(t, by=u, comment="нет"), "role"),
        (lambda t, u: services.restore(t, 1, by=u), "role"),
    ],
)
@pytest.mark.parametrize("who", ["other chair", "resident", "specialist", "anonymous"])
def test_only_the_right_people_take_each_step(tos, neighbour, step, field, who):
    chair_of(neighbour, "other")
    user = {
        "other chair": lambda: account("other"),
        "resident": lambda: account("resident", Role.RESIDENT),
        "specialist": lambda: account("specialist", Role.SPECIALIST),
        "anonymous": lambda: None,
    }[who]()
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Forbidden) as refused:
        step(tos, user or AnonymousUser())
    assert refused.value.field == field
    assert BoundaryVersion.objects.of(tos).count() == 1


def test_a_chair_cannot_approve_their_own_draft(tos):
    chair = chair_of(tos)
    services.save_draft(tos, box(0, 0, 600, 500), by=chair)
    services.submit(tos, by=chair)
    with pytest.raises(Forbidden):
        services.approve(tos, by=chair, decision_number="1", decision_date="2026-01-01")


def test_no_second_draft_while_one_is_under_review(tos):
    chair = chair_of(tos)
    services.save_draft(tos, box(0, 0, 600, 500), by=chair)
    services.submit(tos, by=chair)
    with pytest.raises(Refused) as refused:
        services.save_draft(tos, box(0, 0, 700, 500), by=chair)
    assert refused.value.field == "state"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"decision_number": "", "decision_date": "2026-01-01"}, "decision_number"),
        (
            {"decision_number": "x" * 65, "decision_date": "2026-01-01"},
            "decision_number",
        ),
        ({"decision_number": "1", "decision_date": "30.11.2026"}, "decision_date"),
        ({"decision_number": "1", "decision_date": "2999-01-01"}, "decision_date"),
        ({"decision_number": "1", "decision_date": None}, "decision_date"),
        ({"decision_number": "1", "decision_date": "0001-01-01"}, "decision_date"),
    ],
)
def test_an_approval_names_its_decision(tos, fields, field):
    chair, reviewer = chair_of(tos), planner()
    services.save_draft(tos, box(0, 0, 600, 500), by=chair)
    services.submit(tos, by=chair)
    with pytest.raises(Refused) as refused:
        services.approve(tos, by=reviewer, **fields)
    assert refused.value.field == field
    assert BoundaryVersion.objects.of(tos).newest_first()[0].state == State.SUBMITTED


def test_an_overlap_cannot_be_submitted(tos, neighbour):
    chair = chair_of(tos)
    services.save_draft(tos, box(-200, 0, 700, 500), by=chair)  # 200 m into it
    with pytest.raises(GeometryRefused) as refused:
        services.submit(tos, by=chair)
    assert refused.value.code == "overlap"
    assert "Центральный" in str(refused.value)
    assert BoundaryVersion.objects.of(tos).newest_first()[0].state == State.DRAFT


def test_a_sliver_against_a_neighbour_is_snapped_away(tos, neighbour, settings):
    settings.TERRITORY_SLIVER_M2 = 100
    chair = chair_of(tos)
    # 0.1 m into the neighbour along the 500 m edge: 50 m² of drawing error.
    draft = services.save_draft(tos, box(-0.1, 0, 600.1, 500), by=chair)
    assert draft.area_m2 == pytest.approx(600 * 500, abs=0.5)
    services.submit(tos, by=chair)
    services.approve(tos, by=planner(), decision_number="7", decision_date="2026-01-01")
    shared = reload(tos).geom.intersection(reload(neighbour).geom)
    assert shared.area < 0.01


def test_outside_the_district_is_refused(tos):
    chair = chair_of(tos)
    with pytest.raises(GeometryRefused) as refused:
        services.save_draft(tos, box(19_000, 0, 2_000, 500), by=chair)
    assert refused.value.code == "outside_district"
    assert BoundaryVersion.objects.of(tos).count() == 1


def test_an_initiative_group_proposes_a_new_tos(district, tos):
    member = account("initiative", Role.INITIATIVE)
    territory = services.propose("Новый", box(1000, 0, 300, 300), by=member)
    assert territory.status == Territory.Status.PROPOSED
    assert territory.geom is None
    assert list(territory.initiative_group.all()) == [member]
    (version,) = BoundaryVersion.objects.of(territory)
    assert (version.state, version.author) == (State.DRAFT, member)
    services.submit(territory, by=member)
    services.approve(
        territory, by=planner(), decision_number="3", decision_date="2026-01-01"
    )
    assert reload(territory).status == Territory.Status.APPROVED
    assert Territory.objects.approved().filter(pk=territory.pk).exists()


def test_a_proposal_needs_a_free_name_and_the_role(district, tos):
    member = account("initiative", Role.INITIATIVE)
    with pytest.raises(Refused) as refused:
        services.propose("перекресток", box(1000, 0, 300, 300), by=member)
    assert refused.value.field == "name"
    with pytest.raises(Forbidden):
        services.propose(
            "Новый", box(1000, 0, 300, 300), by=account("r", Role.RESIDENT)
        )
    assert Territory.objects.count() == 1


def test_a_planner_restores_an_earlier_version(tos):
    chair, reviewer = chair_of(tos), planner()
    approved_via_workflow(tos, box(0, 0, 600, 500), chair, reviewer, number="2-рд")
    restored = services.restore(tos, 1, by=reviewer)
    assert (restored.number, restored.state) == (3, State.APPROVED)
    assert restored.restored_from.number == 1
    assert reload(tos).geom.equals(utm_box(0, 0, 500, 500))
    with pytest.raises(Refused):
        services.restore(tos, 3, by=reviewer)  # already the boundary
    with pytest.raises(NotFound):
        services.restore(tos, 99, by=reviewer)


def test_restoring_waits_for_the_submission(tos):
    chair, reviewer = chair_of(tos), planner()
    approved_via_workflow(tos, box(0, 0, 600, 500), chair, reviewer)
    services.save_draft(tos, box(0, 0, 700, 500), by=chair)
    services.submit(tos, by=chair)
    with pytest.raises(Refused) as refused:
        services.restore(tos, 1, by=reviewer)
    assert refused.value.field == "state"


def test_reports_follow_the_approved_boundary(tos, categories):
    chair, reviewer = chair_of(tos), planner()
    inside_later = report_at(550, 100)
    assert inside_later.territory_id is None
    approved_via_workflow(tos, box(0, 0, 600, 500), chair, reviewer)
    inside_later.refresh_from_db()
    assert inside_later.territory_id == tos.pk
    approved_via_workflow(tos, box(0, 0, 500, 500), chair, reviewer, number="9")
    inside_later.refresh_from_db()
    assert inside_later.territory_id is None


def test_each_step_mails_the_other_side(tos):
    chair, reviewer = chair_of(tos), planner()
    services.save_draft(tos, box(0, 0, 600, 500), by=chair)
    services.submit(tos, by=chair)
    services.approve(tos, by=reviewer, decision_number="1", decision_date="2026-01-01")
    jobs = ProcrastinateJob.objects.filter(task_name="boundaries.mail_step")
    sent = sorted((j.args["state"], j.args["user_id"]) for j in jobs)
    assert sent == [("approved", chair.pk), ("submitted", reviewer.pk)]


def test_the_database_refuses_an_overlapping_approved_boundary(tos, neighbour):
    neighbour.geom = utm_box(-500, 0, 600, 500)  # 100 m into `tos`
    with pytest.raises(IntegrityError, match="overlaps"), transaction.atomic():
        neighbour.save()
    assert reload(neighbour).geom.equals(utm_box(-500, 0, 500, 500))


def test_the_database_refuses_a_boundary_outside_the_district(tos):
    tos.geom = utm_box(19_000, 0, 2_000, 500)
    with pytest.raises(IntegrityError, match="outside"), transaction.atomic():
        tos.save()


def test_a_boundary_written_outside_the_workflow_enters_the_history(tos):
    tos.geom = utm_box(0, 0, 450, 450)
    tos.decision_no = "99"
    tos.save()
    newest = BoundaryVersion.objects.of(tos).newest_first()[0]
    assert (newest.number, newest.state, newest.decision_number) == (
        2,
        "approved",
        "99",
    )
    assert newest.author is None
