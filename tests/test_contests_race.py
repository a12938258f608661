"""Two specialists move a season from the same state at once: exactly one step
happens and is logged (docs/domain.md, "Contests", "States"). Two real
connections, as tests/test_boundaries_race.py."""

import threading

import pytest
from django.db import connection

from geo.errors import Refused
from territories.contests import services
from territories.contests.models import Score, Season, StateChange

from .contest_helpers import (
    council_with_house,
    criteria,
    entry,
    juror,
    nomination,
    season,
    specialist,
)

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*calls):
    """Run the calls in threads released together; what each returned or raised."""
    start = threading.Barrier(len(calls))
    outcome = [None] * len(calls)

    def run(n, call):
        try:
            start.wait(5)
            call()
            outcome[n] = "done"
        except Exception as error:  # noqa: BLE001 — the outcome is the test's
            outcome[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome


@pytest.mark.parametrize(
    ("state", "to"),
    [("open", "judging"), ("judging", "closed"), ("closed", "published")],
)
def test_two_racing_transitions_from_one_state_one_wins(district, state, to):
    s = season(state)
    a, b = specialist("spec-a"), specialist("spec-b")
    outcome = at_once(
        lambda: services.change_state(s.pk, to, by=a, expected=state),
        lambda: services.change_state(s.pk, to, by=b, expected=state),
    )
    assert outcome.count("done") == 1, outcome
    loser = next(o for o in outcome if o != "done")
    assert isinstance(loser, Refused) and loser.field == "from"
    assert StateChange.objects.filter(season=s).count() == 1
    assert Season.objects.get(pk=s.pk).state == to


def test_without_the_service_lock_the_log_still_takes_one_step(district):
    """The control: the log's unique (season, to_state) alone refuses a second
    record of the same step, whoever writes it."""
    s = season("open")
    by = specialist()
    StateChange.objects.create(season=s, from_state="open", to_state="judging", by=by)
    from django.db import IntegrityError

    with pytest.raises(IntegrityError, match="statechange_once"):
        StateChange.objects.create(
            season=s, from_state="open", to_state="judging", by=by
        )


def test_a_sheet_and_the_end_of_judging_take_turns(district):
    s = season("judging")
    nom = nomination(s)
    crits = criteria(s)
    council, house = council_with_house()
    made = entry(s, nom, council=council, house=house)
    j = juror(s, "juror-a")
    outcome = at_once(
        lambda: services.submit_sheet(made.pk, {c.pk: 1 for c in crits}, by=j.user),
        lambda: services.change_state(s.pk, "closed", by=specialist()),
    )
    assert outcome[1] == "done"
    stored = Score.objects.count()
    # Either the sheet came first (all of it) or it was refused (none of it).
    assert (outcome[0], stored) in (("done", 2),) or (
        isinstance(outcome[0], Refused) and stored == 0
    )
