"""A check of a workbook on SQLite runs on a copy of the database, so that it never holds
the write lock that everyone else's saves need.

SQLite has one writer at a time, and a check (a dry run) writes every row before it rolls
back: on the database itself it would hold the write lock for the whole run, and a staff
member's save waiting longer than the busy timeout would fail. The copy is taken with
SQLite's online backup, which reads one consistent snapshot without stopping writers (WAL),
and the check's queries in this thread go to it; the copy is deleted afterwards. On
PostgreSQL, in an in-memory database (tests) or inside a transaction, the block runs on the
database itself, as before.
"""

import contextlib
import sqlite3
import tempfile
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections


@contextlib.contextmanager
def checked_on_a_copy():
    """Send this thread's queries inside the block to a copy of a SQLite file database."""
    real = connections[DEFAULT_DB_ALIAS]
    if real.vendor != "sqlite" or real.is_in_memory_db() or real.in_atomic_block:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="parkportal-check-") as folder:
        path = Path(folder) / "snapshot.sqlite3"
        real.ensure_connection()
        target = sqlite3.connect(path)
        try:
            real.connection.backup(target)
        finally:
            target.close()
        copy = real.__class__({**real.settings_dict, "NAME": str(path)}, DEFAULT_DB_ALIAS)
        connections[DEFAULT_DB_ALIAS] = copy
        try:
            yield
        finally:
            copy.close()
            connections[DEFAULT_DB_ALIAS] = real
