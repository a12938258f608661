"""Report services: placement, photos, refusals that store nothing, quota, workflow,
duplicates, support, personal data.

Run alone: TEST_DATABASE_NAME=test_reports .venv/bin/pytest tests/test_reports_*.py
"""

import io

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from geo.errors import Forbidden, Refused, http_status
from geo.requester import Requester
from territories.reports import services as service
from territories.reports.models import Follower, ProblemReport, ReportUpdate, Support
from territories.reports.services import Role

from .report_helpers import (
    EMAIL,
    GPS_IFD,
    NAME,
    form,
    gps_exif,
    image_bytes,
    make_places,
    make_report,
    specialist,
    stored_nothing,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def submit(photos=(), **fields):
    return service.submit_report(form(**fields), photos, source="web", client_hash="c")


def refused(photos=(), **fields):
    with pytest.raises(Refused) as caught:
        submit(photos, **fields)
    return caught.value


def test_placement_attaches_territory_yard_and_building(district):
    territory, yard, building = make_places(district)
    report, _token = submit()
    assert (report.territory_id, report.yard_id, report.building_id) == (
        territory.pk,
        yard.pk,
        building.pk,
    )


def test_placement_leaves_out_what_is_not_there(district):
    territory, _yard, _building = make_places(district)
    report, _token = submit(dx=300, dy=300)
    assert report.territory_id == territory.pk
    assert (report.yard_id, report.building_id) == (None, None)


def test_point_outside_the_district_is_refused_on_lat(district):
    error = refused(dx=50_000)
    assert error.field == "lat" and http_status(error) == 400


def test_png_named_jpg_is_accepted_by_its_content(district):
    photo = upload(image_bytes("PNG"), name="yard.jpg")
    report, _token = submit([photo])
    stored = report.photos.get()
    assert stored.image.name.endswith(".png")
    assert Image.open(stored.image.path).format == "PNG"


def test_text_named_jpg_is_refused_and_nothing_stored(district):
    photo = upload(b"hello, I am not a picture", name="yard.jpg")
    error = refused([photo])
    assert error.field == "photos" and "yard.jpg" in str(error)
    assert stored_nothing()


def test_file_over_the_cap_is_refused(district, settings):
    settings.REPORT_MAX_PHOTO_BYTES = 1000
    photo = upload(image_bytes(size=(400, 400)) + b"\0" * 1000)
    assert refused([photo]).field == "photos"
    assert stored_nothing()


def test_four_photos_are_refused(district):
    photos = [upload(image_bytes(), name=f"{i}.jpg") for i in range(4)]
    assert refused(photos).field == "photos"
    assert stored_nothing()


def test_exif_and_gps_are_stripped(district):
    original = image_bytes(exif=gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the premise
    report, _token = submit([upload(original)])
    stored = Image.open(report.photos.get().image.path)
    exif = stored.getexif()
    assert len(exif) == 0 and not exif.get_ifd(GPS_IFD)


def test_large_photo_is_resized(district, settings):
    settings.REPORT_PHOTO_MAX_SIDE = 100
    report, _token = submit([upload(image_bytes(size=(400, 200)))])
    photo = report.photos.get()
    assert (photo.width, photo.height) == (100, 50)


def test_failure_after_photos_were_written_removes_them(district, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ReportUpdate.objects, "create", broken)
    with pytest.raises(RuntimeError):
        submit([upload(image_bytes())])
    assert stored_nothing()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"lat": "north"}, "lat"),
        ({"lon": "1e999"}, "lon"),
        ({"category": "nope"}, "category"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"description": "a\x00b"}, "description"),
        ({"email": "not-an-address"}, "email"),
        ({"phone": "call me"}, "phone"),
        ({"answers": {"colour": "red"}}, "answers.colour"),
        ({"answers": ["pole"]}, "answers"),
    ],
)
def test_each_refusal_names_its_field_and_stores_nothing(district, fields, field):
    photo = upload(image_bytes())
    assert refused([photo], **fields).field == field
    assert stored_nothing()


def test_answers_are_checked_against_the_category(district):
    report, _token = submit(category="snow", answers={"where": "roof"})
    assert report.answers == {"where": "roof"}
    assert refused(category="snow", answers={"where": "moon"}).field == "answers.where"


def test_show_name_false_as_text_means_hidden(district):
    report, _token = submit(name=NAME, show_name="false")
    assert report.show_name is False and report.public_name == ""


def test_reporter_email_follows_the_report(district):
    report, _token = submit(email=EMAIL)
    assert list(report.followers.values_list("email", flat=True)) == [EMAIL]


def test_anonymous_quota_then_429(district, settings):
    settings.REPORT_HOURLY_QUOTA = 2
    submit()
    submit()
    error = refused()
    assert (error.field, http_status(error)) == ("rate", 429)
    assert ProblemReport.objects.count() == 2


def test_quota_is_per_client(district, settings):
    settings.REPORT_HOURLY_QUOTA = 1
    submit()
    service.submit_report(form(), source="web", client_hash="another")
    assert ProblemReport.objects.count() == 2


