"""Signed cookies can be trusted only as far as the key (docs/security.md, "Signing
key"). Production refuses a key others know; flash messages never come from a
cookie. Before, `make run` could sign with the development key from the repository,
and a `messages` cookie forged with it put raw HTML on a report page."""

import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory
from django.utils.safestring import mark_safe

from geo.secret_key import DEVELOPMENT_KEY, files_containing

from .report_helpers import report_at

ROOT = Path(__file__).parent.parent
INJECTED = '<img src=x id="injected" onerror="alert(1)">'


def start(settings_module, key):
    """A fresh process loading `settings_module` with SECRET_KEY=`key`, as gunicorn or
    manage.py would: (exit status, stderr)."""
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={
            "DJANGO_SETTINGS_MODULE": settings_module,
            "SECRET_KEY": key,
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
    )
    return result.returncode, result.stderr


@pytest.mark.parametrize(
    "settings_module, key, reason",
    [
        ("geo.settings.prod", DEVELOPMENT_KEY, "development key"),
        ("geo.settings.local", DEVELOPMENT_KEY, "development key"),  # make run
        ("geo.settings.prod", "django-insecure-" + "a1b2c3" * 9, "placeholder"),
        ("geo.settings.prod", "", "empty"),
    ],
)
def test_production_refuses_a_public_key(settings_module, key, reason):
    status, errors = start(settings_module, key)
    assert status != 0
    assert "ImproperlyConfigured: SECRET_KEY" in errors and reason in errors


def test_production_refuses_a_key_written_in_the_repository():
    # A key copied from a file of the checkout (here: this test's own constant).
    key = INJECTED
    status, errors = start("geo.settings.prod", key)
    assert status != 0
    assert "repository" in errors and "tests/test_signing_key.py" in errors


def test_production_starts_with_a_generated_key():
    assert start("geo.settings.prod", secrets.token_urlsafe(50)) == (0, "")


def test_the_key_search_skips_the_private_env_file_and_installed_packages(tmp_path):
    (tmp_path / ".env").write_text("SECRET_KEY=only-here-0123456789\n")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "x.py").write_text("only-here-0123456789")
    (tmp_path / "docs").mkdir()
    assert list(files_containing("only-here-0123456789", tmp_path)) == []
    (tmp_path / "docs" / "example.md").write_text("SECRET_KEY=only-here-0123456789")
    assert list(files_containing("only-here-0123456789", tmp_path)) == [
        "docs/example.md"
    ]


def forged_messages_cookie():
    """A `messages` cookie as CookieStorage signs it with this site's own key (the
    worst case: the key is known) holding a message marked safe HTML."""
    storage = CookieStorage(RequestFactory().get("/"))
    return storage._encode([Message(constants.ERROR, mark_safe(INJECTED))])


@pytest.mark.django_db
@pytest.mark.usefixtures("media")
def test_a_forged_messages_cookie_puts_nothing_on_a_report_page(client, district):
    report = report_at(0, 0, status="open")
    client.cookies["messages"] = forged_messages_cookie()
    html = client.get(f"/reports/{report.pk}/").content.decode()
    assert 'id="injected"' not in html and "&lt;img" not in html


@pytest.mark.django_db
@pytest.mark.usefixtures("media")
def test_a_forged_messages_cookie_puts_nothing_in_the_workspace(
    client, district, django_user_model
):
    staff = django_user_model.objects.create_user("s", password="pw", is_staff=True)
    client.force_login(staff)
    client.cookies["messages"] = forged_messages_cookie()
    html = client.get("/workspace/?status=").content.decode()
    assert 'id="injected"' not in html and "&lt;img" not in html


@pytest.mark.django_db
@pytest.mark.usefixtures("media")
def test_flash_messages_still_reach_the_page_through_the_session(client, district):
    report = report_at(0, 0, status="open")
    response = client.post(f"/reports/{report.pk}/support/", follow=True)
    assert "Спасибо, ваш голос учтён." in response.content.decode()
    assert "messages" not in response.cookies


@pytest.mark.django_db
def test_the_open311_key_message_keeps_its_markup_and_escapes_the_name(
    client, django_user_model
):
    # format_html on purpose (reports/admin.py): the key in <code>, the name escaped;
    # the session keeps a message's safe mark, a cookie can no longer forge one.
    client.force_login(django_user_model.objects.create_superuser("root", password="p"))
    response = client.post(
        "/admin/reports/open311key/add/",
        {"name": "<b>портал</b>", "hourly_quota": 10, "active": "on"},
        follow=True,
    )
    html = response.content.decode()
    assert "Ключ для «&lt;b&gt;портал&lt;/b&gt;»: <code>" in html
