"""The demo's contests: for each of the four contests a past season (2018) with
illustrative entries on the demo's houses, yards and TOS, scored by demo jurors
and published. Every text says it is illustrative («условно»). The jurors are
inactive accounts with unusable passwords (demo-juror-N): nobody signs in as them.
Rows are known by their demo key, so a second load changes nothing."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.gis.db.models.functions import PointOnSurface
from django.db import transaction
from django.utils import timezone

from territories.registry.demo import DEMO_PREFIX, Outcome
from territories.registry.models import Building, Territory, Yard

from . import ranking
from .models import (
    Contest,
    Criterion,
    Entry,
    Juror,
    Nomination,
    Score,
    Season,
    StateChange,
)

KEY = f"{DEMO_PREFIX}contest/"
YEAR = 2018
NOTICE = "Демонстрационная заявка (условно)."
JURORS = ("demo-juror-1", "demo-juror-2", "demo-juror-3")
CRITERIA = (("Благоустройство", 3, 10), ("Участие жителей", 2, 10), ("Идея", 1, 5))
# contest code → (nomination, applicant kind, place kind, number of entries)
PLAN = {
    "luchshiy-sovet-mkd": ("Лучший совет МКД", "territory", "building", 3),
    "luchshiy-tos": ("Лучший ТОС", "territory", "territory", 3),
    "dom-v-kotorom-ya-zhivu": ("Лучший двор", "resident", "yard", 3),
    "novogodniy-perepolokh": ("Лучшее новогоднее оформление", "resident", "yard", 3),
}


def load_demo(facts, *, reset=False):
    """Store the demo seasons; {"contests": Outcome}. Nothing without the demo's
    TOS and places (the registry's demo is loaded first, in the same transaction)."""
    territories = list(
        Territory.objects.filter(
            name__in=[t["name"] for t in facts["tos"]["territories"]],
            status=Territory.Status.APPROVED,
        )
        .annotate(spot=PointOnSurface("geom"))
        .order_by("name")
    )
    places = {
        "building": _demo(Building),
        "yard": _demo(Yard),
        "territory": territories,
    }
    outcome = Outcome()
    if not all(places.values()):
        return {"contests": outcome}
    users = [_juror_account(name) for name in JURORS]
    for code, plan in PLAN.items():
        contest = Contest.objects.filter(code=code).first()
        key = f"{KEY}{code}"
        outcome.total += 1
        if contest is None or Season.objects.filter(demo_key=key).exists():
            continue
        with transaction.atomic():
            _season(contest, key, plan, places, territories, users)
        outcome.created += 1
    return {"contests": outcome}


def _demo(model):
    return list(
        model.objects.filter(osm_id__startswith=DEMO_PREFIX)
        .annotate(spot=PointOnSurface("geom"))
        .order_by("pk")
    )


def _juror_account(username):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _season(contest, key, plan, places, territories, users):
    name, applicant_kind, place_kind, count = plan
    zone = timezone.get_current_timezone()
    season = Season.objects.create(
        contest=contest,
        year=YEAR,
        opens_at=datetime(YEAR, 3, 1, tzinfo=zone),
        closes_at=datetime(YEAR, 5, 1, tzinfo=zone),
        state=Season.State.OPEN,
        demo_key=key,
    )
    nomination = Nomination.objects.create(
        season=season,
        name=name,
        for_territories=applicant_kind == "territory",
        for_residents=applicant_kind == "resident",
    )
    criteria = [
        Criterion.objects.create(season=season, name=n, weight=w, max_score=m)
        for n, w, m in CRITERIA
    ]
    _step(season, Season.State.JUDGING)
    jurors = [Juror.objects.create(season=season, user=u) for u in users]
    for n in range(count):
        spot = places[place_kind][n % len(places[place_kind])]
        by_tos = applicant_kind == "territory"
        entry = Entry.objects.create(
            season=season,
            nomination=nomination,
            applicant_kind=applicant_kind,
            applicant_territory=territories[n % len(territories)] if by_tos else None,
            display_name="" if by_tos else f"Житель (условно) №{n + 1}",
            title=f"{name}: заявка №{n + 1} (условно)",
            description=f"{NOTICE} Пример того, как заявка выглядит на платформе.",
            place_kind=place_kind,
            **{place_kind: spot},
            geom=spot.spot,
            state=Entry.State.APPROVED,
            demo_key=f"{key}/{n + 1}",
        )
        Score.objects.bulk_create(
            Score(
                juror=juror,
                entry=entry,
                criterion=c,
                value=(n * 7 + j * 3 + i * 5 + 4) % (c.max_score + 1),
            )
            for j, juror in enumerate(jurors)
            for i, c in enumerate(criteria)
        )
    _step(season, Season.State.CLOSED)
    _step(season, Season.State.PUBLISHED)
    ranking.store_placings(season)


def _step(season, to):
    StateChange.objects.create(season=season, from_state=season.state, to_state=to)
    season.state = to
    season.save(update_fields=["state"])


def unload_demo():
    """Delete the demo seasons (entries first: they hold their season) and the
    demo jurors' accounts; the number of rows deleted."""
    deleted = Entry.objects.filter(demo_key__startswith=KEY).delete()[0]
    deleted += Season.objects.filter(demo_key__startswith=KEY).delete()[0]
    deleted += (
        get_user_model()
        .objects.filter(username__in=JURORS, is_active=False, contest_juries=None)
        .delete()[0]
    )
    return deleted
