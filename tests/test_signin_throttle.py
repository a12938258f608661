"""Sign-in throttling (issue #7: 25 wrong passwords went through /admin/login/, also
the workspace's sign-in; docs/architecture.md, "Limits"). After 5 failures for a
user name, or 20 from an address, within 15 minutes, every attempt is refused for 15
minutes, the right password too, and the form says until when.

Run alone: TEST_DATABASE_NAME=test_signin .venv/bin/pytest tests/test_signin_throttle.py
"""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client

from geo.signin import shown_time

from .clock import Clock

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/?next=/workspace/"
PASSWORD = "верный-пароль-2026"
WRONG_PASSWORD = "Пожалуйста, введите корректные имя пользователя и пароль"
LOCKED = "Слишком много неудачных попыток входа"


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def specialist(django_user_model):
    return django_user_model.objects.create_user(
        "specialist", password=PASSWORD, is_staff=True
    )


def sign_in(username, password, address="192.0.2.50", **headers):
    browser = Client(REMOTE_ADDR=address, headers=headers)
    response = browser.post(LOGIN, {"username": username, "password": password})
    signed_in = "_auth_user_id" in browser.session
    return response, signed_in


def page(response):
    assert response.status_code == 200, response
    return response.content.decode()


def test_wrong_passwords_lock_the_name_even_for_the_right_one(specialist, clock):
    answers = [page(sign_in("specialist", f"guess{n}")[0]) for n in range(25)]
    assert all(WRONG_PASSWORD in html for html in answers[:4])
    until = shown_time(clock.now + timedelta(minutes=15))
    assert all(LOCKED in html and until in html for html in answers[4:])
    clock.advance(minutes=14, seconds=59)
    response, signed_in = sign_in("specialist", PASSWORD)
    assert LOCKED in page(response) and not signed_in
    clock.advance(seconds=1)
    response, signed_in = sign_in("specialist", PASSWORD)
    assert signed_in and response["Location"] == "/workspace/"


def test_the_lockout_message_in_english(specialist):
    for _ in range(5):
        response, _in = sign_in("specialist", "guess", **{"Accept-Language": "en"})
    assert "Too many failed sign-in attempts" in page(response)


def test_the_name_is_locked_whatever_its_case_and_address(specialist):
    for n in range(5):
        sign_in("Specialist", "guess", address=f"192.0.2.{n}")
    response, signed_in = sign_in("specialist", PASSWORD, address="198.51.100.1")
    assert LOCKED in page(response) and not signed_in


def test_one_address_trying_many_names_is_locked(specialist):
    for n in range(20):
        sign_in(f"someone{n}", "guess")
    response, signed_in = sign_in("specialist", PASSWORD)
    assert LOCKED in page(response) and not signed_in
    _response, signed_in = sign_in("specialist", PASSWORD, address="198.51.100.1")
    assert signed_in


def test_a_success_clears_the_names_failures(specialist):
    for _ in range(4):
        sign_in("specialist", "guess")
    assert sign_in("specialist", PASSWORD)[1]
    for _ in range(4):
        sign_in("specialist", "guess")
    assert sign_in("specialist", PASSWORD)[1]


def test_failures_spread_beyond_the_window_do_not_lock(specialist, clock):
    for _ in range(5):
        sign_in("specialist", "guess")
        clock.advance(minutes=4)  # never 5 failures within 15 minutes
    assert sign_in("specialist", PASSWORD)[1]


def test_staff_can_end_a_lockout_at_once(specialist):
    for _ in range(5):
        sign_in("specialist", "guess")
    call_command("signin_unlock", "specialist", stdout=io.StringIO())
    assert sign_in("specialist", PASSWORD)[1]
