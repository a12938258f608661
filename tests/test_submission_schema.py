"""The schema at /api/schema/ describes a submission by the code that checks it: what
the schema marks required is refused when missing, its length limits are where the
refusals start, and the same class serves the site, the REST API and Open311."""

import pytest
from django.conf import settings

from geo.errors import Refused
from territories.reports import services as service
from territories.reports.services.submission import (
    ReportSubmission,
    validated_submission,
)

from .report_helpers import form


@pytest.fixture
def submission_schema(client):
    response = client.get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    schema = response.json()
    body = schema["paths"]["/api/reports/"]["post"]["requestBody"]["content"]
    refs = {media["schema"]["$ref"] for media in body.values()}
    assert refs == {"#/components/schemas/ReportSubmission"}, refs
    return schema["components"]["schemas"]["ReportSubmission"]


def refused_field(data, photos=()):
    with pytest.raises(Refused) as caught:
        validated_submission(data, photos)
    return caught.value.field


def test_what_the_schema_requires_is_refused_when_missing(district, submission_schema):
    required = set(submission_schema["required"])
    assert required == {"lat", "lon", "category", "description"}
    for field in submission_schema["properties"]:
        data = form()
        data.pop(field, None)
        if field in required:
            assert refused_field(data) == field
        else:
            validated_submission(data)  # accepted without it


def test_the_schemas_limits_are_where_refusals_start(district, submission_schema):
    properties = submission_schema["properties"]
    longest = properties["description"]["maxLength"]
    assert longest == settings.REPORT_MAX_DESCRIPTION
    validated_submission(form(description="я" * longest))
    assert refused_field(form(description="я" * (longest + 1))) == "description"
    assert properties["name"]["maxLength"] == 200
    assert refused_field(form(name="я" * 201)) == "name"
    assert properties["photos"]["maxItems"] == settings.REPORT_MAX_PHOTOS
    too_many = [object()] * (settings.REPORT_MAX_PHOTOS + 1)
    assert refused_field(form(), too_many) == "photos"
    assert (properties["lat"]["minimum"], properties["lat"]["maximum"]) == (-90, 90)
    assert refused_field(form(lat="90.5")) == "lat"


def test_every_edge_submits_through_the_same_checks(monkeypatch, client, district):
    seen = []
    original = ReportSubmission.is_valid

    def spy(self, *args, **kwargs):
        seen.append(type(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ReportSubmission, "is_valid", spy)
    service.submit_report(form(), source="web", client_hash="schema")
    assert client.post("/api/reports/", form(dx=10)).status_code == 201
    assert seen == [ReportSubmission, ReportSubmission]