def test_signed_in_residents_have_their_own_quota_and_staff_none(district, settings):
    settings.REPORT_HOURLY_QUOTA = 1
    users = get_user_model().objects
    resident = users.create_user("resident")
    staff = users.create_user("staff", is_staff=True)
    service.submit_report(form(), source="web", client_hash="c", user=resident)
    with pytest.raises(Refused):
        service.submit_report(form(), source="web", client_hash="d", user=resident)
    for _ in range(2):
        service.submit_report(form(), source="web", client_hash="c", user=staff)
    assert ProblemReport.objects.filter(user=staff).count() == 2


def test_specialist_moves_a_report_through_the_workflow(district):
    report, _token = make_report()
    for status in ("open", "in_progress", "planned", "fixed"):
        service.change_status(report, status, by=specialist(), comment="ок")
    timeline = list(report.updates.values_list("previous_status", "status"))
    assert timeline[1:] == [
        ("moderation", "open"),
        ("open", "in_progress"),
        ("in_progress", "planned"),
        ("planned", "fixed"),
    ]


def test_forbidden_transition_is_400(district):
    report, _token = make_report()
    with pytest.raises(Refused) as caught:
        service.change_status(report, "fixed", by=specialist())
    assert caught.value.field == "status"
    assert http_status(caught.value) == 400
    assert "решено" in str(caught.value)


def test_reporter_reopens_a_fixed_report_by_token(district):
    report, token = make_report(status="fixed")
    role = service.role_of(report, Requester(token=token))
    service.reopen(report, by=Requester(token=token), comment="Снова не горит")
    last = report.updates.last()
    assert (role, report.status, last.role) == (Role.REPORTER, "open", "reporter")


def test_stranger_has_no_role_and_wrong_token_none(district):
    report, _token = make_report(status="fixed")
    stranger = get_user_model().objects.create_user("stranger")
    assert service.role_of(report, Requester(stranger, "guess")) is None


def test_reporter_cannot_do_a_specialists_transition(district):
    report, token = make_report(status="open")
    with pytest.raises(Forbidden):
        service.change_status(report, "fixed", by=Requester(token=token))


def test_tos_chair_reopens_a_fixed_report(district):
    territory, _yard, _building = make_places(district)
    report, _token = make_report(status="fixed")
    chair = Requester(territory.chair_user)
    assert service.role_of(report, chair) == Role.TOS_CHAIR
    service.reopen(report, by=chair)
    assert report.status == "open"


def test_duplicate_links_the_original(district):
    original, _t = make_report(status="open")
    copy, _t = make_report(dx=20)
    service.change_status(copy, "duplicate", by=specialist(), duplicate_of=original)
    copy.refresh_from_db()
    assert (copy.status, copy.duplicate_of_id) == ("duplicate", original.pk)


def test_duplicate_needs_a_usable_original(district):
    hidden, _t = make_report(status="hidden")
    copy, _t = make_report(dx=20)
    for original in (None, copy, hidden):
        with pytest.raises(Refused) as caught:
            service.change_status(
                copy, "duplicate", by=specialist(), duplicate_of=original
            )
        assert caught.value.field == "duplicate_of"


def test_remove_personal_data_keeps_the_report_and_its_supports(district):
    report, token = make_report(status="open", show_name=True)
    stale = ProblemReport.objects.get(pk=report.pk)
    service.add_support(report, "voter-1")
    service.remove_personal_data(stale, by=Requester(token=token))
    stale.refresh_from_db()
    values = (stale.reporter_name, stale.reporter_email, stale.reporter_phone)
    assert values == ("", "", "") and stale.show_name is False
    assert stale.personal_data_removed_at is not None
    assert stale.support_count == 1
    assert not Follower.objects.filter(email=EMAIL).exists()


def test_support_counts_once_per_voter(district):
    report, _token = make_report(status="open")
    assert service.add_support(report, "a") is True
    assert service.add_support(report, "a") is False
    assert service.add_support(report, "b") is True
    assert report.support_count == 2 == Support.objects.count()


def test_support_refused_under_moderation(district):
    report, _token = make_report()
    with pytest.raises(Refused):
        service.add_support(report, "a")


def test_nearby_finds_open_reports_of_the_category_within_250_m(district):
    near, _t = make_report(dx=100, status="open")
    make_report(dx=400, status="open")  # too far
    make_report(dx=50, status="open", category="snow")  # another category
    make_report(dx=10)  # under moderation
    lat, lon = form()["lat"], form()["lon"]
    found = list(service.nearby_active(float(lat), float(lon), "lighting"))
    assert [r.pk for r in found] == [near.pk]
    assert found[0].distance_m.m == pytest.approx(100, abs=2)


def test_follow_once_whatever_the_case(district):
    report, _token = make_report(status="open")
    neighbour = Requester(ip="192.0.2.30")
    service.follow(report, "Neighbour@Example.org", by=neighbour)
    service.follow(report, "neighbour@example.org", by=neighbour)
    assert report.followers.filter(email__iexact="neighbour@example.org").count() == 1


def test_is_reporter_by_token_or_account(district):
    resident = get_user_model().objects.create_user("resident")
    report, token = service.submit_report(
        form(), source="web", client_hash="c", user=resident
    )
    assert service.is_reporter(report, Requester(token=token))
    assert service.is_reporter(report, Requester(resident))
    assert not service.is_reporter(report, Requester(token="x" + token))
