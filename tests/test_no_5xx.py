# Open311 fixtures are imported; pytest finds them by parameter name.
# ruff: noqa: F811
"""No 5xx from any input (issue #7, "No 5xx from any input"): each test is a request
that answered 500 on the demo and must now be a clear refusal naming the field, in
the edge's own format (docs/architecture.md, "Refusing what cannot be served")."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from geo.layers import layers
from territories.reports.models import ProblemReport, ReportUpdate

from .open311_fixtures import body, key, lamps  # noqa: F401
from .report_helpers import form, make_report, specialist

API = "/api/reports/"
REQUESTS = "/open311/v2/requests.json"
# lat=0, lon=10: a real WGS 84 point that UTM zone 48N (GIS_SRID) cannot take.
FAR = {"lat": "0", "lon": "10"}
DEEP = "[" * 3000 + "]" * 3000
FORM = "application/x-www-form-urlencoded"


def stored_nothing():
    return not (ProblemReport.objects.exists() or ReportUpdate.objects.exists())


def post_json(client, url, body):
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, text, content_type="application/json")


def refusal(response, status=400):
    """The REST API's {field, error}, after checking the status and its type."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    return response.json()


def open311_refusal(response, status=400):
    assert response.status_code == status, response.content[:300]
    ((entry,),) = [response.json()]
    assert entry["code"] == status
    return entry["description"]


@pytest.fixture
def reports(district, categories):
    """An open report, a fixed one and the fixed one's manage token."""
    opened, _token = make_report(status="open")
    fixed, token = make_report(status="fixed")
    return opened, fixed, token


# --- a point the district's CRS cannot take -----------------------------------------


def test_nearby_with_an_untransformable_point_is_a_400(client, district, categories):
    response = client.get(f"{API}nearby/", {**FAR, "category": "lighting"})
    assert refusal(response)["field"] == "lat"


def test_the_list_circle_with_an_untransformable_point_is_a_400(client, district):
    assert refusal(client.get(API, FAR))["field"] == "lat"


def test_the_feed_with_an_untransformable_point_is_a_400(client, district):
    response = client.get("/feeds/reports.atom", FAR)
    assert response.status_code == 400
    assert response.content.decode().startswith("lat: ")


def test_a_report_at_an_untransformable_point_is_a_400(client, district, categories):
    response = client.post(API, form(lat="0", lon="10"))
    assert refusal(response)["field"] == "lat"
    assert stored_nothing()


def test_open311_post_at_an_untransformable_point_is_a_400(
    client, district, lamps, key
):
    data = {"api_key": key, "service_code": "t-lamps", "lat": "0", "long": "10"}
    data |= {"attribute[pole]": "12", "description": "Не горит"}
    assert open311_refusal(client.post(REQUESTS, data)).startswith("lat: ")
    assert not ProblemReport.objects.exists()


@pytest.mark.parametrize("lat, lon", [("90", "0"), ("-90", "180"), ("84", "-180")])
def test_points_at_the_edges_of_the_globe_are_refused_not_failed(
    client, district, categories, lat, lon
):
    # PROJ takes some of them (a pole has finite UTM coordinates), not others.
    response = client.get(f"{API}nearby/", {"lat": lat, "lon": lon, "category": "x"})
    assert response.status_code in (200, 400)
    assert response.status_code == 200 or response.json()["field"] == "lat"


@pytest.mark.parametrize(
    "bbox", ["-180,-90,180,90", "9,-1,11,1", "0,83.9,180,90", "-180,-90,-179,-89"]
)
@pytest.mark.parametrize("layer", ["reports", "buildings", "territories"])
def test_a_layer_bbox_far_from_the_district_is_empty_not_failed(
    client, db, bbox, layer
):
    response = client.get(f"/api/layers/{layer}/", {"bbox": bbox})
    assert response.status_code == 200
    assert json.loads(b"".join(response.streaming_content)).get("features") == []


