"""Contests built from explicit rows for the contests' tests."""

from datetime import timedelta

from django.utils import timezone

from territories.accounts import roles
from territories.contests.models import (
    Contest,
    Criterion,
    Entry,
    Juror,
    Nomination,
    Score,
    Season,
)
from territories.registry.models import Building, Council

from .boundary_helpers import account
from .conftest import utm_box

NAMES = {
    "luchshiy-sovet-mkd": "Лучший совет многоквартирного дома, ТСЖ",
    "luchshiy-tos": "Лучший ТОС, совет общественности",
}


def contest(code="luchshiy-sovet-mkd"):
    """A seeded contest (seeded again after a transactional test's flush)."""
    return Contest.objects.get_or_create(
        code=code, defaults={"name": NAMES.get(code, code), "traditional": True}
    )[0]


def season(state=Season.State.OPEN, *, code="luchshiy-sovet-mkd", year=2026):
    now = timezone.now()
    return Season.objects.create(
        contest=contest(code),
        year=year,
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=10),
        state=state,
    )


def nomination(of, name="Лучший совет", **takes):
    takes = takes or {
        "for_councils": True,
        "for_territories": True,
        "for_residents": True,
    }
    return Nomination.objects.create(season=of, name=name, **takes)


def criteria(of, *specs):
    """[(name, weight, max)] → Criterion rows."""
    specs = specs or (("Чистота", 2, 10), ("Озеленение", 1, 5))
    return [
        Criterion.objects.create(season=of, name=n, weight=w, max_score=m)
        for n, w, m in specs
    ]


def council_with_house(name="Совет дома 12", territory=None, x=100, y=100):
    council = Council.objects.create(name=name, territory=territory)
    house = Building.objects.create(
        address=f"{name}, дом", geom=utm_box(x, y, 20, 20), council=council
    )
    return council, house


def representative(council, username="rep"):
    user = account(username, roles.Role.COUNCIL)
    council.members.add(user)
    return user


def specialist(username="spec"):
    return account(username, roles.Role.SPECIALIST)


def juror(of, username, **home):
    return Juror.objects.create(season=of, user=account(username), **home)


def entry(of, nom, *, council=None, house=None, state=Entry.State.APPROVED, **more):
    """An entry of `council` on `house` written straight to the table."""
    values = {
        "season": of,
        "nomination": nom,
        "applicant_kind": "council",
        "applicant_council": council,
        "title": more.pop("title", "Наш двор"),
        "place_kind": "building",
        "building": house,
        "geom": house.geom.point_on_surface,
        "state": state,
        **more,
    }
    return Entry.objects.create(**values)


def sheet(juror_row, entry_row, values):
    """Scores written straight (the season must be judged)."""
    crits = Criterion.objects.filter(season=entry_row.season).order_by("pk")
    for criterion, value in zip(crits, values, strict=True):
        Score.objects.create(
            juror=juror_row, entry=entry_row, criterion=criterion, value=value
        )


# Distinctive accounts: the privacy scans search every public output for them.
APPLICANT = "zayavitel-petrova-5531"
JUROR = "zhyuri-sidorov-7719"
SCORES = ("86.667", "86,667", "53.333", "53,333")


class Scored:
    """A season judged and closed (not yet published): two approved entries of two
    councils, one pending and one rejected, two jurors' complete sheets; the first
    entry's council belongs to `tos`, whose chair is also in the jury."""

    def __init__(self, tos, *, published=False, closed=True):
        from territories.contests import services

        self.season = season()
        self.nomination = nomination(self.season, for_councils=True)
        self.criteria = criteria(self.season)
        first, house1 = council_with_house("Совет дома 12", territory=tos)
        second, house2 = council_with_house("Совет дома 14", x=300, y=300)
        self.councils = (first, second)
        self.applicant = account(APPLICANT, roles.Role.COUNCIL)
        first.members.add(self.applicant)
        second.members.add(self.applicant)
        made = {"applicant": self.applicant}
        self.first = entry(
            self.season, self.nomination, council=first, house=house1, **made
        )
        self.second = entry(
            self.season,
            self.nomination,
            council=second,
            house=house2,
            title="Сад у дома",
            **made,
        )
        self.pending = entry(
            self.season,
            self.nomination,
            council=second,
            house=house2,
            title="Ждёт модерации",
            state=Entry.State.PENDING,
            **made,
        )
        self.rejected = entry(
            self.season,
            self.nomination,
            council=second,
            house=house2,
            title="Отклонённая",
            state=Entry.State.REJECTED,
            rejection_reason="не по теме",
            **made,
        )
        self.manager = specialist()
        self.jurors = [
            juror(self.season, JUROR),
            juror(self.season, "juror2"),
        ]
        services.change_state(self.season.pk, "judging", by=self.manager)
        # 86.667 and 53.333 (ranking.py: weights 2 and 1, maxima 10 and 5).
        sheet(self.jurors[0], self.first, [9, 4])
        sheet(self.jurors[1], self.first, [8, 5])
        sheet(self.jurors[0], self.second, [5, 2])
        sheet(self.jurors[1], self.second, [6, 3])
        if closed or published:
            services.change_state(self.season.pk, "closed", by=self.manager)
        if published:
            self.publish()

    def publish(self):
        from territories.contests import services

        services.change_state(self.season.pk, "published", by=self.manager)
        self.season.refresh_from_db()
