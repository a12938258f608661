"""Approved territories never overlap, even when two approvals race
(docs/domain.md, "TOS boundaries"; the trigger of boundaries migration 0002)."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from geo.geojson_input import GeometryRefused
from territories.boundaries import services
from territories.registry.models import Territory

from .boundary_helpers import box, chair_of, planner
from .conftest import utm_box

pytestmark = pytest.mark.django_db(transaction=True)

LOCK = "PERFORM pg_advisory_xact_lock(7310001);"


def proposed(district, name, geom):
    return Territory.objects.create(
        district=district, name=name, status=Territory.Status.PROPOSED, geom=geom
    )


def approve_in_turn(first, second, hold=0.5):
    """`first` approved and held uncommitted for `hold` s while `second` is
    approved in another transaction; which of the two committed."""
    written = threading.Event()
    outcome = {}

    def approve(territory, wait):
        try:
            if wait:
                written.wait(5)
            with transaction.atomic():
                territory.status = Territory.Status.APPROVED
                territory.save(update_fields=["status"])
                if not wait:
                    written.set()
                    threading.Event().wait(hold)
            outcome[territory.name] = "committed"
        except IntegrityError as error:
            outcome[territory.name] = str(error).splitlines()[0]
        finally:
            written.set()
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(first, False)),
        threading.Thread(target=approve, args=(second, True)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome


def test_the_second_of_two_racing_approvals_sees_the_first(district):
    a = proposed(district, "А", utm_box(0, 0, 500, 500))
    b = proposed(district, "Б", utm_box(400, 0, 500, 500))  # 100 m × 500 m shared
    outcome = approve_in_turn(a, b)
    assert outcome["А"] == "committed"
    assert "overlaps approved territory А" in outcome["Б"]
    assert list(Territory.objects.approved().values_list("name", flat=True)) == ["А"]


def test_without_the_lock_the_same_race_lets_the_overlap_in(district):
    """The control: the scenario above is a real race, which only the lock wins."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_functiondef('boundaries_territory_guard'::regproc)"
        )
        original = cursor.fetchone()[0]
        assert LOCK in original
        cursor.execute(original.replace(LOCK, ""))
    try:
        a = proposed(district, "А", utm_box(0, 0, 500, 500))
        b = proposed(district, "Б", utm_box(400, 0, 500, 500))
        assert approve_in_turn(a, b) == {"А": "committed", "Б": "committed"}
    finally:
        with connection.cursor() as cursor:
            cursor.execute(original)


def test_racing_planners_approve_one_of_two_clashing_boundaries(district, categories):
    """Two chairs each drew into the same free block; two planners approve at once.
    Every round, exactly one approval stands and the boundaries do not overlap."""
    west = Territory.objects.create(
        district=district, name="Запад", geom=utm_box(-500, 0, 500, 500)
    )
    east = Territory.objects.create(
        district=district, name="Восток", geom=utm_box(500, 0, 500, 500)
    )
    chairs = {west.pk: chair_of(west, "west"), east.pk: chair_of(east, "east")}
    reviewers = [planner("p1"), planner("p2")]
    # Each grows over the same 1 000 m × 500 m block between them and north of it.
    grown = {west.pk: box(-500, 0, 1000, 1000), east.pk: box(0, 0, 1000, 1000)}
    for territory in (west, east):
        services.save_draft(territory, grown[territory.pk], by=chairs[territory.pk])
        services.submit(territory, by=chairs[territory.pk])

    start = threading.Barrier(2)
    outcomes = {}

    def approve(territory, reviewer):
        try:
            start.wait()
            services.approve(
                territory, by=reviewer, decision_number="1", decision_date="2026-11-30"
            )
            outcomes[territory.name] = "approved"
        except GeometryRefused as refused:
            outcomes[territory.name] = refused.code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(t, r))
        for t, r in zip((west, east), reviewers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["approved", "overlap"]
    west.refresh_from_db()
    east.refresh_from_db()
    assert west.geom.intersection(east.geom).area < 0.01
