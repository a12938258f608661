"""Security headers (docs/security.md, "Headers"): a Content-Security-Policy without
inline script on every page, the basemap allowed as images, a Permissions-Policy,
and HSTS wherever https is enforced. Before, no page sent either policy, and the
admin's map widget and the API's Swagger UI started from inline scripts.
(tests/test_csp_browser.py checks in Chromium that the pages work under it.)"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from geo.headers import basemap_source
from territories.registry.models import Territory

from .conftest import utm_box
from .report_helpers import report_at

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).parent.parent
# A <script> element that would run: no src, and not a json_script data block.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>")
EVENT_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def policy(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    return {
        name: sources for name, *sources in (part.split() for part in header.split(";"))
    }


@pytest.fixture
def superuser_client():
    user = get_user_model().objects.create_superuser("chief", password="pw")
    client = Client()
    client.force_login(user)
    return client


def test_the_map_page_allows_no_inline_script_and_no_foreign_source(client):
    directives = policy(client.get("/"))
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "style-src-attr" not in directives


def test_images_may_come_from_the_configured_basemap(client, settings):
    assert "https://tile.openstreetmap.org" in policy(client.get("/"))["img-src"]
    settings.BASEMAP_URL = "https://{s}.tiles.angarsk.example/osm/{z}/{x}/{y}.png"
    sources = policy(client.get("/"))["img-src"]
    assert sources == ["'self'", "data:", "https://*.tiles.angarsk.example"]


@pytest.mark.parametrize(
    "url, source",
    [
        (
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "https://tile.openstreetmap.org",
        ),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://a{a-c}.b.example:8080/{z}/{x}/{y}", "http://*.b.example:8080"),
        ("/tiles/{z}/{x}/{y}.png", None),
    ],
)
def test_basemap_source(url, source):
    assert basemap_source(url) == source


def test_the_api_json_and_error_pages_carry_the_policy_too(client):
    for response in (client.get("/api/layers/"), client.get("/no-such-page/")):
        assert policy(response)["script-src"] == ["'self'"]


def test_djangos_debug_pages_work_in_make_dev(client, settings):
    settings.DEBUG = True
    assert "Content-Security-Policy" not in client.get("/no-such-page/")
    assert policy(client.get("/"))["script-src"] == ["'self'"]


def test_only_the_admin_may_use_inline_styles(superuser_client):
    directives = policy(superuser_client.get("/admin/"))
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["script-src"] == ["'self'"]


def test_permissions_policy_allows_our_own_geolocation_and_nothing_else(client):
    features = dict(
        item.split("=") for item in client.get("/")["Permissions-Policy"].split(", ")
    )
    assert features["geolocation"] == "(self)"
    for feature in ("camera", "microphone", "payment", "usb"):
        assert features[feature] == "()"


def assert_no_inline_script(response):
    assert response.status_code == 200, response
    html = response.content.decode()
    assert INLINE_SCRIPT.findall(html) == []
    assert EVENT_ATTRIBUTE.findall(html) == []


def test_no_page_of_ours_has_an_inline_script(client, superuser_client, district):
    report = report_at(0, 0, status="open")
    for path in ("/", f"/reports/{report.pk}/", "/api/docs/", "/accounts/login/"):
        assert_no_inline_script(client.get(path))
    for path in (
        "/",
        "/workspace/?status=",
        f"/workspace/reports/{report.pk}/",
        "/admin/",
        "/accounts/password/",
        "/accounts/password/done/",
    ):
        assert_no_inline_script(superuser_client.get(path))


def test_the_admin_map_widget_starts_from_a_static_script(superuser_client, district):
    territory = Territory.objects.create(
        district=district, name="Перекресток", geom=utm_box(0, 0, 500, 500)
    )
    path = f"/admin/territories/territory/{territory.pk}/change/"
    response = superuser_client.get(path)
    assert_no_inline_script(response)
    html = response.content.decode()
    assert 'data-options="id_geom_options"' in html
    assert '<script id="id_geom_options" type="application/json">' in html


def test_swagger_ui_script_is_served_as_a_file(client):
    page = client.get("/api/docs/").content.decode()
    (src,) = re.findall(r'<script src="(/api/docs/\?[^"]*script=[^"]*)"', page)
    script = client.get(src.replace("&amp;", "&"))
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in script.content


def production_hsts(**variables):
    """SECURE_HSTS_SECONDS as geo.settings.prod computes it in a fresh process."""
    env = {"SECRET_KEY": "Zq8-" + "x7Lp" * 12, "PATH": "/usr/bin:/bin", **variables}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)",
        ],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "geo.settings.prod", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_hsts_keeps_browsers_on_https_for_a_year_when_https_is_enforced():
    assert production_hsts() == ["True", str(365 * 24 * 3600)]
    assert production_hsts(SECURE_SSL_REDIRECT="0") == ["False", "0"]


def test_https_responses_carry_hsts(client, settings):
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/", headers={"x-forwarded-proto": "https"})
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
