"""Indexes for the orders of the report lists (id last, for keyset cursors), and
`reports_status_count`: how many reports have each status, kept exact by triggers
on the reports table (docs/architecture.md, "Long lists: keyset pages and counts").

The triggers are statement-level with transition tables, so a bulk status change
adds one delta per status, not one per row; they upsert, so a counter row that is
missing (an emptied table) comes back. Two writers of the same status queue on its
counter row, which is what keeps the count exact."""

from django.conf import settings
from django.db import migrations, models

COUNTERS = """
CREATE FUNCTION reports_add_to_status(code varchar, n bigint) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO reports_status_count (status, reports) VALUES (code, n)
    ON CONFLICT (status)
    DO UPDATE SET reports = reports_status_count.reports + EXCLUDED.reports;
$$;

-- Each branch reads only the transition tables its event has. The deltas go in
-- status order, so two statements lock the counter rows in one order.
CREATE FUNCTION reports_count_statuses() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    delta record;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM reports_status_count;
    ELSIF TG_OP = 'INSERT' THEN
        FOR delta IN
            SELECT status, count(*) AS n FROM new_rows GROUP BY status ORDER BY status
        LOOP
            PERFORM reports_add_to_status(delta.status, delta.n);
        END LOOP;
    ELSIF TG_OP = 'DELETE' THEN
        FOR delta IN
            SELECT status, -count(*) AS n FROM old_rows GROUP BY status ORDER BY status
        LOOP
            PERFORM reports_add_to_status(delta.status, delta.n);
        END LOOP;
    ELSE
        FOR delta IN
            SELECT status, sum(n) AS n FROM (
                SELECT status, 1 AS n FROM new_rows
                UNION ALL
                SELECT status, -1 AS n FROM old_rows
            ) AS changes
            GROUP BY status HAVING sum(n) <> 0 ORDER BY status
        LOOP
            PERFORM reports_add_to_status(delta.status, delta.n);
        END LOOP;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER reports_count_inserted AFTER INSERT ON reports_problemreport
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_count_statuses();
CREATE TRIGGER reports_count_updated AFTER UPDATE ON reports_problemreport
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_count_statuses();
CREATE TRIGGER reports_count_deleted AFTER DELETE ON reports_problemreport
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_count_statuses();
CREATE TRIGGER reports_count_truncated AFTER TRUNCATE ON reports_problemreport
    FOR EACH STATEMENT EXECUTE FUNCTION reports_count_statuses();

-- No report may change while the counters are filled from the table.
LOCK TABLE reports_problemreport IN SHARE MODE;
INSERT INTO reports_status_count (status, reports)
SELECT status, count(*) FROM reports_problemreport GROUP BY status;
"""

DROP_COUNTERS = """
DROP TRIGGER reports_count_inserted ON reports_problemreport;
DROP TRIGGER reports_count_updated ON reports_problemreport;
DROP TRIGGER reports_count_deleted ON reports_problemreport;
DROP TRIGGER reports_count_truncated ON reports_problemreport;
DROP FUNCTION reports_count_statuses();
DROP FUNCTION reports_add_to_status(varchar, bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_follow_territory_boundaries"),
        ("territories", "0010_council_members"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StatusCount",
            fields=[
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("moderation", "на модерации"),
                            ("open", "открыто"),
                            ("in_progress", "в работе"),
                            ("planned", "запланировано"),
                            ("fixed", "решено"),
                            ("closed", "закрыто без решения"),
                            ("duplicate", "дубликат"),
                            ("not_responsible", "не в компетенции"),
                            ("hidden", "скрыто"),
                        ],
                        max_length=16,
                        primary_key=True,
                        serialize=False,
                        verbose_name="статус",
                    ),
                ),
                (
                    "reports",
                    models.BigIntegerField(default=0, verbose_name="сообщений"),
                ),
            ],
            options={
                "verbose_name": "сообщений в статусе",
                "verbose_name_plural": "сообщений по статусам",
                "db_table": "reports_status_count",
            },
        ),
        migrations.AlterField(
            model_name="problemreport",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="создано"),
        ),
        migrations.AddIndex(
            model_name="problemreport",
            index=models.Index(fields=["-created_at", "-id"], name="report_created"),
        ),
        migrations.AddIndex(
            model_name="problemreport",
            index=models.Index(
                fields=["-support_count", "-created_at", "-id"], name="report_supports"
            ),
        ),
        migrations.AddIndex(
            model_name="problemreport",
            index=models.Index(
                fields=["status", "-created_at", "-id"], name="report_status_created"
            ),
        ),
        migrations.AddIndex(
            model_name="problemreport",
            index=models.Index(
                fields=["status", "-support_count", "-created_at", "-id"],
                name="report_status_supports",
            ),
        ),
        migrations.RunSQL(COUNTERS, reverse_sql=DROP_COUNTERS),
    ]
