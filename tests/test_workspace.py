"""The specialists' workspace: staff only, filters, bulk changes (all or nothing),
a report's card, the meeting agenda; the admin's Open311 keys."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from territories.reports.models import (
    Follower,
    Open311Key,
    ProblemReport,
    ReportUpdate,
    ResponseTemplate,
    token_hash,
)

from .jobs import JOBS, jobs, run_jobs
from .report_helpers import image_bytes, report_at, upload

pytestmark = pytest.mark.usefixtures("media")
QUEUE = "/workspace/"


@pytest.fixture
def specialist(django_user_model):
    return django_user_model.objects.create_user(
        "specialist", password="pw", is_staff=True
    )


@pytest.fixture
def staff(client, specialist):
    client.force_login(specialist)
    return client


@pytest.fixture
def template():
    return ResponseTemplate.objects.create(
        title="Передано в УК",
        status="in_progress",
        text="Передали в управляющую компанию.",
    )


def listed(response):
    """Numbers of the reports in the queue's table."""
    return sorted(
        int(pk)
        for pk in re.findall(r'name="reports" value="(\d+)"', response.content.decode())
    )


# --- who may enter -----------------------------------------------------------------


@pytest.mark.parametrize("path", [QUEUE, "/workspace/reports/1/", "/workspace/agenda/"])
def test_anonymous_is_sent_to_the_sites_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/workspace/")


def test_resident_without_staff_flag_is_not_let_in(client, django_user_model, district):
    report = report_at()
    client.force_login(django_user_model.objects.create_user("resident", password="pw"))
    for path in (QUEUE + "?status=", f"/workspace/reports/{report.pk}/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/workspace/")
    response = client.post(
        QUEUE + "?status=", {"reports": [report.pk], "status": "hidden"}
    )
    assert response.status_code == 302
    assert ProblemReport.objects.get(pk=report.pk).status == "open"


# --- the queue -----------------------------------------------------------------------


def test_landing_page_is_the_moderation_queue(staff, district):
    waiting = report_at(status="moderation")
    report_at(status="open")
    response = staff.get(QUEUE)
    assert response.status_code == 302
    response = staff.get(response["Location"])
    assert listed(response) == [waiting.pk]


def test_counts_per_status(staff, district):
    for status in ("moderation", "moderation", "open", "fixed"):
        report_at(status=status)
    html = staff.get(QUEUE + "?status=").content.decode()
    counts = dict(re.findall(r'data-status="(\w+)">(\d+)<', html))
    assert counts["moderation"] == "2"
    assert counts["open"] == "1"
    assert counts["fixed"] == "1"
    assert counts["hidden"] == "0"
    assert 'href="?status="' in html  # «все» stays «все», not the moderation queue


def test_filters_by_territory_category_and_status(staff, tos, other_tos):
    inside = report_at(100, 100, category="lighting")
    report_at(100, 100, category="yard")
    report_at(2100, 100, category="lighting")
    report_at(150, 150, category="lighting", status="fixed")
    url = f"{QUEUE}?territory={tos.pk}&category={inside.category.code}&status=open"
    assert listed(staff.get(url)) == [inside.pk]


def test_filters_by_age_and_supports(staff, district):
    old, new, supported = report_at(), report_at(), report_at()
    ProblemReport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    ProblemReport.objects.filter(pk=supported.pk).update(support_count=7)
    assert listed(staff.get(QUEUE + "?status=&older_than=30")) == [old.pk]
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert listed(staff.get(f"{QUEUE}?status=&since={since}")) == sorted(
        [new.pk, supported.pk]
    )
    assert listed(staff.get(QUEUE + "?status=&min_supports=5")) == [supported.pk]


def test_sorts_by_supports(staff, district):
    reports = [report_at() for _ in range(3)]
    for supports, report in zip((2, 9, 5), reports, strict=True):
        ProblemReport.objects.filter(pk=report.pk).update(support_count=supports)
    html = staff.get(QUEUE + "?status=&sort=supports").content.decode()
    order = [int(pk) for pk in re.findall(r'name="reports" value="(\d+)"', html)]
    assert order == [reports[1].pk, reports[2].pk, reports[0].pk]


def test_invalid_filter_is_named_and_ignored(staff, district):
    report = report_at()
    response = staff.get(QUEUE + "?status=&older_than=many")
    assert response.status_code == 200
    assert listed(response) == [report.pk]
    assert "старше, дней" in response.content.decode()


def test_queue_pages_by_50_with_a_fixed_number_of_queries(staff, district):
    for _ in range(3):
        report_at(photos=[upload(image_bytes())])
    with CaptureQueriesContext(connection) as few:
        staff.get(QUEUE + "?status=")
    for _ in range(60):
        report_at()
    with CaptureQueriesContext(connection) as many:
        response = staff.get(QUEUE + "?status=")
    assert len(listed(response)) == 50
    assert len(many) == len(few)
    page2 = staff.get(QUEUE + "?status=&page=2")
    assert len(listed(page2)) == 13


