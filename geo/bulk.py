"""Bulk writes of features keyed by their OpenStreetMap id.

Rows are COPYed into a temporary table and merged with one INSERT … ON CONFLICT: the
ORM's bulk_create cannot name the partial unique index on `osm_id` (NULLs allowed),
and bulk_update writes one CASE per row and field, minutes for a city. Geometry the
database itself finds invalid is refused row by row, with PostGIS's reason, before the
merge, so the validity constraint never aborts an import."""

from itertools import count

from django.db import connection

_staging_names = count()


def upsert_by_osm_id(model, rows, progress=None):
    """Write `rows` ({osm_id: {field name: value}}, the same fields in each; `geom` as
    hex EWKB) into the table of `model`, a `geo.models.GeoFeature`, updating the rows
    with the same osm_id when something in them changed. Returns (created, updated,
    unchanged, {osm_id: why the database refused its geometry}).
    `progress(iterable)` may wrap the loop over the rows."""
    if not rows:
        return 0, 0, 0, {}
    names = list(next(iter(rows.values())))
    columns = ["osm_id", *(model._meta.get_field(name).column for name in names)]
    table = connection.ops.quote_name(model._meta.db_table)
    staging = connection.ops.quote_name(f"osm_upsert_{next(_staging_names)}")
    with connection.cursor() as cursor:
        _stage(cursor, table, staging, columns)
        _copy(cursor, staging, columns, rows, names, progress)
        refused = _refuse_invalid(cursor, staging)
        defaults = _defaults(model, columns)
        created, updated, unchanged = _merge(cursor, table, staging, columns, defaults)
        cursor.execute(f"DROP TABLE {staging}")
    return created, updated, unchanged, refused


def _quoted(columns):
    return ", ".join(connection.ops.quote_name(column) for column in columns)


def _stage(cursor, table, staging, columns):
    cursor.execute(
        f"CREATE TEMPORARY TABLE {staging} AS "
        f"SELECT {_quoted(columns)} FROM {table} WITH NO DATA"
    )


def _copy(cursor, staging, columns, rows, names, progress):
    items = progress(rows.items()) if progress else rows.items()
    with cursor.copy(f"COPY {staging} ({_quoted(columns)}) FROM STDIN") as copy:
        for osm_id, fields in items:
            copy.write_row([osm_id, *(fields[name] for name in names)])


def _refuse_invalid(cursor, staging):
    cursor.execute(
        f"DELETE FROM {staging} WHERE NOT ST_IsValid(geom) "
        "RETURNING osm_id, ST_IsValidReason(geom)"
    )
    return dict(cursor.fetchall())


def _defaults(model, columns):
    """{column: default} of the fields a new row needs but `columns` lack (the
    database knows no Django defaults); updates leave those fields as they are."""
    skip = {*columns, "id", "created_at", "updated_at"}
    return {
        field.column: field.get_default()
        for field in model._meta.concrete_fields
        if field.column not in skip and not field.generated
    }


def _merge(cursor, table, staging, columns, defaults):
    """(created, updated, unchanged): rows already there by osm_id are counted before
    the merge; a row whose fields are all the same is left alone (and keeps its
    updated_at), so a re-run of the same file writes nothing."""
    cursor.execute(
        f"SELECT count(*), count(t.osm_id) FROM {staging} s "
        f"LEFT JOIN {table} t ON t.osm_id = s.osm_id"
    )
    total, existing = cursor.fetchone()
    fields = [connection.ops.quote_name(column) for column in columns[1:]]
    assignments = ", ".join(f"{c} = EXCLUDED.{c}" for c in [*fields, '"updated_at"'])
    old = ", ".join(f"{table}.{c}" for c in fields)
    new = ", ".join(f"EXCLUDED.{c}" for c in fields)
    inserted = [*columns, *defaults, "created_at", "updated_at"]
    values = ["%s"] * len(defaults) + ["now()", "now()"]
    cursor.execute(
        f"INSERT INTO {table} ({_quoted(inserted)}) "
        f"SELECT {_quoted(columns)}, {', '.join(values)} FROM {staging} "
        "ON CONFLICT (osm_id) WHERE osm_id IS NOT NULL "
        f"DO UPDATE SET {assignments} WHERE ({old}) IS DISTINCT FROM ({new})",
        list(defaults.values()),
    )
    created = total - existing
    updated = cursor.rowcount - created
    return created, updated, existing - updated
