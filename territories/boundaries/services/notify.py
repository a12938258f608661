"""E-mail to the other side of each step (docs/domain.md, "TOS boundaries"), as
background jobs deferred in the step's transaction: one job per recipient, so a
failing address fails alone (docs/architecture.md, "Background jobs")."""

from django.contrib.auth import get_user_model

from territories.accounts.roles import GROUP_NAMES, Role

from .. import tasks


def submitted(version):
    """A boundary sent for approval: to every planner with an address."""
    planners = get_user_model().objects.filter(
        groups__name=GROUP_NAMES[Role.PLANNER], is_active=True
    )
    defer(version, planners.exclude(email="").values_list("pk", flat=True))


def reviewed(version):
    """Approved, returned or restored: to the territory's chair, its initiative
    group and the version's author."""
    territory = version.territory
    ids = set(territory.initiative_group.values_list("pk", flat=True))
    ids |= {territory.chair_user_id, version.author_id}
    users = get_user_model().objects.filter(pk__in=ids - {None}, is_active=True)
    defer(version, users.exclude(email="").values_list("pk", flat=True))


def defer(version, user_ids):
    jobs = [
        {"version_id": version.pk, "state": version.state, "user_id": pk}
        for pk in sorted(set(user_ids))
    ]
    if jobs:
        tasks.mail_step.batch_defer(*jobs)
