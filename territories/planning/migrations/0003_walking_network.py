"""The walking network's tables and pgRouting (docs/domain.md, "Walking distance").

The edges are derived from the registry's ways and rebuilt by
`territories.planning.walking` whenever those change, so they are plain tables
rather than models: nothing but that module writes or reads them. pgRouting is
created only where the server has it and the account may create it; elsewhere the
walking method says it is unavailable."""

from django.conf import settings
from django.db import migrations

TABLES = f"""
CREATE TABLE planning_walk_edge (
    id bigint PRIMARY KEY,
    source bigint NOT NULL,
    target bigint NOT NULL,
    cost double precision NOT NULL CONSTRAINT planning_walk_edge_cost_positive
        CHECK (cost > 0),
    geom geometry(LineString, {settings.GIS_SRID}) NOT NULL
);
CREATE INDEX planning_walk_edge_geom_gist ON planning_walk_edge USING gist (geom);
CREATE TABLE planning_walk_network (
    id smallint PRIMARY KEY CONSTRAINT planning_walk_network_one_row CHECK (id = 1),
    built_from timestamptz,
    built_at timestamptz NOT NULL
);
"""

PGROUTING = """
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pgrouting') THEN
        CREATE EXTENSION IF NOT EXISTS pgrouting;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'pgRouting is installed but this account may not create it: '
        'walking distance stays unavailable until a superuser runs '
        'CREATE EXTENSION pgrouting';
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0002_default_norms"),
        ("territories", "0009_ways"),
    ]

    operations = [
        migrations.RunSQL(
            TABLES, "DROP TABLE planning_walk_edge; DROP TABLE planning_walk_network;"
        ),
        migrations.RunSQL(PGROUTING, "DROP EXTENSION IF EXISTS pgrouting;"),
    ]
