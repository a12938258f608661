"""Atom feeds: new reports in a TOS, a bbox or a circle, and one report's timeline.
Valid Atom, filtered in SQL, bad parameters named, no personal data."""

import xml.etree.ElementTree as ET

import pytest

from geo.requester import Requester
from territories.reports.services import change_status

from .report_helpers import lat_lon, report_at

pytestmark = pytest.mark.usefixtures("media")
ATOM = "{http://www.w3.org/2005/Atom}"
FEED = "/feeds/reports.atom"


def atom(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{tag}") is not None
    return root


def entries(root):
    return root.findall(f"{ATOM}entry")


def entry_ids(root):
    """Report numbers of the entries, from their links to /reports/<id>/."""
    ids = []
    for entry in entries(root):
        href = entry.find(f"{ATOM}link").get("href")
        ids.append(int(href.rstrip("/").split("/")[-1]))
    return sorted(ids)


def test_feed_of_a_territory(client, tos, other_tos):
    inside = report_at(100, 100)
    waiting = report_at(200, 200, status="moderation")
    report_at(300, 300, status="hidden")
    report_at(2100, 100)
    root = atom(client, f"{FEED}?territory={tos.pk}")
    assert entry_ids(root) == sorted([inside.pk, waiting.pk])
    assert "Перекресток" in root.find(f"{ATOM}title").text


def test_feed_in_a_bbox(client, district):
    near = report_at(0, 0)
    report_at(3000, 3000)
    south, west = lat_lon(-200, -200)
    north, east = lat_lon(200, 200)
    root = atom(client, f"{FEED}?bbox={west},{south},{east},{north}")
    assert entry_ids(root) == [near.pk]


def test_feed_within_a_radius(client, district):
    close = report_at(0, 300)
    report_at(0, 700)
    lat, lon = lat_lon(0, 0)
    root = atom(client, f"{FEED}?lat={lat}&lon={lon}&radius=500")
    assert entry_ids(root) == [close.pk]
    root = atom(client, f"{FEED}?lat={lat}&lon={lon}&radius=1000")
    assert len(entry_ids(root)) == 2


def test_whole_district_newest_first_at_most_50(client, district):
    reports = [report_at(i * 10, 0) for i in range(52)]
    root = atom(client, FEED)
    links = [e.find(f"{ATOM}link").get("href") for e in entries(root)]
    assert len(links) == 50
    assert links[0].endswith(f"/reports/{reports[-1].pk}/")


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("territory=abc", "territory"),
        ("territory=999999", "territory"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=104,52,103,53", "bbox"),
        ("lat=52.5&lon=103.9&radius=50000", "radius"),
        ("lat=52.5&lon=103.9&radius=-1", "radius"),
        ("lat=52.5&radius=100", "lon"),
        ("lat=north&lon=103.9", "lat"),
        ("lat=52.5&lon=nan", "lon"),
    ],
)
def test_bad_parameters_are_named(client, db, query, parameter):
    response = client.get(f"{FEED}?{query}")
    assert response.status_code == 400
    assert response.content.decode().startswith(f"{parameter}:")


def test_no_personal_data_and_escaped_text(client, district):
    report_at(
        description="<script>alert(1)</script> у подъезда",
        name="Пётр Скрытный",
        email="petr@example.org",
        phone="+7 902 111-22-33",
    )
    shown = report_at(name="Анна Открытая", show_name=True, email="anna@example.org")
    body = client.get(FEED).content.decode()
    for secret in ("petr@example.org", "+7 902 111-22-33", "Пётр Скрытный"):
        assert secret not in body
    assert "anna@example.org" not in body
    root = ET.fromstring(body)
    by_link = {e.find(f"{ATOM}link").get("href"): e for e in entries(root)}
    author = by_link[f"http://testserver/reports/{shown.pk}/"].find(
        f"{ATOM}author/{ATOM}name"
    )
    assert author.text == "Анна Открытая"
    summaries = [e.find(f"{ATOM}summary").text for e in entries(root)]
    assert not any("<script>" in s for s in summaries)
    assert any("&lt;script&gt;" in s for s in summaries)


def test_moderation_reports_come_without_their_description(client, district):
    report_at(description="Секретная подробность", status="moderation")
    body = client.get(FEED).content.decode()
    assert "Секретная подробность" not in body
    assert "на модерации" in body


def test_entries_carry_a_georss_point(client, district):
    report_at(0, 0)
    root = atom(client, FEED)
    point = entries(root)[0].find("{http://www.georss.org/georss}point")
    lat, lon = (float(v) for v in point.text.split())
    expected = lat_lon(0, 0)
    assert abs(lat - expected[0]) < 1e-5 and abs(lon - expected[1]) < 1e-5


def test_feed_of_one_reports_timeline(client, district, django_user_model):
    report = report_at(status="moderation", email="reporter@example.org")
    specialist = django_user_model.objects.create_user("ivanova_spec", is_staff=True)
    change_status(
        report,
        "open",
        by=Requester(specialist),
        comment="Проверили, <b>публикуем</b>",
    )
    root = atom(client, f"/feeds/reports/{report.pk}.atom")
    titles = [e.find(f"{ATOM}title").text for e in entries(root)]
    assert titles == ["Статус: открыто", "Статус: на модерации"]
    body = ET.tostring(root, encoding="unicode")
    assert "ivanova_spec" not in body and "reporter@example.org" not in body
    assert (
        "&lt;b&gt;публикуем&lt;/b&gt;" in entries(root)[0].find(f"{ATOM}summary").text
    )
    assert entries(root)[0].find(f"{ATOM}author/{ATOM}name").text == "специалист"


def test_feed_of_a_hidden_or_missing_report_is_404(client, district):
    hidden = report_at(status="hidden")
    assert client.get(f"/feeds/reports/{hidden.pk}.atom").status_code == 404
    assert client.get("/feeds/reports/999999.atom").status_code == 404