@pytest.mark.parametrize("bbox", ["9,-1,11,1", "-180,-90,180,90"])
def test_a_report_bbox_far_from_the_district_is_empty_not_failed(client, db, bbox):
    assert client.get(API, {"bbox": bbox}).json()["count"] == 0
    assert client.get("/feeds/reports.atom", {"bbox": bbox}).status_code == 200


# --- JSON nested deeper than anything we read ----------------------------------------


@pytest.mark.parametrize(
    "action", ["", "{pk}/follow/", "{pk}/reopen/", "{pk}/forget-me/"]
)
def test_a_deeply_nested_json_body_is_a_400_naming_the_body(client, reports, action):
    url = API + action.format(pk=reports[0].pk)
    assert refusal(post_json(client, url, DEEP))["field"] == "body"


def test_deep_json_inside_an_object_is_a_400_naming_the_body(client, reports):
    body = '{"lat": 52.5, "answers": ' + DEEP + "}"
    assert refusal(post_json(client, API, body))["field"] == "body"
    assert ProblemReport.objects.count() == 2


def test_deeply_nested_answers_in_a_form_are_a_400_naming_answers(
    client, district, categories
):
    response = client.post(API, form(answers=DEEP))
    assert refusal(response)["field"] == "answers"
    assert stored_nothing()


def test_answers_nested_beyond_the_limit_but_parseable_are_refused(
    client, district, categories
):
    answers = {"n": json.loads("[" * 40 + "]" * 40)}
    response = post_json(client, API, {**form(), "answers": answers})
    assert refusal(response)["field"] == "body"
    response = client.post(API, form(answers=json.dumps(answers)))
    assert refusal(response)["field"] == "answers"


def test_a_json_body_over_the_size_limit_is_a_413(client, reports):
    body = json.dumps({"email": "a@example.org", "padding": "x" * 300_000})
    url = f"{API}{reports[0].pk}/follow/"
    assert refusal(post_json(client, url, body), 413)["field"] == "body"


@pytest.mark.parametrize("url", [API, REQUESTS])
def test_a_body_whose_length_is_a_superscript_digit_is_refused(client, db, url):
    response = client.generic(
        "POST", url, b"lat=1", content_type=FORM, CONTENT_LENGTH="²"
    )
    assert response.status_code == 413


# --- numbers parsed strictly --------------------------------------------------------


def test_open311_request_id_of_a_superscript_digit_is_a_400(client, db):
    assert "service_request_id" in open311_refusal(
        client.get(REQUESTS, {"service_request_id": "²"})
    )


@pytest.mark.parametrize("value", ["²", "٣", "1_0", " 2", "+3", "0", "100001"])
@pytest.mark.parametrize("name", ["page", "page_size"])
def test_paging_numbers_are_ascii_digits_in_range(client, db, name, value):
    assert refusal(client.get(API, {name: value}))["field"] == name


@pytest.mark.parametrize("value", ["²", "٣", "1_0", "99999999999999999999"])
@pytest.mark.parametrize("name", ["age", "min_supports", "territory", "id"])
def test_whole_number_filters_are_ascii_digits(client, db, name, value):
    assert refusal(client.get(API, {name: value}))["field"] == name


@pytest.mark.parametrize("value", ["²", "٢٠٢٠", "2_020", "99999999999999999999"])
def test_a_layer_year_is_ascii_digits_in_range(client, db, value):
    response = client.get("/api/layers/grounds/", {"year": value})
    assert refusal(response)["field"] == "year"


@pytest.mark.parametrize("value", ["٣", "99999999999999999999"])
def test_a_layer_territory_is_ascii_digits_in_range(client, db, value):
    response = client.get("/api/layers/buildings/", {"territory": value})
    assert refusal(response)["field"] == "territory"


