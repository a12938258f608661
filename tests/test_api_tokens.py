"""Scripts sign in with a token (docs/architecture.md, "Accounts and tokens"):
POST /api/auth/token/ exchanges an account's credentials for its token, through the
sign-in throttle; `Authorization: Token <key>` then works on every DRF endpoint that
reads accounts; an anonymous request where an account is needed, or a wrong token,
is a 401 with `WWW-Authenticate: Token`. Session writes keep the same-site check."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from territories.reports.models import ProblemReport, Support

from .report_helpers import make_places, make_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
TOKEN = "/api/auth/token/"
ME = "/api/auth/me/"
REPORTS = "/api/reports/"
PASSWORD = "пароль-председателя-2026"
WRONG = "неверное имя пользователя или пароль"
EVIL = "https://evil.example"


def ask_token(client, username, password, as_json=True, **headers):
    data = {"username": username, "password": password}
    if as_json:
        return client.post(TOKEN, json.dumps(data), "application/json", headers=headers)
    return client.post(TOKEN, data, headers=headers)


def refusal(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"field", "error"} and body["error"]
    return body


def with_token(key):
    return Client(headers={"authorization": f"Token {key}"})


@pytest.fixture
def chair(district):
    """The chair of the TOS around the centre, made by add_user."""
    territory, _yard, _building = make_places(district)
    call_command(
        "add_user",
        "predsedatel",
        "--role=chair",
        f"--territory={territory.name}",
        f"--password={PASSWORD}",
        stdout=io.StringIO(),
    )
    return territory.__class__.objects.get(pk=territory.pk).chair_user


# --- the token endpoint ------------------------------------------------------------


def test_good_credentials_get_the_accounts_token(client, chair):
    response = ask_token(client, "predsedatel", PASSWORD)
    assert response.status_code == 200, response.content
    assert response.json() == {"token": Token.objects.get(user=chair).key}
    again = ask_token(client, "predsedatel", PASSWORD, as_json=False)
    assert again.json() == response.json()


def test_a_wrong_password_is_refused_in_russian(client, chair):
    body = refusal(ask_token(client, "predsedatel", "угадал?"), 400)
    assert body == {"field": "password", "error": WRONG}
    assert not Token.objects.exists()


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(client, chair):
    unknown = refusal(ask_token(client, "nobody", PASSWORD), 400)
    wrong = refusal(ask_token(client, "predsedatel", "x"), 400)
    assert unknown == wrong == {"field": "password", "error": WRONG}


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "username"),
        ({"password": PASSWORD}, "username"),
        ({"username": "  ", "password": PASSWORD}, "username"),
        ({"username": "predsedatel"}, "password"),
        ({"username": "predsedatel", "password": ""}, "password"),
        ({"username": "predsedatel", "password": ["x"]}, "password"),
        ({"username": {"a": 1}, "password": PASSWORD}, "username"),
        ({"username": "pred\x00sedatel", "password": PASSWORD}, "username"),
        ({"username": "predsedatel", "password": "\ud800"}, "password"),
        ([1, 2], "body"),
    ],
)
def test_missing_or_unusable_fields_are_named(client, chair, body, field):
    response = client.post(TOKEN, json.dumps(body), "application/json")
    assert refusal(response, 400)["field"] == field
    assert not Token.objects.exists()


def test_a_locked_out_name_gets_no_token_even_with_the_right_password(client, chair):
    answers = [ask_token(client, "predsedatel", f"guess{n}") for n in range(5)]
    assert [a.status_code for a in answers] == [400, 400, 400, 400, 429]
    response = ask_token(client, "predsedatel", PASSWORD)
    body = refusal(response, 429)
    assert body["field"] == "username"
    assert "Слишком много неудачных попыток входа" in body["error"]
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60
    assert not Token.objects.exists()
    call_command("signin_unlock", "predsedatel", stdout=io.StringIO())
    assert ask_token(client, "predsedatel", PASSWORD).status_code == 200


def test_failures_on_the_sign_in_page_lock_the_token_too(client, chair):
    for n in range(5):
        Client().post("/accounts/login/", {"username": "predsedatel", "password": n})
    assert refusal(ask_token(client, "predsedatel", PASSWORD), 429)["field"] == (
        "username"
    )


def test_an_inactive_account_gets_no_token(client, chair):
    chair.is_active = False
    chair.save()
    assert refusal(ask_token(client, "predsedatel", PASSWORD), 400)["field"] == (
        "password"
    )


def test_another_sites_page_cannot_ask_for_a_token(client, chair):
    response = ask_token(client, "predsedatel", PASSWORD, origin=EVIL)
    assert refusal(response, 403)["field"] == "csrf"


# --- using the token -----------------------------------------------------------------


def test_a_chair_reopens_a_report_with_the_token(client, chair):
    report, _manage_token = make_report(status="fixed")
    key = ask_token(client, "predsedatel", PASSWORD).json()["token"]
    response = with_token(key).post(
        f"{REPORTS}{report.pk}/reopen/", {"comment": "Опять не горит"}
    )
    assert response.status_code == 200, response.content
    last = response.json()["updates"][-1]
    assert (last["status"], last["role_label"]) == ("open", "председатель ТОС")
    assert ProblemReport.objects.get(pk=report.pk).status == "open"


def test_without_the_token_the_same_request_is_refused(client, chair):
    report, _manage_token = make_report(status="fixed")
    response = client.post(f"{REPORTS}{report.pk}/reopen/")
    assert refusal(response, 403)["field"] == "token"  # no account, no reporter link
    assert ProblemReport.objects.get(pk=report.pk).status == "fixed"


def test_the_token_says_whose_account_it_is(client, chair):
    key = ask_token(client, "predsedatel", PASSWORD).json()["token"]
    response = with_token(key).get(ME)
    assert response.json() == {
        "username": "predsedatel",
        "roles": [{"code": "chair", "title": "председатель ТОС"}],
    }


def test_anonymous_where_an_account_is_needed_is_401_with_the_challenge(client, db):
    response = client.get(ME)
    assert refusal(response, 401)["field"] == "authorization"
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("path", [ME, REPORTS])
def test_a_wrong_token_is_401_with_the_challenge(db, path):
    response = with_token("0" * 40).get(path)
    assert refusal(response, 401)["field"] == "authorization"
    assert response["WWW-Authenticate"] == "Token"


def test_a_write_with_a_wrong_token_stores_nothing(district):
    report, _manage_token = make_report(status="open")
    response = with_token("0" * 40).post(f"{REPORTS}{report.pk}/support/")
    assert response.status_code == 401
    assert Support.objects.count() == 0


def test_an_inactive_accounts_token_stops_working(client, chair):
    key = ask_token(client, "predsedatel", PASSWORD).json()["token"]
    chair.is_active = False
    chair.save()
    assert with_token(key).get(ME).status_code == 401


def test_a_token_write_needs_no_csrf_token_and_no_same_site_page(client, chair):
    report, _manage_token = make_report(status="open")
    key = ask_token(client, "predsedatel", PASSWORD).json()["token"]
    script = Client(enforce_csrf_checks=True, headers={"authorization": f"Token {key}"})
    response = script.post(f"{REPORTS}{report.pk}/support/", headers={"origin": EVIL})
    assert response.json() == {"support_count": 1, "counted": True}
    assert Support.objects.get().user == chair


def test_session_writes_keep_the_same_site_check(chair, district):
    report, _manage_token = make_report(status="fixed")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(chair)
    url = f"{REPORTS}{report.pk}/reopen/"
    assert refusal(browser.post(url, headers={"origin": EVIL}), 403)["field"] == "csrf"
    # Same site, but a signed-in session must send the CSRF token too.
    response = browser.post(url, headers={"origin": "http://testserver"})
    assert refusal(response, 403)["field"] == "csrf"
    assert ProblemReport.objects.get(pk=report.pk).status == "fixed"
