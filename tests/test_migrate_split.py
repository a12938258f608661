"""A database made before the domains got their own apps migrates forward with its
reports, their timeline, followers and photos, and the staff's rights over them."""

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from territories.reports.models import Follower, ProblemReport, ReportUpdate

from .conftest import utm_box, utm_point

BEFORE_SPLIT = [("territories", "0006_follower_confirmation"), ("reports", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    applied = [target for target in targets if target[1] is not None]
    return executor.loader.project_state(applied).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def old_apps(transactional_db):
    try:
        yield migrate(BEFORE_SPLIT)
    finally:
        migrate(latest())


def make_old_report(apps):
    district = apps.get_model("territories", "District").objects.create(
        name="Округ", geom=utm_box(-5000, -5000, 10000, 10000)
    )
    category = apps.get_model("territories", "Category").objects.create(
        code="pothole", name="Яма на дороге"
    )
    report = apps.get_model("territories", "ProblemReport").objects.create(
        category=category,
        description="Яма у третьего подъезда",
        status="open",
        geom=utm_point(10, 10),
        source="web",
    )
    apps.get_model("territories", "ReportUpdate").objects.create(
        report=report, status="open", role="specialist", comment="Приняли"
    )
    apps.get_model("territories", "Follower").objects.create(
        report=report, email="sosed@example.org", unsubscribe_token="t" * 43
    )
    return district, report


def test_reports_stay_with_their_timeline_and_followers(old_apps):
    _district, old = make_old_report(old_apps)

    migrate(latest())

    report = ProblemReport.objects.get(pk=old.pk)
    assert report.description == "Яма у третьего подъезда"
    assert report.category.code == "pothole"
    assert list(ReportUpdate.objects.filter(report=report).values_list("comment"))[
        -1
    ] == ("Приняли",)
    assert Follower.objects.get(report=report).email == "sosed@example.org"
    assert ProblemReport._meta.db_table == "reports_problemreport"


def test_staff_keep_their_rights_over_reports(old_apps):
    old_type, _new = ContentType.objects.get_or_create(
        app_label="territories", model="problemreport"
    )
    permission, _new = Permission.objects.get_or_create(
        codename="change_problemreport", content_type=old_type
    )
    specialist = User.objects.create_user("specialist", is_staff=True)
    specialist.user_permissions.add(permission)

    migrate(latest())

    specialist = User.objects.get(pk=specialist.pk)
    assert specialist.has_perm("reports.change_problemreport")
    assert ContentType.objects.get_for_model(ProblemReport).pk == old_type.pk


def test_the_reports_layer_keeps_its_change_time(old_apps):
    make_old_report(old_apps)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT changed_at FROM geo_layerstate "
            "WHERE \"table\" = 'territories_problemreport'"
        )
        (before,) = cursor.fetchone()

    migrate(latest())

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT changed_at FROM geo_layerstate "
            "WHERE \"table\" = 'reports_problemreport'"
        )
        assert cursor.fetchone() == (before,)
        # The trigger moved with the table: a new report touches the new row.
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
            "AND tgrelid = 'reports_problemreport'::regclass"
        )
        triggers = {name for (name,) in cursor.fetchall()}
        # Besides it, only the status counters' (reports migration 0004).
        assert triggers == {
            "reports_problemreport_touch_layer",
            "reports_count_inserted",
            "reports_count_updated",
            "reports_count_deleted",
            "reports_count_truncated",
        }
