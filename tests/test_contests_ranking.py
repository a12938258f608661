"""The ranking is computed in PostgreSQL (territories/contests/ranking.py) and
agrees with the rule of docs/domain.md ("Ranking and ties") worked out here in
Python; publishing stores it and names the winners."""

import random
from decimal import Decimal

import pytest

from territories.contests import ranking, services
from territories.contests.models import Criterion, Placing, Score, Season

from .contest_helpers import (
    council_with_house,
    criteria,
    entry,
    juror,
    nomination,
    season,
    sheet,
    specialist,
)

pytestmark = pytest.mark.django_db


def python_ranking(season_row):
    """The stated rule, without SQL: weighted shares × 100 per sheet, the mean of
    complete sheets; ties by the heaviest criteria, then the earlier entry."""
    crits = {c.pk: c for c in Criterion.objects.filter(season=season_row)}
    heaviest = max(c.weight for c in crits.values())
    sheets = {}
    for score in Score.objects.filter(
        entry__season=season_row, entry__state="approved"
    ):
        sheets.setdefault((score.entry_id, score.juror_id), {})[score.criterion_id] = (
            score.value
        )
    per_entry = {}
    for (entry_id, _juror), values in sheets.items():
        if set(values) != set(crits):
            continue
        total = sum(crits[c].weight * v / crits[c].max_score for c, v in values.items())
        score = total / sum(c.weight for c in crits.values()) * 100
        heavy = [
            v / crits[c].max_score
            for c, v in values.items()
            if crits[c].weight == heaviest
        ]
        per_entry.setdefault(entry_id, []).append(
            (score, sum(heavy) / len(heavy) * 100)
        )
    rows = []
    entries = {e.pk: e for e in season_row.entries.all()}
    for entry_id, pairs in per_entry.items():
        score = sum(p[0] for p in pairs) / len(pairs)
        heavy = sum(p[1] for p in pairs) / len(pairs)
        e = entries[entry_id]
        rows.append((e.nomination_id, -score, -heavy, e.created_at, e.pk, score))
    rows.sort()
    placed, last_nomination, place = [], None, 0
    for nomination_id, _s, _h, _c, pk, score in rows:
        place = place + 1 if nomination_id == last_nomination else 1
        last_nomination = nomination_id
        placed.append((pk, nomination_id, round(Decimal(score), 3), place))
    return placed


@pytest.fixture
def judged(district):
    s = season(Season.State.JUDGING)
    criteria(s, ("Чистота", 3, 10), ("Озеленение", 1, 5), ("Участие", 3, 20))
    return s


def test_sql_and_python_agree_on_a_random_season(judged):
    rng = random.Random(11)
    noms = [nomination(judged, f"Номинация {n}") for n in range(2)]
    jurors = [juror(judged, f"juror-{n}") for n in range(4)]
    entries = []
    for n in range(9):
        council, house = council_with_house(f"Совет {n}", x=n * 50)
        state = "rejected" if n == 8 else "approved"
        entries.append(
            entry(
                judged,
                noms[n % 2],
                council=council,
                house=house,
                state=state,
                rejection_reason="нет" if state == "rejected" else "",
            )
        )
    for e in entries:
        for j in jurors:
            if rng.random() < 0.8 or e.state == "rejected":
                _sheet_of(j, e, rng)
    expected = python_ranking(judged)
    assert len(expected) >= 6
    assert [tuple(r) for r in ranking.ranking(judged.pk)] == expected


def _sheet_of(j, e, rng):
    crits = Criterion.objects.filter(season=e.season).order_by("pk")
    sheet(j, e, [rng.randint(0, c.max_score) for c in crits])


def test_ties_go_to_the_heaviest_criterion_then_to_the_earlier_entry(judged):
    nom = nomination(judged)
    j = juror(judged, "juror-1")
    made = []
    for n in range(3):
        council, house = council_with_house(f"Совет {n}", x=n * 50)
        made.append(entry(judged, nom, council=council, house=house))
    first, second, third = made
    # Weighted: (3·v1/10 + v2/5 + 3·v3/20) / 7. Equal totals, different shares.
    sheet(j, first, [5, 5, 10])  # 1.5 + 1 + 1.5 = 4.0; heaviest shares 0.5, 0.5
    sheet(j, second, [10, 0, 5])  # 3 + 0 + 0.75 = 3.75
    sheet(j, third, [5, 5, 10])  # the same as the first, applied later
    expected = python_ranking(judged)
    got = ranking.ranking(judged.pk)
    assert [tuple(r) for r in got] == expected
    assert [r[0] for r in got] == [first.pk, third.pk, second.pk]


def test_equal_scores_the_heaviest_criterion_decides(judged):
    nom = nomination(judged)
    j = juror(judged, "juror-1")
    a_council, a_house = council_with_house("А", x=0)
    b_council, b_house = council_with_house("Б", x=50)
    a = entry(judged, nom, council=a_council, house=a_house)
    b = entry(judged, nom, council=b_council, house=b_house)
    # (3·v1/10 + v2/5 + 3·v3/20) / 7: both 3.6 / 7; b's heaviest shares (0.7, 0.5)
    # beat a's (0.5, 0.5), though a applied first.
    sheet(j, a, [5, 3, 10])
    sheet(j, b, [7, 0, 10])
    got = ranking.ranking(judged.pk)
    assert got[0][2] == got[1][2]
    assert [r[0] for r in got] == [b.pk, a.pk]
    assert [tuple(r) for r in got] == python_ranking(judged)


def test_publishing_stores_the_ranking_and_the_winners(judged):
    judged.winners_per_nomination = 2
    judged.save()
    nom = nomination(judged)
    j = juror(judged, "juror-1")
    for n, values in enumerate([[1, 1, 1], [9, 5, 20], [5, 3, 10]]):
        council, house = council_with_house(f"Совет {n}", x=n * 50)
        sheet(j, entry(judged, nom, council=council, house=house), values)
    expected = ranking.ranking(judged.pk)
    assert not Placing.objects.exists()
    services.change_state(judged.pk, "closed", by=specialist())
    assert not Placing.objects.exists()
    services.change_state(judged.pk, "published", by=specialist())
    stored = list(
        Placing.objects.order_by("rank").values_list("entry_id", "rank", "winner")
    )
    assert stored == [(pk, rank, rank <= 2) for pk, _n, _s, rank in expected]
