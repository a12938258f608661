"""Scores stay secret until the season is published (docs/domain.md, "Contests",
"Secrecy"): before, no public output — the seasons' and entries' pages, the API's
reads, the `contest_entries` layer and the layer catalogue — carries a score, a
place, a winner or a partial ranking; after, the ranking and the winners show.
And no public output ever carries an applicant's or a juror's account."""

import json

import pytest

from .contest_helpers import APPLICANT, JUROR, SCORES, Scored

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

# What a page says only with results: the ranking's heading, the winners' cup,
# the entry's place.
PAGE_MARKS = (
    "contest-ranking",
    "contest-prize",
    "entry-rank",
    "Место в рейтинге",
    "Итоги",
)


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def public_urls(world):
    s, entries = world.season.pk, (world.first.pk, world.second.pk)
    return [
        "/",
        "/contests/",
        f"/contests/{s}/",
        "/api/contests/",
        f"/api/contests/{s}/",
        f"/api/contests/{s}/entries/",
        "/api/layers/",
        "/api/layers/contest_entries/",
        f"/api/layers/contest_entries/?season={s}",
        *(f"/contests/entries/{pk}/" for pk in entries),
        *(f"/api/contests/entries/{pk}/" for pk in entries),
    ]


def outputs(client, world):
    found = {}
    for url in public_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = body(response)
    return found


def layer_properties(client, world):
    response = client.get(f"/api/layers/contest_entries/?season={world.season.pk}")
    features = json.loads(body(response))["features"]
    return {f["properties"]["title"]: f["properties"] for f in features}


@pytest.fixture
def judged(tos):
    return Scored(tos)


def test_the_premise_the_scores_exist_and_rank_the_entries(judged):
    from territories.contests import ranking

    rows = ranking.ranking(judged.season.pk)
    assert [(r[0], str(r[2]), r[3]) for r in rows] == [
        (judged.first.pk, "86.667", 1),
        (judged.second.pk, "53.333", 2),
    ]


@pytest.mark.parametrize("state", ["judging", "closed"])
def test_before_publication_no_output_shows_a_score_or_a_place(client, tos, state):
    world = Scored(tos, closed=state == "closed")
    for url, text in outputs(client, world).items():
        assert [s for s in SCORES if s in text] == [], url
        if url.startswith("/contests"):
            assert [m for m in PAGE_MARKS if m in text] == [], url
    detail = client.get(f"/api/contests/{world.season.pk}/").json()
    assert detail["ranking"] == []
    for pk in (world.first.pk, world.second.pk):
        assert client.get(f"/api/contests/entries/{pk}/").json()["placing"] is None
    properties = layer_properties(client, world)
    assert set(properties) == {"Наш двор", "Сад у дома"}
    assert {(p["rank"], p["winner"]) for p in properties.values()} == {(None, None)}


def test_the_database_refuses_a_placing_before_publication(judged):
    """The outputs also ask the season's state; the database keeps a placing from
    existing early at all (migration 0004)."""
    from django.db import IntegrityError, transaction

    from territories.contests.models import Placing

    with pytest.raises(IntegrityError, match="before season"), transaction.atomic():
        Placing.objects.create(
            entry=judged.first,
            nomination=judged.nomination,
            score="86.667",
            rank=1,
            winner=True,
        )
    assert not Placing.objects.exists()


def test_after_publication_the_ranking_and_the_winners_show(client, judged):
    judged.publish()
    detail = client.get(f"/api/contests/{judged.season.pk}/").json()
    assert [
        (r["title"], r["rank"], r["score"], r["winner"]) for r in detail["ranking"]
    ] == [
        ("Наш двор", 1, 86.667, True),
        ("Сад у дома", 2, 53.333, True),
    ]
    entry = client.get(f"/api/contests/entries/{judged.second.pk}/").json()
    assert (entry["placing"]["rank"], entry["placing"]["winner"]) == (2, True)
    page = body(client.get(f"/contests/{judged.season.pk}/"))
    assert (
        "contest-ranking" in page
        and "contest-prize" in page
        and "86.667" in page.replace(",", ".")
    )
    entry_page = body(client.get(f"/contests/entries/{judged.first.pk}/"))
    assert "entry-rank" in entry_page
    properties = layer_properties(client, judged)
    assert (properties["Наш двор"]["rank"], properties["Наш двор"]["winner"]) == (
        1,
        True,
    )
    assert properties["Сад у дома"]["rank"] == 2


def test_pending_and_rejected_entries_are_not_public(client, judged):
    for row in (judged.pending, judged.rejected):
        assert client.get(f"/contests/entries/{row.pk}/").status_code == 404
        assert client.get(f"/api/contests/entries/{row.pk}/").status_code == 404
    for text in outputs(client, judged).values():
        assert "Ждёт модерации" not in text and "Отклонённая" not in text


# --- privacy ------------------------------------------------------------------------


def needles():
    """The accounts as stored and as an output might carry them."""
    return [
        APPLICANT,
        f"{APPLICANT}@example.org",
        JUROR,
        f"{JUROR}@example.org",
        "juror2@example.org",
    ]


def leaks(text):
    return [n for n in needles() if n in text or json.dumps(n)[1:-1] in text]


@pytest.mark.parametrize("published", [False, True])
def test_no_public_output_carries_an_applicant_or_a_juror(client, tos, published):
    world = Scored(tos, published=published)
    for url, text in outputs(client, world).items():
        assert leaks(text) == [], url


def test_a_signed_in_resident_sees_no_accounts_either(client, judged):
    from .boundary_helpers import account

    client.force_login(account("sosed"))
    judged.publish()
    for url, text in outputs(client, judged).items():
        assert leaks(text) == [], url


def test_the_premise_the_accounts_are_stored(judged):
    assert judged.first.applicant.username == APPLICANT
    assert judged.jurors[0].user.email == f"{JUROR}@example.org"
