"""The REST API against its own OpenAPI schema, fuzzed by Schemathesis.

The schema is loaded from the app itself (/api/schema/ through WSGI, no server), and
every operation gets requests that Schemathesis derives from it, valid ones and
invalid ones, a fixed number per operation with Hypothesis derandomised, so a run is
the same run every time. Each answer must be no server error, have a status code the
schema documents for the operation, the content type it documents, and a body that
validates against the documented schema (docs/architecture.md, "Refusing what cannot
be served").

Nothing is excluded: every operation of the schema is fuzzed. Random ids would only
ever meet 404s and random points are almost never in the district, so the hooks
below also offer the ids of the test's reports and features, the reporter's token,
and a point in the district: the answers that carry data get checked too."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from geo.layers import layers
from territories.events.models import Event
from territories.registry.models import Territory
from territories.reports.models import ProblemReport

from .event_signup_helpers import make_event
from .report_helpers import lat_lon, make_places, make_report

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 30
REPORTS = "/api/reports/"
TERRITORIES = "/api/territories/"
EVENTS = "/api/events/"
# (id, manage token) of the test's reports, for the fuzzed reopen and forget-me.
REPORTERS = []

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
schema.config.generation.update(modes=list(GenerationMode))


@pytest.fixture
def connection_kept():
    """The WSGI handler closes the database connection after each request, and with
    it the test's transaction; Django's test client keeps it open the same way."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def data(district, categories, connection_kept, media, settings):
    """A district with a TOS, a yard and a building, and reports in a few statuses
    (one fixed, so that reopening has something to do) for the requests to find.
    Every request comes from one address: the hourly quota would soon answer only
    429s."""
    settings.REPORT_HOURLY_QUOTA = 10**6
    territory, _yard, _building = make_places(district)
    make_event(territory, capacity=2)
    REPORTERS.clear()
    for status in ("moderation", "open", "fixed", "closed"):
        report, token = make_report(status=status)
        REPORTERS.append((report.pk, token))


def known_ids(operation, path_parameters):
    if operation.path.startswith(REPORTS):
        return list(ProblemReport.objects.order_by("pk").values_list("pk", flat=True))
    if operation.path.startswith(EVENTS):
        return list(Event.objects.order_by("pk").values_list("pk", flat=True))
    if operation.path.startswith(TERRITORIES):
        return list(Territory.objects.order_by("pk").values_list("pk", flat=True))
    layer = layers.get(path_parameters.get("name"))
    if layer is None:
        return []
    return list(layer.queryset().order_by("pk").values_list("pk", flat=True)[:3])


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    if not isinstance(path_parameters, dict):
        return st.just(path_parameters)
    key = next((k for k in ("id", "pk") if k in path_parameters), None)
    if key is None:
        return st.just(path_parameters)
    ids = known_ids(context.operation, path_parameters)
    return st.sampled_from(
        [path_parameters, *({**path_parameters, key: pk} for pk in ids)]
    )


@schema.hook
def flatmap_case(context, case):
    """A new report placed in the district, or a reporter acting on their own
    report with its token, besides what the schema alone gives."""
    if not isinstance(case.body, dict):
        return st.just(case)
    path = context.operation.path
    if path == REPORTS:
        lat, lon = lat_lon(30, 40)
        placed = {"lat": lat, "lon": lon, "category": "lighting"}
        return st.sampled_from([{}, placed]).map(lambda more: with_body(case, more))
    if path.endswith(("/reopen/", "/forget-me/")):
        return st.sampled_from([None, *REPORTERS]).map(lambda r: as_reporter(case, r))
    return st.just(case)


def with_body(case, fields):
    case.body = {**case.body, **fields}
    return case


def as_reporter(case, reporter):
    if reporter is not None:
        pk, token = reporter
        case.path_parameters = {**case.path_parameters, "id": pk}
        case.body = {**case.body, "token": token}
    return case


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    # The data fixture is made once per operation, on purpose: every example of
    # an operation reads (and may add to) the same district.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_its_schema(case, data):
    # The WSGI transport hands the body over as sent: gzip (asked for by default)
    # would reach the checks undecoded. tests/test_layers_api.py covers gzip.
    case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})
