"""Slow analyses as background jobs (docs/domain.md, "Coverage of grounds": slow
analyses): above the settings' number of buildings, coverage and candidates with no
kept result are queued (202 and a polling address), computed by the real worker
with their progress written, then answered at once from the kept result — the same
figures as the synchronous computation."""

import pytest
from procrastinate.contrib.django.models import ProcrastinateJob

from territories.planning import spatial, spatial_siting
from territories.planning.models import Analysis
from territories.planning.services import analyses
from territories.registry.models import Territory

from .conftest import utm_box
from .jobs import JOBS, run_jobs
from .test_coverage_siting import house, norms, three_yards  # noqa: F401

COVERAGE = "/api/coverage/"
CANDIDATES = "/api/coverage/candidates/"
QUERY = {"kind": "playground", "radius": "100"}


@pytest.fixture
def town(district, norms, three_yards):  # noqa: F811
    """three_yards' 10 houses, the first 6 of them in a TOS around yards A and B."""
    return Territory.objects.create(
        district=district, name="Запад", geom=utm_box(-50, -150, 350, 300)
    )


def watched(monkeypatch, module, name):
    """The analyses' (state, progress) each time `module.name` is called."""
    seen = []
    original = getattr(module, name)

    def watching(*args, **kwargs):
        seen.append(list(Analysis.objects.values_list("state", "progress")))
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, watching)
    return seen


def synchronous(client, settings, url, query):
    """The answer computed at once (threshold high), then forgotten."""
    settings.COVERAGE_SYNC_MAX_BUILDINGS = 1_000_000
    answer = client.get(url, query)
    assert answer.status_code == 200
    Analysis.objects.all().delete()
    return answer.json()


@JOBS
def test_slow_coverage_is_a_job_then_the_kept_answer(
    client, town, settings, monkeypatch
):
    expected = synchronous(client, settings, COVERAGE, QUERY)
    settings.COVERAGE_SYNC_MAX_BUILDINGS = 9  # 10 houses
    seen = watched(monkeypatch, spatial, "totals")

    first = client.get(COVERAGE, QUERY)
    assert first.status_code == 202
    job = first.json()
    assert set(job) == {"id", "state", "progress", "url"}
    assert (job["state"], job["progress"]) == ("queued", 0)
    assert job["url"] == f"/api/coverage/analyses/{job['id']}/" == first["Location"]
    assert seen == []  # nothing computed by the request
    # Asked again while queued, in any format: the same analysis, no new job.
    for query in (QUERY, QUERY | {"format": "csv"}, QUERY | {"format": "geojson"}):
        again = client.get(COVERAGE, query)
        assert again.status_code == 202 and again.json()["id"] == job["id"]
    (queued,) = ProcrastinateJob.objects.all()
    assert (queued.task_name, queued.queue_name) == ("planning.coverage", "analyses")
    assert client.get(job["url"]).json() == {
        "id": job["id"],
        "state": "queued",
        "progress": 0,
        "result": None,
        "error": None,
    }

    run_jobs()

    assert seen == [[("running", 10)]]  # the progress was visible while computing
    done = client.get(job["url"]).json()
    assert (done["state"], done["progress"], done["error"]) == ("done", 100, None)
    assert done["result"] == expected
    kept = client.get(COVERAGE, QUERY)
    assert kept.status_code == 200 and kept.json() == expected
    assert expected["residents_covered"] > 0 and expected["territories"]
    for fmt in ("csv", "geojson"):
        assert client.get(COVERAGE, QUERY | {"format": fmt}).status_code == 200
    assert len(seen) == 1  # the kept answer, not computed again
    # One TOS is another analysis; its 6 houses are below the threshold.
    settings.COVERAGE_SYNC_MAX_BUILDINGS = 6
    one = client.get(COVERAGE, QUERY | {"territory": town.pk})
    assert one.status_code == 200 and one.json()["territories"][0]["id"] == town.pk


@pytest.mark.django_db
def test_below_the_threshold_nothing_is_queued(client, town, settings):
    settings.COVERAGE_SYNC_MAX_BUILDINGS = 10
    assert client.get(COVERAGE, QUERY).status_code == 200
    assert client.get(CANDIDATES, QUERY).status_code == 200
    assert not ProcrastinateJob.objects.exists()
    assert set(Analysis.objects.values_list("state", flat=True)) == {"done"}


@pytest.mark.django_db
def test_the_threshold_counts_the_buildings_in_scope(town, settings):
    settings.COVERAGE_SYNC_MAX_BUILDINGS = 9
    settings.COVERAGE_SYNC_MAX_BUILDINGS_NETWORK = 5
    assert analyses.is_slow(None)
    assert not analyses.is_slow(town)  # its 6 houses
    assert analyses.is_slow(town, "network")
    settings.COVERAGE_SYNC_MAX_BUILDINGS = 10
    assert not analyses.is_slow(None)
    assert analyses.is_slow(None, "network")
    settings.COVERAGE_SYNC_MAX_BUILDINGS_NETWORK = 10
    assert not analyses.is_slow(None, "network")


@JOBS
def test_slow_candidates_are_a_job_then_the_kept_answer(
    client, town, settings, monkeypatch
):
    expected = synchronous(client, settings, CANDIDATES, QUERY)
    settings.COVERAGE_SYNC_MAX_BUILDINGS = 9
    seen = watched(monkeypatch, spatial_siting, "ranked")

    first = client.get(CANDIDATES, QUERY)
    assert first.status_code == 202
    job = first.json()
    assert job["url"] == f"/api/coverage/analyses/{job['id']}/"
    assert client.get(CANDIDATES, QUERY | {"limit": "1"}).json()["id"] == job["id"]
    assert ProcrastinateJob.objects.get().task_name == "planning.candidates"

    run_jobs()

    assert seen == [[("running", 10)]]
    done = client.get(job["url"]).json()
    assert (done["state"], done["progress"]) == ("done", 100)
    assert done["result"] == expected
    kept = client.get(CANDIDATES, QUERY)
    assert kept.status_code == 200 and kept.json() == expected
    assert [c["residents_newly_covered"] for c in expected["candidates"]][:2] == [
        167,
        110,
    ]
    one = client.get(CANDIDATES, QUERY | {"limit": "1"}).json()
    assert one["candidates"] == expected["candidates"][:1]
    assert len(seen) == 1


@JOBS
def test_a_failed_analysis_says_so_and_is_queued_again(
    client, town, settings, monkeypatch
):
    settings.COVERAGE_SYNC_MAX_BUILDINGS = 9

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(spatial, "totals", broken)
    job = client.get(COVERAGE, QUERY).json()
    run_jobs()
    failed = client.get(job["url"]).json()
    assert failed["state"] == "failed" and failed["result"] is None
    assert "RuntimeError" in failed["error"]
    monkeypatch.undo()
    again = client.get(COVERAGE, QUERY)
    assert again.status_code == 202 and again.json()["id"] == job["id"]
    assert again.json()["state"] == "queued"
    run_jobs()
    assert client.get(COVERAGE, QUERY).status_code == 200


@pytest.mark.django_db
def test_an_unknown_analysis_is_404(client):
    for pk in ("999999", "x", "99999999999999999999999"):
        answer = client.get(f"/api/coverage/analyses/{pk}/")
        assert answer.status_code == 404 and answer.json()["field"] == "id"