@pytest.mark.parametrize(
    "path",
    [
        "/api/reports/99999999999999999999/",
        "/api/reports/99999999999999999999/support/",
        "/api/layers/grounds/99999999999999999999/",
        "/open311/v2/requests/999999999999999999.json",
        "/reports/99999999999999999999/",
        "/feeds/reports/99999999999999999999.atom",
    ],
)
def test_an_id_beyond_the_database_is_a_404(client, db, path):
    method = client.post if path.endswith("support/") else client.get
    assert method(path).status_code == 404


# --- addresses without their trailing slash -----------------------------------------


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("method", ["post", "put", "delete", "get"])
def test_an_api_address_without_its_slash_is_a_json_404(
    client, district, categories, settings, debug, method
):
    settings.DEBUG = debug
    response = getattr(client, method)("/api/reports", form())
    body = refusal(response, 404)
    assert body["field"] == "path"
    assert "/api/reports/" in body["error"]
    assert stored_nothing()


def test_a_report_action_without_its_slash_is_a_json_404(client, reports):
    response = post_json(client, f"{API}{reports[0].pk}/follow", {"email": "a@b.org"})
    assert refusal(response, 404)["field"] == "path"


# --- NUL in the admin's query strings -----------------------------------------------


@pytest.fixture
def admin_client(db):
    user = get_user_model().objects.create_superuser("root", password="x")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "query",
    [
        "status__exact=%00",
        "q=%00",
        "q=a%00b",
        "category__id__exact=%00",
        "o=%00",
        "%00=1",
    ],
)
def test_nul_in_an_admin_changelist_query_is_a_400(admin_client, query):
    response = admin_client.get(f"/admin/reports/problemreport/?{query}")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_nul_in_a_third_party_admin_changelist_is_a_400(admin_client):
    url = "/admin/procrastinate/procrastinatejob/?status=%00"
    assert admin_client.get(url).status_code == 400


@pytest.mark.parametrize("selected", ["abc", "²", "", "1,2", "\x00"])
@pytest.mark.parametrize(
    "changelist",
    ["/admin/reports/problemreport/", "/admin/procrastinate/procrastinatejob/"],
)
def test_an_admin_action_on_rows_that_are_no_ids_is_a_400(
    admin_client, changelist, selected
):
    response = admin_client.post(
        changelist,
        {"action": "delete_selected", "index": "0", "_selected_action": selected},
    )
    assert response.status_code == 400
    assert "_selected_action" in response.content.decode()


def test_an_admin_action_on_real_ids_still_asks_for_confirmation(admin_client, reports):
    response = admin_client.post(
        "/admin/reports/problemreport/",
        {
            "action": "delete_selected",
            "index": "0",
            "_selected_action": [str(reports[0].pk), str(reports[1].pk)],
        },
    )
    assert response.status_code == 200
    assert ProblemReport.objects.count() == 2


def test_nul_in_a_page_query_is_a_400(admin_client):
    assert admin_client.get("/workspace/?q=%00").status_code == 400


# --- the reopen comment ------------------------------------------------------------


def test_a_reopen_comment_over_the_limit_is_refused_not_cut(client, reports):
    _opened, made, token = reports
    long = "а" * 4001
    response = post_json(
        client, f"{API}{made.pk}/reopen/", {"token": token, "comment": long}
    )
    assert refusal(response)["field"] == "comment"
    made.refresh_from_db()
    assert made.status == "fixed"
    assert not ReportUpdate.objects.filter(comment__startswith="ааа").exists()


def test_a_reopen_comment_at_the_limit_is_kept_whole(client, reports):
    _opened, made, token = reports
    comment = "а" * 4000
    url = f"{API}{made.pk}/reopen/"
    response = post_json(client, url, {"token": token, "comment": comment})
    assert response.status_code == 200
    assert made.updates.last().comment == comment


def test_a_specialist_comment_over_the_limit_is_refused(reports):
    from geo.errors import Refused
    from territories.reports.services import change_status

    with pytest.raises(Refused) as refused:
        change_status(reports[0], "planned", by=specialist(), comment="б" * 4001)
    assert refused.value.field == "comment"