# --- bulk status changes -----------------------------------------------------------


def test_bulk_change_applies_template_text_to_every_report(
    staff, specialist, template, district
):
    first, second = report_at(), report_at()
    response = staff.post(
        QUEUE + "?status=open",
        {
            "reports": [first.pk, second.pk],
            "status": "in_progress",
            "template": template.pk,
            "comment": "",
        },
    )
    assert response.status_code == 302
    for report in (first, second):
        report.refresh_from_db()
        assert report.status == "in_progress"
        last = report.updates.last()
        assert last.comment == template.text
        assert last.author == specialist
        assert last.role == ReportUpdate.Role.SPECIALIST
        assert last.previous_status == "open"
    messages = [str(m) for m in staff.get(response["Location"]).context["messages"]]
    assert any("2" in m for m in messages)


def test_bulk_change_uses_the_edited_template_text(staff, template, district):
    report = report_at()
    staff.post(
        QUEUE + "?status=open",
        {
            "reports": [report.pk],
            "status": "in_progress",
            "template": template.pk,
            "comment": "Передали в УК «Центр», срок — неделя.",
        },
    )
    assert report.updates.last().comment == "Передали в УК «Центр», срок — неделя."


def test_forbidden_transition_is_named_per_row_and_nothing_is_applied(
    staff, district, mailoutbox
):
    good = report_at(status="open", email="good@example.org")
    waiting = report_at(status="moderation")
    fixed = report_at(status="fixed")
    before = ReportUpdate.objects.count()
    mail_jobs = jobs("reports.mail_update").count()  # of moving them here
    response = staff.post(
        QUEUE + "?status=",
        {"reports": [good.pk, waiting.pk, fixed.pk], "status": "in_progress"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ничего не изменено" in html
    refused = re.findall(r'<li data-report="(\d+)">([^<]*)</li>', html)
    assert sorted(int(pk) for pk, _ in refused) == sorted([waiting.pk, fixed.pk])
    assert all("нельзя перейти" in text for _, text in refused)
    statuses = dict(ProblemReport.objects.values_list("pk", "status"))
    assert statuses == {good.pk: "open", waiting.pk: "moderation", fixed.pk: "fixed"}
    assert ReportUpdate.objects.count() == before
    assert jobs("reports.mail_update").count() == mail_jobs, "no mail of it queued"
    assert mailoutbox == []
    # The selection and the text survive, to correct and send again.
    assert f'name="reports" value="{good.pk}" aria-label="№{good.pk}" checked' in html


def test_bulk_without_selection_says_so(staff, district):
    report_at()
    response = staff.post(QUEUE + "?status=", {"status": "in_progress"})
    assert response.status_code == 200
    assert "отметьте хотя бы одно сообщение" in response.content.decode()


# --- a report's card ---------------------------------------------------------------


def test_card_shows_contacts_and_the_status_form(staff, district):
    report = report_at(
        name="Мария Иванова", email="maria@example.org", phone="+7 902 000-00-00"
    )
    html = staff.get(f"/workspace/reports/{report.pk}/").content.decode()
    for text in ("Мария Иванова", "maria@example.org", "+7 902 000-00-00"):
        assert text in html
    assert '<select name="status"' in html
    assert '<textarea name="comment"' in html
    assert 'name="duplicate_of"' in html
    assert "Сохранить</button>" in html


def test_card_escapes_residents_text(staff, district):
    report = report_at(description="<script>alert(1)</script>", name="<b>x</b>")
    html = staff.get(f"/workspace/reports/{report.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>x</b>" not in html


@JOBS
@pytest.mark.usefixtures("categories")
def test_card_changes_status_and_mails_the_followers(
    staff, specialist, district, mailoutbox
):
    report = report_at(status="moderation", email="reporter@example.org")
    Follower.objects.create(
        report=report, email="neighbour@example.org", confirmed_at=timezone.now()
    )
    response = staff.post(
        f"/workspace/reports/{report.pk}/",
        {"status": "open", "comment": "Опубликовано"},
    )
    run_jobs()
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "open"
    assert report.updates.last().comment == "Опубликовано"
    assert sorted(m.to[0] for m in mailoutbox) == [
        "neighbour@example.org",
        "reporter@example.org",
    ]
    assert "открыто" in mailoutbox[0].subject
    html = staff.get(f"/workspace/reports/{report.pk}/").content.decode()
    assert "Опубликовано" in html


def test_card_duplicate_needs_the_original(staff, district):
    original, copy = report_at(), report_at()
    response = staff.post(f"/workspace/reports/{copy.pk}/", {"status": "duplicate"})
    assert response.status_code == 200
    assert "укажите исходное сообщение" in response.content.decode()
    copy.refresh_from_db()
    assert copy.status == "open"
    response = staff.post(
        f"/workspace/reports/{copy.pk}/",
        {"status": "duplicate", "duplicate_of": original.pk},
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert (copy.status, copy.duplicate_of_id) == ("duplicate", original.pk)


def test_card_refuses_a_transition_the_workflow_does_not_allow(staff, district):
    report = report_at(status="fixed")
    response = staff.post(f"/workspace/reports/{report.pk}/", {"status": "in_progress"})
    assert response.status_code == 200
    assert "нельзя перейти" in response.content.decode()
    assert ProblemReport.objects.get(pk=report.pk).status == "fixed"


# --- the meeting agenda ------------------------------------------------------------


def test_agenda_lists_the_chosen_reports_of_the_tos(staff, tos, other_tos):
    first = report_at(100, 100, description="Нет освещения у дома 5")
    second = report_at(
        200, 200, description="Яма во дворе", photos=[upload(image_bytes())]
    )
    not_chosen = report_at(300, 300, description="Не выбрано")
    elsewhere = report_at(2100, 100, description="Другой ТОС")
    ProblemReport.objects.filter(pk=second.pk).update(support_count=4)
    url = (
        f"/workspace/agenda/?territory={tos.pk}&report={second.pk}"
        f"&report={first.pk}&report={elsewhere.pk}"
    )
    response = staff.get(url)
    html = response.content.decode()
    assert "Повестка встречи с администрацией" in html
    assert "ТОС «Перекресток»" in html
    rows = re.findall(r'class="ws-agenda-item" data-report="(\d+)"', html)
    assert rows == [str(second.pk), str(first.pk)]  # in the order chosen
    assert "Яма во дворе" in html and "Нет освещения у дома 5" in html
    assert "Другой ТОС" not in html
    assert f"№{elsewhere.pk}" in html  # named as not belonging to the TOS
    agenda = response.context["chosen"]
    assert agenda[0][0].photo_count == 1 and agenda[0][0].support_count == 4
    assert not_chosen.pk in {r.pk for r in response.context["candidates"]}


def test_agenda_has_print_styles(staff, tos):
    html = staff.get(f"/workspace/agenda/?territory={tos.pk}").content.decode()
    assert "workspace/workspace.css" in html
    from django.contrib.staticfiles import finders

    css = open(finders.find("workspace/workspace.css"), encoding="utf-8").read()
    assert "@media print" in css


def test_agenda_without_territory_asks_for_one(staff, db):
    response = staff.get("/workspace/agenda/?report=abc")
    assert response.status_code == 200
    assert "ws-agenda-item" not in response.content.decode()


# --- admin -------------------------------------------------------------------------


@pytest.fixture
def admin_client_(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", password="pw")
    client.force_login(user)
    return client


def test_admin_issues_an_open311_key_once_and_keeps_only_its_hash(admin_client_):
    response = admin_client_.post(
        "/admin/reports/open311key/add/",
        {"name": "Городской портал", "hourly_quota": 1200, "active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    found = [re.search(r"<code>([\w-]+)</code>", m) for m in messages]
    plain = next(m.group(1) for m in found if m)
    key = Open311Key.objects.get(name="Городской портал")
    assert key.hourly_quota == 1200
    assert key.key_hash == token_hash(plain) and plain not in key.key_hash
    assert key.prefix == plain[:8]
    assert Open311Key.find(plain) == key
    again = admin_client_.get(f"/admin/reports/open311key/{key.pk}/change/")
    assert plain not in again.content.decode()
    assert plain not in admin_client_.get("/admin/reports/open311key/").content.decode()


def test_admin_report_pages_render(admin_client_, district):
    report = report_at(photos=[upload(image_bytes())])
    assert admin_client_.get("/admin/reports/problemreport/").status_code == 200
    response = admin_client_.get(
        "/admin/reports/problemreport/?status__exact=open&q=Яма"
    )
    assert response.status_code == 200
    page = admin_client_.get(f"/admin/reports/problemreport/{report.pk}/change/")
    assert page.status_code == 200
    for path in ("category", "responsetemplate", "follower", "responsiblebody"):
        assert admin_client_.get(f"/admin/reports/{path}/").status_code == 200


def test_admin_refuses_malformed_category_questions(admin_client_, db):
    from territories.reports.models import Category

    category = Category.objects.get(code="snow")
    response = admin_client_.post(
        f"/admin/reports/category/{category.pk}/change/",
        {
            "code": "snow",
            "name": "снег и наледь",
            "questions": '[{"code": "where", "label": "Где", "datatype": "color"}]',
            "order": 6,
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "datatype" in response.content.decode()
    category.refresh_from_db()
    assert category.questions[0]["datatype"] == "singlevaluelist"
