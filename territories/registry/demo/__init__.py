"""The Angarsk demo data set: the real names and figures of the practice «Дружные
соседи – дружный город!» from `fixtures/angarsk.json`, placed on illustrative geometry
(`layout`) that every load draws identically. `load_demo()` stores it in one
transaction and can be repeated: rows are matched by natural keys, never duplicated."""

import json

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils.translation import get_language

from territories.registry.models import Building, District

from .plan import DEMO_PREFIX, Plan
from .store import Outcome, save, unload

FIXTURE = settings.BASE_DIR / "fixtures" / "angarsk.json"

# What the map page and the README say wherever the demo is shown.
DEMO_NOTICE = {
    "ru": (
        "Демонстрационные данные. Названия и численность ТОС, население округа и "
        "показатели практики «Дружные соседи – дружный город!» взяты из паспорта "
        "практики; границы, дома, адреса, дворы, площадки, деревья, ресурсные центры "
        "и контейнерные площадки нарисованы условно и не соответствуют "
        "действительности."
    ),
    "en": (
        "Demo data. The names and populations of the TOS, the district's population "
        "and the results of the practice “Friendly neighbours – friendly city!” come "
        "from the practice passport; boundaries, buildings, addresses, yards, grounds, "
        "trees, resource centres and container sites are illustrative and do not "
        "match reality."
    ),
}

__all__ = [
    "DEMO_NOTICE",
    "DEMO_PREFIX",
    "FIXTURE",
    "Outcome",
    "demo_is_loaded",
    "demo_notice",
    "district_has_territories",
    "load_demo",
    "read_facts",
]


def demo_notice(language=None):
    """DEMO_NOTICE in the given or the active language, Russian otherwise."""
    code = (language or get_language() or "ru").split("-")[0]
    return DEMO_NOTICE.get(code, DEMO_NOTICE["ru"])


def read_facts(path=FIXTURE):
    return json.loads(path.read_text(encoding="utf-8"))


def demo_is_loaded():
    """Whether demo rows are in the database (to show DEMO_NOTICE only then)."""
    return Building.objects.filter(osm_id__startswith=DEMO_PREFIX).exists()


def district_has_territories(facts=None):
    name = (facts or read_facts())["district"]["name"]
    return District.objects.filter(name=name, territories__isnull=False).exists()


def load_demo(*, reset=False, facts=None):
    """Store the demo set, first deleting the demo's rows if `reset`;
    {layer name: Outcome}."""
    facts = facts or read_facts()
    plan = Plan(facts, settings.GIS_SRID)
    with transaction.atomic():
        if reset:
            unload_apps_demo()
            unload(plan)
        outcomes = save(plan)
        outcomes.update(load_apps_demo(facts, reset=reset))
        return outcomes


def unload_apps_demo():
    """Before the registry's demo rows go, the apps above it delete theirs (those
    that refer to a demo yard or TOS would stop the deletion), in reverse
    INSTALLED_APPS order: each AppConfig with `unload_demo()`."""
    for config in reversed(list(apps.get_app_configs())):
        hook = getattr(config, "unload_demo", None)
        if hook is not None:
            hook()


def load_apps_demo(facts, *, reset=False):
    """The demo rows of the apps built on the registry (centres, events, …): each app
    whose AppConfig has `load_demo(facts, reset=)` adds its own, in INSTALLED_APPS
    order, in the same transaction. The registry names none of them (the apps above
    it import it, never the reverse: docs/architecture.md, "Apps")."""
    outcomes = {}
    for config in apps.get_app_configs():
        hook = getattr(config, "load_demo", None)
        if hook is not None:
            outcomes.update(hook(facts, reset=reset))
    return outcomes
