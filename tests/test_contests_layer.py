"""The `contest_entries` layer (docs/domain.md, "Contests"): approved entries only;
its version (ETag) changes when an entry is approved and when the season is
published, and the place shows only then."""

import json

import pytest

from territories.contests import services
from territories.contests.models import Entry

from .contest_helpers import Scored, specialist

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
LAYER = "/api/layers/contest_entries/"


def get(client, etag=None):
    headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    response = client.get(LAYER, **headers)
    if response.status_code != 200:
        return response, None
    features = json.loads(b"".join(response.streaming_content))["features"]
    return response, {f["properties"]["title"]: f["properties"] for f in features}


def catalogue_count(client):
    entries = {e["name"]: e for e in client.get("/api/layers/").json()}
    return entries["contest_entries"]["count"]


@pytest.fixture
def judged(tos):
    return Scored(tos, closed=False)


def test_the_layer_lists_approved_entries_only(client, judged):
    _response, features = get(client)
    assert set(features) == {"Наш двор", "Сад у дома"}
    assert catalogue_count(client) == 2
    first = features["Наш двор"]
    assert first["nomination"] == "Лучший совет"
    assert first["applicant"] == "Совет дома 12"
    assert first["url"] == f"/contests/entries/{judged.first.pk}/"


def test_approving_an_entry_changes_the_version(client, judged):
    first, _features = get(client)
    unchanged, _ = get(client, first["ETag"])
    assert unchanged.status_code == 304
    services.moderate(judged.pending.pk, "approved", by=specialist())
    response, features = get(client, first["ETag"])
    assert response.status_code == 200 and response["ETag"] != first["ETag"]
    assert "Ждёт модерации" in features
    assert catalogue_count(client) == 3


def test_publishing_changes_the_version_and_shows_the_places(client, judged):
    services.change_state(judged.season.pk, "closed", by=judged.manager)
    closed, features = get(client)
    assert {p["rank"] for p in features.values()} == {None}
    judged.publish()
    response, features = get(client, closed["ETag"])
    assert response.status_code == 200 and response["ETag"] != closed["ETag"]
    assert (features["Наш двор"]["rank"], features["Наш двор"]["winner"]) == (1, True)
    assert features["Сад у дома"]["rank"] == 2


def test_a_rejected_entry_leaves_the_layer(client, judged):
    Entry.objects.filter(pk=judged.second.pk).update(
        state=Entry.State.REJECTED, rejection_reason="не по теме"
    )
    _response, features = get(client)
    assert set(features) == {"Наш двор"}
