"""The dashboard's figures (docs/domain.md, "Indicators"): every row of the
passport's results table and the reports block, by year and by territory, each
checked against a count made here in raw SQL or from the records the test made."""

import json
from statistics import median

import pytest

from .indicator_helpers import SQL, counted, make_practice

pytestmark = pytest.mark.django_db
URL = "/api/indicators/"


@pytest.fixture
def practice(tos, other_tos):
    return make_practice(tos, other_tos)


def answer(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def by_key(rows, code, key):
    return {
        (row[key]["id"] if isinstance(row[key], dict) else row[key]): row[code]
        for row in rows
        if row[code]
    }


@pytest.mark.parametrize("code", SQL)
def test_every_row_by_year_by_territory_and_in_total(client, practice, code):
    years, places, total = counted(code)
    figures = answer(client)
    assert total > 0  # the fixture gives every row something to count
    assert by_key(figures["by_year"], code, "year") == years
    assert by_key(figures["by_territory"], code, "territory") == {
        place: n for place, n in places.items() if n
    }
    assert figures["totals"][code] == total


@pytest.mark.parametrize("code", SQL)
def test_every_row_for_one_year_and_one_territory(client, practice, tos, code):
    for params, year, place in (
        ({"year": 2018}, 2018, None),
        ({"territory": tos.pk}, None, tos.pk),
        ({"year": 2019, "territory": tos.pk}, 2019, tos.pk),
    ):
        years, places, total = counted(code, year, place)
        figures = answer(client, **params)
        assert by_key(figures["by_year"], code, "year") == years, params
        assert by_key(figures["by_territory"], code, "territory") == {
            p: n for p, n in places.items() if n
        }, params
        assert figures["totals"][code] == total, params


def test_known_figures_of_the_fixture(client, practice, tos, other_tos):
    """The rules themselves, on figures worked out by hand from the fixture."""
    figures = answer(client)
    totals = figures["totals"]
    # 20 + 7 trained in `tos`; the cancelled and the unrecorded ones do not count.
    assert totals["activists_trained"] == 27
    assert totals["participants"] == 20 + 7 + 40 + 15 + 9
    # The yard improved twice in 2018 and again in 2019 is one yard in the total;
    # the 2014 one is before the practice.
    assert totals["yards_improved"] == 3
    assert by_key(figures["by_year"], "yards_improved", "year") == {2018: 2, 2019: 2}
    # The ground without a year and the one of 1970 are not the practice's.
    assert totals["grounds_installed"] == 4
    assert totals["trees_planted"] == 4
    # `other_tos` was created by its first approved version (2019), not in 2020.
    assert by_key(figures["by_year"], "tos_created", "year") == {2018: 1, 2019: 1}
    # Done in 2018 in `tos`; in 2019 outside every TOS, named for `other_tos`, and
    # inside `other_tos`; the one in progress is not carried out yet.
    assert by_key(figures["by_year"], "projects_implemented", "year") == {
        2018: 1,
        2019: 2,
    }
    assert by_key(figures["by_territory"], "projects_implemented", "territory") == {
        tos.pk: 1,
        other_tos.pk: 2,
    }


def test_the_forum_row_links_to_the_projects_carried_out(client, practice):
    figures = answer(client)
    row = next(r for r in figures["rows"] if r["code"] == "projects_implemented")
    assert row["available"] is True
    assert (
        figures["totals"]["links"]["projects_implemented"] == "/forum/implementation/"
    )


def test_the_passport_is_apart_from_the_computed_figures(client, practice):
    figures = answer(client)
    passport = {row["code"]: row for row in figures["passport"]}
    assert passport["activists_trained"]["total"] == 1050
    assert passport["activists_trained"]["year_2018"] == 360
    assert passport["trees_planted"]["at_least"] is True
    assert "паспорт" in passport["tos_created"]["source"]
    # The computed 2018 figures are the records', not the passport's.
    year_2018 = next(y for y in figures["by_year"] if y["year"] == 2018)
    assert year_2018["activists_trained"] == 20


def test_figures_link_to_their_records(client, practice, tos):
    figures = answer(client, year=2018, territory=tos.pk)
    links = figures["totals"]["links"]
    assert links["activists_trained"] == (
        f"/events/?view=list&kind=obuchenie&from=2018-01-01&to=2018-12-31"
        f"&territory={tos.pk}"
    )
    assert links["trees_planted"] == f"/api/layers/trees/?year=2018&territory={tos.pk}"
    assert links["tos_created"] == f"/territories/{tos.pk}/"
    body = b"".join(client.get(links["trees_planted"]).streaming_content)
    trees = json.loads(body)["features"]
    assert len(trees) == figures["totals"]["trees_planted"]


# --- reports -----------------------------------------------------------------------


def _expected(reports, target=30):
    """Opened, closed, fixed, median days, share within target from the reports made
    (hidden ones left out), by the test's own reading of the timeline."""
    shown = [r for r in reports if r.status != "hidden"]
    fixed = [r for r in shown if r.status == "fixed"]
    days = [_days(r) for r in fixed]
    return {
        "opened": len(shown),
        "closed": len([r for r in shown if r.status in ("fixed", "closed")]),
        "fixed": len(fixed),
        "median_days_to_fix": round(median(days), 1) if days else None,
        "fixed_within_target": (
            round(len([d for d in days if d <= target]) / len(days), 3)
            if days
            else None
        ),
    }


def _days(report):
    report.refresh_from_db()
    entry = report.updates.filter(status="fixed").latest("created_at")
    return (entry.created_at - report.created_at).total_seconds() / 86400


def _figures(row):
    return {
        k: row[k]
        for k in (
            "opened",
            "closed",
            "fixed",
            "median_days_to_fix",
            "fixed_within_target",
        )
    }


def test_reports_totals_median_and_share(client, practice):
    figures = answer(client)["reports"]
    assert _figures(figures["totals"]) == _expected(practice)
    # Fixed after 10, 40, 20 and 3 days: median 15, three of four within 30 days.
    assert figures["totals"]["median_days_to_fix"] == 15.0
    assert figures["totals"]["fixed_within_target"] == 0.75


def test_reports_by_category_body_and_territory(client, practice, tos):
    figures = answer(client)["reports"]
    for key, of in (
        ("by_category", lambda r: r.category_id),
        ("by_responsible", lambda r: r.category.responsible_id),
        ("by_territory", lambda r: r.territory_id),
    ):
        groups = {of(r) for r in practice if r.status != "hidden"}
        shown = {
            (row[key[3:]] or {}).get("id")
            if key != "by_responsible"
            else (row["responsible"] or {}).get("id"): _figures(row)
            for row in figures[key]
        }
        assert shown == {
            g: _expected([r for r in practice if of(r) == g]) for g in groups
        }, key


def test_reports_by_year_count_each_figure_by_its_own_date(client, practice):
    rows = {row["year"]: row for row in answer(client)["reports"]["by_year"]}
    # Opened by submission: three in 2018, three shown in 2019.
    assert {y: r["opened"] for y, r in rows.items()} == {2018: 3, 2019: 3}
    # The report of 20 December 2018 was fixed in January 2019.
    assert rows[2018]["fixed"] == 2 and rows[2019]["fixed"] == 2
    assert rows[2018]["median_days_to_fix"] == 25.0


def test_the_fix_target_is_a_setting(client, practice, settings):
    settings.REPORT_FIX_TARGET_DAYS = 15
    totals = answer(client)["reports"]["totals"]
    assert (
        totals["fixed_within_target"] == _expected(practice, 15)["fixed_within_target"]
    )
    assert answer(client)["fix_target_days"] == 15


@pytest.mark.parametrize(
    "params, field",
    [
        ({"year": "2014"}, "year"),
        ({"year": "20x8"}, "year"),
        ({"year": "٢٠١٨"}, "year"),
        ({"territory": "0"}, "territory"),
        ({"territory": "999999"}, "territory"),
        ({"territory": "abc"}, "territory"),
        ({"kind": "x"}, "kind"),
    ],
)
def test_bad_parameters_are_refused_naming_the_field(client, district, params, field):
    for url in (URL, "/indicators/", "/indicators/by_year.csv"):
        response = client.get(url, params)
        assert response.status_code == 400, url
        if url == URL:
            assert response.json()["field"] == field
        else:
            assert field in response.content.decode()
