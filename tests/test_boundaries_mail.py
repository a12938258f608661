"""Each step of a boundary's way mails the other side, through the worker
(docs/domain.md, "TOS boundaries"; docs/architecture.md, "Background jobs")."""

from territories.boundaries import services

from .boundary_helpers import box, chair_of, planner
from .jobs import JOBS, run_jobs

pytestmark = JOBS


def test_planners_hear_of_a_submission_and_the_chair_of_the_answer(tos, mailoutbox):
    chair, reviewer = chair_of(tos), planner()
    services.save_draft(tos, box(0, 0, 600, 500), by=chair)
    services.submit(tos, by=chair)
    run_jobs()
    (asked,) = mailoutbox
    assert asked.to == [reviewer.email]
    assert (
        "отправлена на согласование" in asked.subject and "Перекресток" in asked.subject
    )
    assert f"/territories/{tos.pk}/" in asked.body

    services.return_for_changes(tos, by=reviewer, comment="Уберите гаражи у реки")
    run_jobs()
    answer = mailoutbox[1]
    assert answer.to == [chair.email]
    assert "возвращена" in answer.subject
    assert "Уберите гаражи у реки" in answer.body


def test_an_approval_tells_the_decision(tos, mailoutbox):
    chair, reviewer = chair_of(tos), planner()
    services.save_draft(tos, box(0, 0, 600, 500), by=chair)
    services.submit(tos, by=chair)
    services.approve(
        tos, by=reviewer, decision_number="12-рд", decision_date="2026-11-30"
    )
    run_jobs()
    approved = mailoutbox[-1]
    assert approved.to == [chair.email]
    assert "утверждена" in approved.subject
    assert "№ 12-рд от 30.11.2026" in approved.body
