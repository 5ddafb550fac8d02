"""Bulk writes of many rows in few statements, for the big imports.

Django's bulk_create builds a model instance and compiles every value of every
row; at 360,000 figures that costs most of an import. These helpers send plain
tuples: executemany on SQLite (a C loop), execute_values on PostgreSQL (pages
of rows in one statement each). Both databases take the same INSERT … ON
CONFLICT … DO UPDATE upsert.
"""

from collections.abc import Iterable, Sequence

from django.db import connection

PAGE = 5000


def bulk_insert(
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    conflict: Sequence[str] = (),
    update: Sequence[str] = (),
) -> None:
    """Insert `rows` (tuples in the order of `columns`) into `table`.

    With `conflict` and `update`, a row whose `conflict` columns match a stored row
    updates that row's `update` columns instead (an upsert).
    """
    quote = connection.ops.quote_name
    sql = f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) VALUES "
    suffix = ""
    if conflict:
        assignments = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in update)
        suffix = f" ON CONFLICT ({', '.join(map(quote, conflict))}) DO UPDATE SET {assignments}"
    rows = list(rows)
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            execute_values(cursor.cursor, sql + "%s" + suffix, rows, page_size=PAGE)
        else:
            placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
            cursor.executemany(sql + placeholders + suffix, rows)
