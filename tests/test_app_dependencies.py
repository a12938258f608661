"""Dependencies between the apps point one way (docs/architecture.md, "Apps")."""

from pathlib import Path

import pytest
from django.conf import settings

from .test_report_query_vocabulary import imports_of

TERRITORIES = Path(settings.BASE_DIR) / "territories"

# app → the sibling apps it must never import
FORBIDDEN = {
    "registry": ("reports", "boundaries", "accounts", "centres", "events"),
    "accounts": ("reports", "boundaries", "centres", "events"),
    "boundaries": ("reports", "centres", "events"),
    "reports": ("boundaries", "centres", "events"),
    "centres": ("reports", "boundaries", "planning", "events"),
    "events": ("reports", "boundaries", "planning"),
    "contests": ("reports", "boundaries", "planning", "forum", "indicators"),
    "forum": ("reports", "boundaries", "planning", "contests", "indicators"),
    # The dashboard reads every app below it; none of them reads it (the loop below).
    "indicators": (),
}
# Every app below the dashboard: none may lean on what only reads them all.
for _app in (
    "registry",
    "accounts",
    "boundaries",
    "reports",
    "planning",
    "centres",
    "events",
):
    FORBIDDEN[_app] = (*FORBIDDEN.get(_app, ()), "contests", "forum", "indicators")


def absolute(module, path):
    """`module` as imported from `path`, relative imports resolved."""
    if not module.startswith("."):
        return module
    level = len(module) - len(module.lstrip("."))
    package = path.relative_to(settings.BASE_DIR).with_suffix("").parts[:-level]
    rest = module.lstrip(".")
    return ".".join([*package, rest] if rest else package)


@pytest.mark.parametrize("app", FORBIDDEN)
def test_an_app_imports_no_app_above_it(app):
    leaning = [
        (str(path.relative_to(TERRITORIES)), module)
        for path in (TERRITORIES / app).rglob("*.py")
        for module in map(lambda m, p=path: absolute(m, p), imports_of(path))
        if any(module.startswith(f"territories.{other}") for other in FORBIDDEN[app])
    ]
    assert leaning == []


def test_boundary_pages_do_not_lean_on_the_api():
    pages = TERRITORIES / "boundaries" / "pages"
    leaning = [
        (path.name, module)
        for path in pages.glob("*.py")
        for module in map(lambda m, p=path: absolute(m, p), imports_of(path))
        if module.startswith("territories.boundaries.api")
    ]
    assert leaning == []


def test_no_module_outside_an_api_package_imports_one():
    """Edges do not lean on each other: pages, the workspace, Open311, the OGC API
    and feeds take what they share from the domain or `geo`, never from an `api/`
    package (what they share with the REST API, such as `geo.paging`, lives outside
    it)."""
    base = Path(settings.BASE_DIR)
    leaning = [
        (str(path.relative_to(base)), module)
        for root in (base / "geo", TERRITORIES, base / "frontend")
        for path in root.rglob("*.py")
        if "api" not in path.relative_to(base).parts[:-1]
        and "migrations" not in path.parts
        for module in map(lambda m, p=path: absolute(m, p), imports_of(path))
        if ".api." in f".{module}." and not module.startswith("rest_framework")
    ]
    assert leaning == []
