"""The contests' pages (docs/domain.md, "Contests"): they render in Russian and in
English, show the services' refusals next to the field they name (the window, the
criterion, the conflicted juror's reason) and store nothing then."""

from datetime import timedelta

import pytest
from django.utils import timezone

from territories.contests.models import Entry, Score, Season

from .boundary_helpers import account, chair_of
from .contest_helpers import (
    Scored,
    council_with_house,
    criteria,
    entry,
    juror,
    nomination,
    representative,
    season,
    specialist,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def text(response):
    return response.content.decode()


def english(client):
    client.cookies["django_language"] = "en"
    return {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def published(tos):
    return Scored(tos, published=True)


def test_the_pages_speak_russian(client, published):
    seasons = text(client.get("/contests/"))
    assert "Городские конкурсы" in seasons and "итоги опубликованы" in seasons
    page = text(client.get(f"/contests/{published.season.pk}/"))
    assert "Итоги" in page and "Номинация" in page and "Балл" in page
    entry_page = text(client.get(f"/contests/entries/{published.first.pk}/"))
    assert "Место в рейтинге" in entry_page and "призёр" in entry_page


def test_the_pages_speak_english(client, published):
    headers = english(client)
    seasons = text(client.get("/contests/", **headers))
    assert "City contests" in seasons and "results published" in seasons
    page = text(client.get(f"/contests/{published.season.pk}/", **headers))
    assert "Results" in page and "Nomination" in page and "Score" in page
    assert "Итоги" not in page
    entry_page = text(client.get(f"/contests/entries/{published.first.pk}/", **headers))
    assert "Place in the ranking" in entry_page and "prize-winner" in entry_page


def test_the_season_page_takes_the_same_queries_however_many_entries(
    client, published, django_assert_num_queries
):
    url = f"/contests/{published.season.pk}/"
    client.get(url)
    with django_assert_num_queries(5) as first:
        client.get(url)
    for n in range(4):
        council, house = council_with_house(f"Совет №{n}", x=700 + n * 30, y=700)
        entry(published.season, published.nomination, council=council, house=house)
    with django_assert_num_queries(len(first.captured_queries)):
        page = text(client.get(url))
    assert page.count("/contests/entries/") >= 6


@pytest.fixture
def open_season(district):
    s = season()
    return s, nomination(s, for_councils=True)


def form(nom, council, house, **more):
    return {
        "nomination": nom.pk,
        "applicant_kind": "council",
        "council": council.pk,
        "title": "Дом без мусора",
        "description": "Мы убрали подвал",
        "place_kind": "building",
        "place": house.pk,
        **more,
    }


def test_a_representative_applies_through_the_form(client, open_season):
    s, nom = open_season
    council, house = council_with_house()
    client.force_login(representative(council))
    blank = client.get(f"/contests/{s.pk}/apply/")
    assert blank.status_code == 200 and council.name in text(blank)
    response = client.post(f"/contests/{s.pk}/apply/", form(nom, council, house))
    made = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/contests/entries/{made.pk}/"
    page = text(client.get(response["Location"]))
    assert "Заявка подана и ждёт модерации." in page and "на модерации" in page


def test_the_form_needs_an_account(client, open_season):
    s, _nom = open_season
    response = client.get(f"/contests/{s.pk}/apply/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_applying_after_the_window_shows_the_window(client, open_season):
    s, nom = open_season
    Season.objects.filter(pk=s.pk).update(
        opens_at=timezone.now() - timedelta(days=30),
        closes_at=timezone.now() - timedelta(days=1),
    )
    council, house = council_with_house()
    client.force_login(representative(council))
    response = client.post(f"/contests/{s.pk}/apply/", form(nom, council, house))
    assert response.status_code == 400
    assert 'data-error-for="window"' in text(response)
    assert "приём заявок закрыт" in text(response)
    assert not Entry.objects.exists()


@pytest.fixture
def judging(tos):
    s = season()
    nom = nomination(s, for_councils=True)
    crits = criteria(s)
    council, house = council_with_house(territory=tos)
    row = entry(s, nom, council=council, house=house)
    Season.objects.filter(pk=s.pk).update(state="judging")
    return s, crits, row


def sheet_form(crits, *values):
    return {f"score-{c.pk}": v for c, v in zip(crits, values, strict=True)}


def test_a_juror_scores_through_the_sheet_and_sees_their_scores(client, judging):
    s, crits, row = judging
    member = juror(s, "juror1")
    client.force_login(member.user)
    response = client.post(
        f"/contests/entries/{row.pk}/score/", sheet_form(crits, "7", "4,5")
    )
    assert response.status_code == 302
    again = text(client.get(f"/contests/entries/{row.pk}/score/"))
    assert "Оценочный лист сохранён." in again and 'value="4,50"' in again
    assert Score.objects.filter(juror=member).count() == 2


def test_a_score_out_of_range_is_shown_at_its_criterion(client, judging):
    s, crits, row = judging
    client.force_login(juror(s, "juror1").user)
    response = client.post(
        f"/contests/entries/{row.pk}/score/", sheet_form(crits, "12", "3")
    )
    assert response.status_code == 400
    page = text(response)
    assert f'data-error-for="scores.{crits[0].pk}"' in page
    assert "критерий «Чистота»: поставьте балл от 0 до 10" in page
    assert not Score.objects.exists()


def test_a_conflicted_juror_is_told_why(client, judging, tos):
    s, crits, row = judging
    member = juror(s, "juror1")
    chair_of(tos, "juror1")
    client.force_login(member.user)
    response = client.post(
        f"/contests/entries/{row.pk}/score/", sheet_form(crits, "5", "3")
    )
    assert response.status_code == 403
    assert "вы не можете оценивать заявку своего ТОС «Перекресток»" in text(response)
    assert not Score.objects.exists()


def test_the_management_page_is_the_specialists(client, open_season):
    s, _nom = open_season
    client.force_login(account("sosed"))
    assert client.get(f"/contests/{s.pk}/manage/").status_code == 404
    client.force_login(specialist())
    page = text(client.get(f"/contests/{s.pk}/manage/"))
    assert "Модерация и состояние" in page and "работа жюри" in page


def test_a_specialist_moves_the_season_from_the_page(client, judging):
    s, _crits, _row = judging
    client.force_login(specialist())
    response = client.post(
        f"/contests/{s.pk}/state/", {"to": "closed", "expected": "judging"}
    )
    assert response.status_code == 302
    assert Season.objects.get(pk=s.pk).state == "closed"
    skipped = client.post(f"/contests/{s.pk}/state/", {"to": "open"}, follow=True)
    assert "можно перейти только в «итоги опубликованы»" in text(skipped)
    assert Season.objects.get(pk=s.pk).state == "closed"


def test_unknown_pages_are_404(client, district):
    assert client.get("/contests/999999/").status_code == 404
    assert client.get("/contests/entries/999999/").status_code == 404


def test_an_edit_with_a_refused_photo_changes_nothing(client, open_season):
    """All or nothing: the 11th photo is refused, so the text stays, the photos stay
    and the entry stays approved."""
    from territories.contests.models import MAX_PHOTOS, EntryPhoto

    from .report_helpers import image_bytes, upload

    s, nom = open_season
    council, house = council_with_house()
    author = representative(council)
    made = entry(s, nom, council=council, house=house, applicant=author)
    for n in range(MAX_PHOTOS):
        EntryPhoto.objects.create(entry=made, image=f"x{n}.jpg", width=1, height=1)
    client.force_login(author)
    data = form(nom, council, house, title="Новое название")
    data["photos"] = [upload(image_bytes())]
    response = client.post(f"/contests/entries/{made.pk}/edit/", data)
    assert response.status_code == 400
    assert "фотографий" in text(response)
    made.refresh_from_db()
    assert made.title == "Наш двор" and made.state == Entry.State.APPROVED
    assert made.photos.count() == MAX_PHOTOS
