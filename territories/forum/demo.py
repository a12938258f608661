"""The demo's forum: one past round of the forum «Ангарск – это мы!» with
illustrative projects in the demo's yards (each text says «условно»), its winners
and their implementation in every status. No votes are invented (a tally would be a
made-up figure) and no person: the projects' author is the inactive account
`forum-demo`, which cannot sign in. Rows are known by their demo key, so a second
load changes nothing on the same day."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.gis.db.models.functions import PointOnSurface
from django.utils import timezone

from territories.registry.demo import DEMO_PREFIX, Outcome
from territories.registry.models import Territory, Yard

from .models import Implementation, Project, Round

KEY = f"{DEMO_PREFIX}forum/"
AUTHOR = "forum-demo"
NOTICE = "Условный проект для демонстрации платформы."
# (title, budget, state, implementation status or None, days since completion)
PLAN = [
    ("Детская площадка во дворе (условно)", 1_200_000, "winner", "done", 20),
    ("Скамейки и урны вдоль аллеи (условно)", 350_000, "winner", "in_progress", None),
    ("Цветник у подъездов (условно)", 180_000, "winner", "planned", None),
    ("Спортивные тренажёры (условно)", 900_000, "approved", None, None),
    ("Освещение дорожки к школе (условно)", 640_000, "approved", None, None),
]
STATUS_RESPONSIBLE = "Администрация АГО (условно)"


def demo_author():
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=AUTHOR, defaults={"is_active": False})
    if user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def load_demo(facts, *, reset=False):
    """Store the demo round, projects and implementation; {"forum": Outcome}."""
    yards = list(
        Yard.objects.filter(osm_id__startswith=DEMO_PREFIX)
        .annotate(spot=PointOnSurface("geom"))
        .order_by("pk")
    )
    territories = list(
        Territory.objects.approved()
        .filter(name__in=[t["name"] for t in facts["tos"]["territories"]])
        .order_by("name")
    )
    if not yards or not territories:
        return {"forum": Outcome()}
    outcome = Outcome(total=len(PLAN))
    today = timezone.localdate()
    round_ = store_round(today)
    author = demo_author()
    for n, (title, budget, state, status, done_days) in enumerate(PLAN, start=1):
        yard = yards[n % len(yards)]
        values = {
            "round": round_,
            "title": title,
            "description": f"{NOTICE} {title}: предложение жителей «{yard.name}».",
            "budget": budget,
            "geom": yard.spot,
            "area": yard.geom,
            "author": author,
            "territory": territories[n % len(territories)],
            "state": state,
        }
        project = store(Project, f"{KEY}project/{n}", values, outcome)
        if status is not None:
            store_implementation(project, n, status, done_days, today)
    return {"forum": outcome}


def store_round(today):
    opens = timezone.make_aware(datetime.combine(today - timedelta(days=300), time(9)))
    values = {
        "title": "Форум «Ангарск – это мы!» (условная сессия)",
        "description": "Демонстрационная сессия форума: проекты и итоги условны.",
        "opens_at": opens,
        "closes_at": opens + timedelta(days=14),
        "votes_per_person": 3,
        "winners_chosen_at": opens + timedelta(days=15),
    }
    round_, created = Round.objects.get_or_create(
        demo_key=f"{KEY}round", defaults=values
    )
    if not created and any(getattr(round_, k) != v for k, v in values.items()):
        Round.objects.filter(pk=round_.pk).update(**values)
        round_.refresh_from_db()
    return round_


def store_implementation(project, n, status, done_days, today):
    values = {
        "project": project,
        "geom": project.geom,
        "budget": project.budget,
        "responsible": STATUS_RESPONSIBLE,
        "status": status,
        "started_on": today - timedelta(days=200) if status != "planned" else None,
        "done_on": today - timedelta(days=done_days) if done_days else None,
    }
    store(Implementation, f"{KEY}implementation/{n}", values, Outcome())


def store(model, key, values, outcome):
    row = model.objects.filter(osm_id=key).first()
    if row is None:
        outcome.created += 1
        return model.objects.create(osm_id=key, **values)
    changed = [f for f, v in values.items() if getattr(row, f) != v]
    if changed:
        for field in changed:
            setattr(row, field, values[field])
        row.save()
        outcome.updated += 1
    return row


def unload_demo():
    """Delete the demo forum (before the registry deletes its yards and TOS)."""
    deleted = Implementation.objects.filter(osm_id__startswith=KEY).delete()[0]
    deleted += Project.objects.filter(osm_id__startswith=KEY).delete()[0]
    deleted += Round.objects.filter(demo_key__startswith=KEY).delete()[0]
    get_user_model().objects.filter(username=AUTHOR, is_active=False).delete()
    return deleted
