"""After the event (docs/domain.md, "After the event"): the organiser records the
participants and the outcome, a photo report (the reports' pipeline: checked,
resized, EXIF and GPS removed) and, at a planting drive, the trees planted, which
join the `trees` layer. Refused before the start, for a cancelled event and for
anyone who may not act for the organiser; bad input names its field and stores
nothing."""

import io
import json
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from PIL import Image

from territories.accounts import roles
from territories.events.models import Event, EventPhoto, PlantedTree
from territories.registry.models import Council, Tree

from .boundary_helpers import account, api, chair_of
from .event_helpers import event, planting_kind, resident, specialist
from .report_helpers import GPS_IFD, gps_exif, image_bytes, lat_lon, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def results_url(pk):
    return f"/api/events/{pk}/results/"


def photos_url(pk):
    return f"/api/events/{pk}/photos/"


def trees_url(pk):
    return f"/api/events/{pk}/trees/"


@pytest.fixture
def chair(tos):
    return chair_of(tos)


@pytest.fixture
def held_event(tos):
    return event(tos)


def refused(response, status, field):
    assert response.status_code == status, response.content
    assert response.json()["field"] == field
    return response.json()["error"]


def stored(pk):
    row = Event.objects.get(pk=pk)
    return row.participants, row.outcome, row.recorded_at


# --- participants and outcome -------------------------------------------------------


def test_the_chair_records_and_corrects_the_figures(chair, held_event):
    first = api(chair).post(
        results_url(held_event.pk),
        {"participants": 42, "outcome": "Убрали двор, покрасили скамейки"},
        format="json",
    )
    assert first.status_code == 200, first.content
    assert first.json()["participants"] == 42
    participants, outcome, recorded_at = stored(held_event.pk)
    assert (participants, outcome) == (42, "Убрали двор, покрасили скамейки")

    # Repeated: the figure is corrected, the outcome kept when not sent, the time
    # of the recording moves on.
    again = api(chair).post(
        results_url(held_event.pk), {"participants": "45"}, format="json"
    )
    assert again.status_code == 200, again.content
    corrected = stored(held_event.pk)
    assert corrected[:2] == (45, "Убрали двор, покрасили скамейки")
    assert corrected[2] > recorded_at


def test_a_specialist_records_for_any_organiser(district):
    council = Council.objects.create(name="Совет МКД ул. Ленина, 5")
    drive = event(council=council)
    response = api(specialist()).post(
        results_url(drive.pk), {"participants": 0}, format="json"
    )
    assert response.status_code == 200, response.content
    assert stored(drive.pk)[0] == 0


def test_a_council_representative_records_for_their_council(district):
    council = Council.objects.create(name="Совет МКД ул. Ленина, 5")
    representative = account("rep", roles.Role.COUNCIL)
    council.members.add(representative)
    drive = event(council=council)
    response = api(representative).post(
        results_url(drive.pk), {"participants": 7}, format="json"
    )
    assert response.status_code == 200, response.content


def test_someone_else_may_not(tos, other_tos, held_event):
    other_chair = chair_of(other_tos, "other_chair")
    for user in (resident(), other_chair):
        response = api(user).post(
            results_url(held_event.pk), {"participants": 5}, format="json"
        )
        refused(response, 403, "organiser")
    response = api().post(
        results_url(held_event.pk), {"participants": 5}, format="json"
    )
    refused(response, 401, "authorization")
    assert stored(held_event.pk) == (None, "", None)


def test_not_before_the_start(chair, tos):
    coming = event(tos, starts=timedelta(hours=2))
    response = api(chair).post(
        results_url(coming.pk), {"participants": 5}, format="json"
    )
    refused(response, 400, "starts_at")
    assert stored(coming.pk) == (None, "", None)


def test_once_started_the_figures_may_be_recorded(chair, tos):
    running = event(tos, starts=timedelta(minutes=-10), hours=2)
    response = api(chair).post(
        results_url(running.pk), {"participants": 12}, format="json"
    )
    assert response.status_code == 200, response.content


def test_not_for_a_cancelled_event(chair, tos):
    cancelled = event(tos, state=Event.State.CANCELLED)
    response = api(chair).post(
        results_url(cancelled.pk), {"participants": 5}, format="json"
    )
    refused(response, 400, "state")
    assert stored(cancelled.pk) == (None, "", None)


@pytest.mark.parametrize(
    "participants",
    [-1, 1.5, "12a", "", None, True, "٣", " 1_0", 10**9, [3], {"n": 3}],
)
def test_participants_must_be_a_sane_whole_number(chair, held_event, participants):
    response = api(chair).post(
        results_url(held_event.pk),
        {"participants": participants, "outcome": "x"},
        format="json",
    )
    refused(response, 400, "participants")
    assert stored(held_event.pk) == (None, "", None)


