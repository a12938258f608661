"""No voter, no author and no contact in any public output of the forum
(docs/domain.md, "Forum" and "Verified persons"): distinctive user names, e-mails
and phones are planted as authors, voters and followers, and every public page, API
answer and layer is searched for them."""

import json

import pytest
from django.contrib.auth import get_user_model

from territories.forum.models import Follower, Implementation

from .forum_helpers import open_round, project
from .verification_helpers import resident_account, verify

pytestmark = pytest.mark.django_db

VOTER = "zlata-voter-1987"
AUTHOR = "ivan-author-1975"
EMAIL = "zlata.secret@example.org"
PHONE = "+79025557788"
FOLLOWER = "watcher.secret@example.org"


def needles():
    digits = PHONE[1:]
    return [
        VOTER,
        AUTHOR,
        EMAIL,
        EMAIL.split("@")[0],
        PHONE,
        digits,
        digits[1:],
        FOLLOWER,
    ]


def leaks(text):
    return [n for n in needles() if n in text or json.dumps(n)[1:-1] in text]


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def forum(district):
    author = resident_account(AUTHOR)
    verify(author, "+79025550001")
    voter = resident_account(VOTER)
    verify(voter, PHONE)
    verify(voter, EMAIL, channel="email")
    round_ = open_round(votes_per_person=3)
    rows = [project(round_, author, x=10 * i) for i in range(2)]
    from territories.forum.services import voting

    from .verification_helpers import as_requester

    for row in rows:
        voting.vote(row.pk, by=as_requester(voter))
    winner = project(round_, author, state="winner", x=50)
    done = Implementation.objects.create(
        project=winner, geom=winner.geom, budget=winner.budget
    )
    Follower.objects.create(
        implementation=done, email=FOLLOWER, salt="s", token_hash="h"
    )
    return rows, done


def test_the_premise_the_contacts_are_stored(forum):
    assert get_user_model().objects.filter(username=VOTER).exists()


def test_no_public_output_names_a_voter_an_author_or_a_contact(client, forum):
    rows, done = forum
    urls = [
        "/forum/",
        "/forum/implementation/",
        "/api/forum/rounds/",
        "/api/forum/projects/",
        "/api/forum/implementation/",
        f"/api/forum/implementation/{done.pk}/",
        "/api/layers/",
        "/api/layers/forum_projects/",
        "/api/layers/implementation_projects/",
        "/",
        *(f"/forum/projects/{row.pk}/" for row in rows),
        *(f"/api/forum/projects/{row.pk}/" for row in rows),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert leaks(body(response)) == [], url
    # The tally is there, though.
    assert '"votes":1' in body(client.get("/api/forum/projects/")).replace(" ", "")
    layer = body(client.get("/api/layers/forum_projects/")).replace(" ", "")
    assert '"vote_count":1' in layer
