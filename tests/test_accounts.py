"""Accounts (docs/domain.md, "Roles"; docs/architecture.md, "Accounts and tokens"):
`manage.py add_user` makes an account with its roles and TOS and can be run again;
the site's own sign-in, sign-out and password change pages, in Russian, with the
account and its roles in the header; `next` never leads to another site."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client

from territories.accounts.roles import GROUP_NAMES, Role
from territories.registry.models import Territory

pytestmark = pytest.mark.django_db
PASSWORD = "длинный-пароль-2026"
LOGIN = "/accounts/login/"
LOCKED = "Слишком много неудачных попыток входа"


def add_user(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("add_user", *args, stdout=out, stderr=err)
    return out.getvalue()


def account(username="ivanova"):
    return get_user_model().objects.get(username=username)


def groups_of(user):
    return set(user.groups.values_list("name", flat=True))


def signed_in(client):
    return "_auth_user_id" in client.session


# --- add_user -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, staff, superuser",
    [
        ("resident", False, False),
        ("chair", False, False),
        ("initiative", False, False),
        ("specialist", True, False),
        ("planner", False, False),
        ("admin", True, True),
    ],
)
def test_add_user_makes_an_account_with_its_role(role, staff, superuser):
    add_user("ivanova", f"--role={role}", f"--password={PASSWORD}", "--email=i@ex.org")
    user = account()
    assert groups_of(user) == {GROUP_NAMES[Role(role)]}
    assert (user.is_staff, user.is_superuser) == (staff, superuser)
    assert user.check_password(PASSWORD) and user.email == "i@ex.org"
    assert Client().login(username="ivanova", password=PASSWORD)


def test_a_chair_chairs_the_territories_named(tos, other_tos):
    add_user(
        "ivanova",
        "--role=chair",
        "--territory=Перекресток",
        "--territory=Старица",
        f"--password={PASSWORD}",
    )
    assert set(account().chaired_territories.all()) == {tos, other_tos}


def test_a_new_chair_replaces_the_old_one_and_says_so(tos):
    add_user("ivanova", "--role=chair", "--territory=Перекресток", "--password=p")
    out = add_user("petrov", "--role=chair", "--territory=Перекресток", "--password=p")
    tos.refresh_from_db()
    assert tos.chair_user == account("petrov")
    assert "вместо ivanova" in out


def test_an_initiative_member_joins_the_group(tos, other_tos):
    add_user("ivanova", "--role=initiative", "--territory=Старица", "--password=p")
    assert list(other_tos.initiative_group.all()) == [account()]
    assert not tos.initiative_group.exists()
    assert tos.chair_user is None


def test_running_it_again_changes_nothing(tos):
    args = ["ivanova", "--role=chair", "--territory=Перекресток", "--password=p"]
    add_user(*args, "--email=i@ex.org")
    before = get_user_model().objects.values().get(username="ivanova")
    out = add_user(*args, "--email=i@ex.org")
    assert out.strip() == "ivanova: без изменений"
    assert get_user_model().objects.values().get(username="ivanova") == before
    assert groups_of(account()) == {GROUP_NAMES[Role.CHAIR]}


def test_another_role_is_added_to_those_held(tos):
    add_user("ivanova", "--role=initiative", "--territory=Перекресток", "--password=p")
    add_user("ivanova", "--role=planner")
    user = account()
    assert groups_of(user) == {GROUP_NAMES[Role.INITIATIVE], GROUP_NAMES[Role.PLANNER]}
    assert user.check_password("p")  # no --password: the password stays
    assert list(tos.initiative_group.all()) == [user]


def test_a_new_password_replaces_the_old(db):
    add_user("ivanova", "--role=resident", "--password=old")
    out = add_user("ivanova", "--role=resident", "--password=new")
    assert account().check_password("new") and "пароль изменён" in out


def test_an_unknown_territory_is_named_with_the_known_ones(tos, other_tos):
    with pytest.raises(CommandError) as refused:
        add_user("ivanova", "--role=chair", "--territory=Уезд", "--password=p")
    assert str(refused.value) == (
        "territory: нет ТОС «Уезд»; есть: Перекресток, Старица"
    )
    assert not get_user_model().objects.filter(username="ivanova").exists()


@pytest.mark.parametrize("role", ["resident", "specialist", "planner", "admin"])
def test_territory_is_refused_for_roles_without_territories(tos, role):
    with pytest.raises(CommandError, match="territory: ТОС указывают только"):
        add_user("ivanova", f"--role={role}", "--territory=Перекресток", "--password=p")
    assert not get_user_model().objects.filter(username="ivanova").exists()
    assert Territory.objects.get(pk=tos.pk).chair_user is None


@pytest.mark.parametrize(
    "args, message",
    [
        (["--password="], "password: пароль не может быть пустым"),
        ([], "password: новой учётной записи нужен пароль"),
        (["--password=p", "--email=nope"], "email: неверный адрес e-mail: nope"),
    ],
)
def test_refusals_leave_no_account(db, args, message):
    with pytest.raises(CommandError) as refused:
        add_user("ivanova", "--role=resident", *args)
    assert str(refused.value) == message
    assert not get_user_model().objects.filter(username="ivanova").exists()


def test_an_empty_password_is_refused_for_an_existing_account_too(db):
    add_user("ivanova", "--role=resident", "--password=p")
    with pytest.raises(CommandError, match="пароль не может быть пустым"):
        add_user("ivanova", "--role=resident", "--password=")
    assert account().check_password("p")


def test_an_unknown_role_is_refused(db):
    with pytest.raises(CommandError, match="--role"):
        add_user("ivanova", "--role=mayor", "--password=p")


def test_the_role_groups_exist_once_each(db):
    add_user("ivanova", "--role=admin", "--password=p")
    assert Group.objects.filter(name__in=GROUP_NAMES.values()).count() == len(Role)


# --- sign-in -------------------------------------------------------------------------


@pytest.fixture
def chair(tos):
    add_user(
        "ivanova", "--role=chair", "--territory=Перекресток", f"--password={PASSWORD}"
    )
    return account()


def test_the_sign_in_page_is_russian(client, db):
    html = client.get(LOGIN).content.decode()
    assert "<h2>Вход</h2>" in html
    assert 'name="username"' in html and 'name="password"' in html
    assert "Имя пользователя" in html and "Пароль" in html


def test_the_sign_in_page_in_english(client, db):
    html = client.get(LOGIN, headers={"accept-language": "en"}).content.decode()
    assert "<h2>Sign in</h2>" in html


def test_signing_in_follows_next_on_this_site(client, chair):
    response = client.post(
        LOGIN, {"username": "ivanova", "password": PASSWORD, "next": "/reports/1/"}
    )
    assert response.status_code == 302 and response["Location"] == "/reports/1/"
    assert signed_in(client)


def test_without_next_signing_in_leads_to_the_map(client, chair):
    response = client.post(LOGIN, {"username": "ivanova", "password": PASSWORD})
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://testserver.evil.example/",
        "/\\evil.example/",
        "https:evil.example",
    ],
)
def test_next_never_leads_to_another_site(client, chair, target):
    form = client.get(LOGIN, {"next": target}).content.decode()
    assert 'name="next" value=""' in form
    data = {"username": "ivanova", "password": PASSWORD, "next": target}
    response = client.post(f"{LOGIN}?next={target}", data)
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in(client)


def test_a_wrong_password_is_said_in_russian(client, chair):
    response = client.post(LOGIN, {"username": "ivanova", "password": "x"})
    assert response.status_code == 200 and not signed_in(client)
    assert "Пожалуйста, введите правильные имя пользователя и пароль" in (
        response.content.decode()
    )


def test_the_sign_in_page_says_until_when_a_lockout_runs(client, chair):
    for n in range(5):
        response = client.post(LOGIN, {"username": "ivanova", "password": str(n)})
    assert LOCKED in response.content.decode()
    response = client.post(LOGIN, {"username": "ivanova", "password": PASSWORD})
    assert LOCKED in response.content.decode() and not signed_in(client)


def test_a_non_staff_account_is_sent_from_the_workspace_to_sign_in(client, chair):
    client.force_login(chair)
    response = client.get("/workspace/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/workspace/"
    assert "Вы вошли как ivanova" in response.content.decode()


def test_a_specialist_signs_in_to_the_workspace(client, db):
    add_user("clerk", "--role=specialist", f"--password={PASSWORD}")
    data = {"username": "clerk", "password": PASSWORD, "next": "/workspace/"}
    response = client.post(LOGIN, data)
    assert response["Location"] == "/workspace/"
    assert client.get("/workspace/?status=").status_code == 200


# --- the header, sign-out ------------------------------------------------------------


def test_the_header_offers_sign_in_to_anonymous_visitors(client, db):
    html = client.get("/").content.decode()
    assert '<a href="/accounts/login/?next=/">Войти</a>' in html
    assert "/accounts/logout/" not in html


def test_the_header_shows_the_account_and_its_roles(client, chair):
    add_user("ivanova", "--role=planner")
    client.force_login(chair)
    html = client.get("/").content.decode()
    assert '<span class="site-account-name">ivanova</span>' in html
    assert (
        '<span class="site-account-roles">председатель ТОС, планировщик</span>' in html
    )
    assert '<a href="/accounts/password/">Сменить пароль</a>' in html
    assert 'action="/accounts/logout/" method="post"' in html
    assert "Войти" not in html


def test_signing_out_is_a_post(client, chair):
    client.force_login(chair)
    assert client.get("/accounts/logout/").status_code == 405
    assert signed_in(client)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert not signed_in(client)


def test_signing_out_needs_the_csrf_token(chair):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(chair)
    assert browser.post("/accounts/logout/").status_code == 403
    assert signed_in(browser)
    browser.get("/")
    token = browser.cookies["csrftoken"].value
    browser.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert not signed_in(browser)


# --- password change -----------------------------------------------------------------


def test_changing_the_password_needs_an_account(client, db):
    response = client.get("/accounts/password/")
    assert response["Location"] == "/accounts/login/?next=/accounts/password/"


def test_the_password_change_page_is_russian(client, chair):
    client.force_login(chair)
    html = client.get("/accounts/password/").content.decode()
    assert "<h2>Смена пароля</h2>" in html
    assert "Старый пароль" in html and "Новый пароль" in html


def test_changing_the_password(client, chair):
    client.force_login(chair)
    new = "другой-длинный-пароль-7"
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == "/accounts/password/done/"
    assert account().check_password(new)
    assert signed_in(client)  # the session survives its own password change
    html = client.get(response["Location"]).content.decode()
    assert "<h2>Пароль изменён</h2>" in html


def test_a_weak_new_password_is_refused(client, chair):
    client.force_login(chair)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert response.status_code == 200
    assert "Введённый пароль слишком короткий" in response.content.decode()
    assert account().check_password(PASSWORD)


def test_guessing_the_old_password_locks_the_account(client, chair):
    client.force_login(chair)
    new = "другой-длинный-пароль-7"
    for n in range(5):
        response = client.post(
            "/accounts/password/",
            {"old_password": str(n), "new_password1": new, "new_password2": new},
        )
    assert LOCKED in response.content.decode()
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert LOCKED in response.content.decode()
    assert account().check_password(PASSWORD)