def test_the_upper_bound_is_the_setting(chair, held_event, settings):
    settings.EVENT_MAX_PARTICIPANTS = 100
    ok = api(chair).post(
        results_url(held_event.pk), {"participants": 100}, format="json"
    )
    assert ok.status_code == 200
    over = api(chair).post(
        results_url(held_event.pk), {"participants": 101}, format="json"
    )
    assert "100" in refused(over, 400, "participants")


def test_outcome_too_long_or_unstorable(chair, held_event):
    long = "а" * (settings.EVENT_MAX_OUTCOME + 1)
    for outcome in (long, "итоги\x00", {"a": 1}):
        response = api(chair).post(
            results_url(held_event.pk),
            {"participants": 3, "outcome": outcome},
            format="json",
        )
        refused(response, 400, "outcome")
    assert stored(held_event.pk) == (None, "", None)


def test_unknown_event(chair):
    response = api(chair).post(results_url(999_999), {"participants": 1}, format="json")
    refused(response, 404, "id")


# --- the photo report ---------------------------------------------------------------


def test_photos_are_cleaned_like_reports_photos(chair, held_event, settings):
    settings.EVENT_PHOTO_MAX_SIDE = 50
    original = image_bytes(size=(200, 100), exif=gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the premise
    response = api(chair).post(
        photos_url(held_event.pk),
        {
            "photos": [
                upload(original, "a.jpg"),
                upload(image_bytes(kind="PNG"), "b.png"),
            ]
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert [(p["width"], p["height"]) for p in response.json()["photos"]] == [
        (50, 25),
        (50, 38),
    ]
    photo = EventPhoto.objects.filter(event=held_event).order_by("pk").first()
    kept = Image.open(photo.image.path)
    assert kept.size == (50, 25)
    assert len(kept.getexif()) == 0 and not kept.getexif().get_ifd(GPS_IFD)
    assert Event.objects.get(pk=held_event.pk).recorded_at is not None


def test_an_oversized_photo_report_stores_nothing(chair, held_event, settings, media):
    settings.EVENT_MAX_PHOTO_BYTES = 1000
    big = image_bytes(size=(400, 400), kind="PNG")
    assert len(big) > 1000
    small = image_bytes()
    # One photo over the cap among good ones: refused by its size, unread.
    response = api(chair).post(
        photos_url(held_event.pk),
        {"photos": [upload(small, "ok.jpg"), upload(big, "big.png")]},
        format="multipart",
    )
    assert "big.png" in refused(response, 400, "photos")
    assert EventPhoto.objects.count() == 0
    assert not [p for p in Path(media).rglob("*") if p.is_file()]


def test_a_body_over_what_photos_could_be_is_refused_unread(
    chair, held_event, settings
):
    settings.EVENT_MAX_PHOTO_BYTES = 1000
    settings.EVENT_PHOTOS_PER_REQUEST = 1
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = b"\x89PNG\r\n\x1a\n" + bytes(5000)  # never opened
    response = api(chair).post(
        photos_url(held_event.pk),
        {"photos": [upload(big, "big.png")]},
        format="multipart",
    )
    assert "1" in refused(response, 413, "photos")
    assert EventPhoto.objects.count() == 0


def test_not_a_photo(chair, held_event):
    response = api(chair).post(
        photos_url(held_event.pk),
        {"photos": [upload(b"%PDF-1.4 not a photo", "list.pdf", "application/pdf")]},
        format="multipart",
    )
    assert "list.pdf" in refused(response, 400, "photos")
    assert EventPhoto.objects.count() == 0


def test_no_photos_at_all(chair, held_event):
    response = api(chair).post(photos_url(held_event.pk), {}, format="multipart")
    refused(response, 400, "photos")


def test_at_most_so_many_photos_an_event(chair, held_event, settings):
    settings.EVENT_MAX_PHOTOS = 3
    first = api(chair).post(
        photos_url(held_event.pk),
        {"photos": [upload(image_bytes(), f"{n}.jpg") for n in range(2)]},
        format="multipart",
    )
    assert first.status_code == 200, first.content
    second = api(chair).post(
        photos_url(held_event.pk),
        {"photos": [upload(image_bytes(), f"{n}.jpg") for n in range(2)]},
        format="multipart",
    )
    assert "3" in refused(second, 400, "photos")
    assert EventPhoto.objects.count() == 2


def test_photos_of_someone_else_are_refused_before_they_are_read(
    held_event, monkeypatch
):
    from geo import photos as pipeline

    def never(*args, **kwargs):
        raise AssertionError("a photo was read")

    monkeypatch.setattr(pipeline, "clean_photos", never)
    response = api(resident()).post(
        photos_url(held_event.pk),
        {"photos": [upload(image_bytes())]},
        format="multipart",
    )
    refused(response, 403, "organiser")


# --- trees of a planting drive ------------------------------------------------------


def tree_json(dx, dy, species="берёза повислая"):
    lat, lon = lat_lon(dx, dy)
    return {"lon": lon, "lat": lat, "species": species}


@pytest.fixture
def drive(tos):
    return event(tos, of_kind=planting_kind(), campaign="Укоренись в Ангарске — 2025")


def trees_layer_etag(client):
    return client.get("/api/layers/trees/").headers["ETag"]


def test_planted_trees_join_the_trees_layer(chair, drive, client):
    before = trees_layer_etag(client)
    response = api(chair).post(
        trees_url(drive.pk),
        [tree_json(10, 10), tree_json(20, 15, "сосна обыкновенная")],
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["trees_planted"] == 2
    trees = Tree.objects.filter(pk__in=response.json()["added_trees"]).order_by("pk")
    assert [t.species for t in trees] == ["берёза повислая", "сосна обыкновенная"]
    local_start = drive.starts_at.astimezone(ZoneInfo(settings.TIME_ZONE))
    assert {t.planted_on for t in trees} == {local_start.date()}
    assert {t.campaign for t in trees} == {"Укоренись в Ангарске — 2025"}
    assert PlantedTree.objects.filter(event=drive).count() == 2
    assert trees_layer_etag(client) != before
    layer = client.get("/api/layers/trees/")
    features = json.loads(b"".join(layer.streaming_content))["features"]
    assert {f["properties"]["species"] for f in features} >= {"сосна обыкновенная"}


def test_without_a_campaign_the_trees_get_the_kind_name(chair, tos):
    drive = event(tos, of_kind=planting_kind())
    response = api(chair).post(trees_url(drive.pk), [tree_json(5, 5)], format="json")
    assert response.status_code == 200, response.content
    assert Tree.objects.get().campaign == "Укоренись в Ангарске"


def test_trees_only_at_planting_drives(chair, held_event):
    response = api(chair).post(
        trees_url(held_event.pk), [tree_json(5, 5)], format="json"
    )
    refused(response, 400, "trees")
    assert Tree.objects.count() == 0


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"lon": "103.9", "lat": 52.5, "species": "ель"}, "trees[1].lon"),
        ({"lon": 103.9, "lat": 95, "species": "ель"}, "trees[1].lat"),
        ({"lon": 103.9, "lat": None, "species": "ель"}, "trees[1].lat"),
        ({"lon": 103.9, "lat": 52.5, "species": ""}, "trees[1].species"),
        ({"lon": 103.9, "lat": 52.5, "species": "е" * 201}, "trees[1].species"),
        ({"lon": 103.9, "lat": 52.5, "species": ["ель"]}, "trees[1].species"),
        ([103.9, 52.5], "trees[1]"),
    ],
)
def test_one_bad_tree_refuses_them_all(chair, drive, bad, field):
    response = api(chair).post(
        trees_url(drive.pk), [tree_json(5, 5), bad], format="json"
    )
    refused(response, 400, field)
    assert Tree.objects.count() == 0 and PlantedTree.objects.count() == 0


def test_a_tree_outside_the_district(chair, drive):
    # The test district is 40 km square around the centre; 30 km east is outside.
    response = api(chair).post(
        trees_url(drive.pk), [tree_json(5, 5), tree_json(30_000, 0)], format="json"
    )
    refused(response, 400, "trees[1].lat")
    assert Tree.objects.count() == 0


@pytest.mark.parametrize("body", [[], {"trees": []}, "берёза"])
def test_trees_must_be_a_list(chair, drive, body):
    response = api(chair).post(trees_url(drive.pk), body, format="json")
    refused(response, 400, "trees")


def test_at_most_so_many_trees_a_request(chair, drive, settings):
    settings.EVENT_MAX_TREES_PER_REQUEST = 3
    response = api(chair).post(
        trees_url(drive.pk), [tree_json(n, n) for n in range(4)], format="json"
    )
    assert "3" in refused(response, 400, "trees")
    assert Tree.objects.count() == 0


def test_no_trees_before_the_drive(chair, tos):
    drive = event(tos, of_kind=planting_kind(), starts=timedelta(days=1))
    response = api(chair).post(trees_url(drive.pk), [tree_json(5, 5)], format="json")
    refused(response, 400, "starts_at")
    assert Tree.objects.count() == 0