# --- the schema says what the server takes ------------------------------------------


def api_schema(client):
    return client.get("/api/schema/", HTTP_ACCEPT="application/json").json()


def query_parameters(schema, path):
    operation = schema["paths"][path]["get"]
    return {p["name"]: p["schema"] for p in operation["parameters"]}


def test_report_fields_that_may_be_null_are_declared_nullable(client, db):
    fields = api_schema(client)["components"]["schemas"]["Report"]["properties"]
    assert fields["description"]["nullable"] is True
    assert fields["duplicate_of"]["nullable"] is True


def test_a_report_awaiting_moderation_keeps_the_schema(client, district, categories):
    make_report()  # stays «на модерации»: no description yet
    (row,) = client.get(API).json()["results"]
    assert row["description"] is None and row["duplicate_of"] is None


@pytest.mark.parametrize(
    "name, refused",
    [("page", 0), ("page_size", 101), ("age", 36501), ("min_supports", -1)],
)
def test_the_list_declares_the_ranges_it_checks(client, db, name, refused):
    declared = query_parameters(api_schema(client), API)[name]
    assert declared["type"] == "integer"
    assert not declared["minimum"] <= refused <= declared["maximum"]
    assert refusal(client.get(API, {name: refused}))["field"] == name


@pytest.mark.parametrize("name", ["bbox", "id", "territory", "status", "since"])
def test_an_empty_or_malformed_pattern_value_is_outside_the_schema(client, db, name):
    pattern = query_parameters(api_schema(client), API)[name]["pattern"]
    for value in ("", ",", "²", "1,,2"):
        assert not re.search(pattern, value), (name, value)


def test_nearby_declares_a_category_of_at_least_one_visible_character(client, db):
    category = query_parameters(api_schema(client), f"{API}nearby/")["category"]
    assert category["minLength"] == 1 and not re.search(category["pattern"], "   ")
    response = client.get(f"{API}nearby/", {"lat": 52.5, "lon": 103.9, "category": ""})
    assert refusal(response)["field"] == "category"


def test_the_submission_declares_required_text_as_non_empty(client, db):
    fields = api_schema(client)["components"]["schemas"]["ReportSubmission"]
    assert fields["properties"]["category"]["minLength"] == 1
    assert fields["properties"]["description"]["minLength"] == 1


def test_each_layer_declares_its_own_filters(client, db):
    schema = api_schema(client)
    assert "/api/layers/{name}/" not in schema["paths"]
    for layer in layers.values():
        declared = query_parameters(schema, f"/api/layers/{layer.name}/")
        # A bounded layer's map answer takes the map's zoom too (geo/bounds.py).
        zoom = {"zoom"} if layer.bound else set()
        assert set(declared) == {"bbox", *(f.param for f in layer.filters), *zoom}
    grounds = query_parameters(schema, "/api/layers/grounds/")
    assert grounds["year"] == {"type": "integer", "minimum": 0, "maximum": 32767}
    assert re.fullmatch(grounds["kind"]["pattern"], "sport,playground")
    assert not re.search(grounds["kind"]["pattern"], "")
    reports = query_parameters(schema, "/api/layers/reports/")
    assert reports["age"] == query_parameters(schema, API)["age"]
    assert reports["zoom"] == {"type": "integer", "minimum": 0, "maximum": 22}


def test_a_single_feature_names_the_layers_of_the_catalogue(client, db):
    operation = api_schema(client)["paths"]["/api/layers/{name}/{id}/"]["get"]
    (name,) = [p for p in operation["parameters"] if p["name"] == "name"]
    assert name["schema"]["enum"] == sorted(layers)


@pytest.mark.parametrize("path", ["/api/nonexistent/", "/api/reports/1/nothing/"])
def test_an_unknown_api_address_is_a_json_404(client, db, path):
    assert refusal(client.get(path), 404)["field"] == "path"
