"""Every error the site serves with DEBUG off is a friendly page in the request's
language, or JSON under the APIs; never a traceback."""

import pytest
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

import frontend.views
import geo.api.views

pytestmark = pytest.mark.django_db
SECRET = "секрет-из-трассировки"


def failing(*args, **kwargs):
    raise RuntimeError(SECRET)


@pytest.fixture
def crashing():
    """A client that gets the 500 response instead of the view's exception."""
    return Client(raise_request_exception=False)


def test_a_missing_page_is_a_friendly_404_in_russian(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert "Страница не найдена" in html
    assert "<code>/no-such-page/</code>" in html
    assert 'class="language-switch"' in html
    assert "Page not found" not in html


def test_a_missing_page_is_in_english_when_the_browser_asks(client):
    response = client.get("/no-such-page/", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Page not found" in html
    assert "Страница не найдена" not in html


def test_a_crashing_page_is_a_friendly_500_without_traceback(crashing, monkeypatch):
    monkeypatch.setattr(frontend.views, "map_config", failing)
    response = crashing.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Ошибка на сервере" in html
    for leak in (SECRET, "Traceback", "RuntimeError", "map_config"):
        assert leak not in html


def test_a_crashing_page_speaks_english_too(crashing, monkeypatch):
    monkeypatch.setattr(frontend.views, "map_config", failing)
    response = crashing.get("/", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    assert "Server error" in response.content.decode()


def test_the_500_page_renders_without_request_context_or_database(
    django_assert_num_queries,
):
    # As Django renders it: no request, no context processors; and the database
    # may be what failed.
    with django_assert_num_queries(0), translation.override("ru"):
        html = render_to_string("500.html")
    assert "Ошибка на сервере" in html
    assert "language-switch" not in html, "its form needs the request's CSRF token"


def test_an_unknown_api_address_is_json(client):
    response = client.get("/api/nonexistent/", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["field"] == "path"
    assert "/api/nonexistent/" in body["error"]
    assert body["error"].startswith("no such API address")


def test_a_crashing_api_view_answers_json(crashing, monkeypatch):
    monkeypatch.setattr(geo.api.views.layers, "statistics", failing)
    response = crashing.get("/api/layers/")
    assert response.status_code == 500
    assert response.json() == {
        "field": "server",
        "error": "внутренняя ошибка сервера; попробуйте ещё раз через несколько минут",
    }


def test_an_unknown_open311_address_is_an_open311_error_list(client):
    response = client.get("/open311/nonexistent")
    assert response.status_code == 404
    ((error,),) = [response.json()]
    assert error["code"] == 404
    assert "/open311/nonexistent" in error["description"]


def test_a_page_one_may_not_see_is_a_friendly_403(client):
    # Staff, but without the right to see background jobs in the admin.
    client.force_login(User.objects.create_user("clerk", is_staff=True))
    response = client.get("/admin/procrastinate/procrastinatejob/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Доступ закрыт" in html
    assert "403 Forbidden" not in html


def test_a_stale_form_is_a_friendly_403(client):
    guarded = Client(enforce_csrf_checks=True)
    response = guarded.post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Форма устарела" in html
    assert "CSRF" not in html


def test_a_request_for_another_host_is_a_friendly_400(client):
    response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Неверный запрос" in html
    assert "DisallowedHost" not in html
