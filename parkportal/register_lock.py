"""The registers' writers, one after the other where they could overlap.

A workbook import reads the registers it brings (to find each row's stored record and
what changed) and then writes them; two imports at once, or an import and a single save
of a record it also brings, would each compare against what it read before the other
committed: an enterprise both books bring inserted twice (an IntegrityError for the
second), or an enterprise ending with one book's name and the other's industry.

So, on PostgreSQL, a workbook import holds the registers' lock alone (exclusive) from
the start of its transaction, before it reads anything, and every single save of a
register record holds it shared: single saves go on side by side, an import waits for
the saves running and the saves wait for the import, each then reading what the other
committed. The lock is a transaction-level advisory lock: it is released when the
transaction ends, whichever way. The entry pages' figures are not registers and do not
wait for it (their doors lock the month they write).

On SQLite nothing is needed: every transaction takes the database's write lock when it
begins (settings: transaction_mode IMMEDIATE), so writers already go one at a time.
"""

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.db import connection, transaction

# The advisory lock's key: any number the portal uses for nothing else.
REGISTERS = 0x5052_4547  # "PREG"

P = ParamSpec("P")
R = TypeVar("R")


def registers_lock(*, alone: bool) -> None:
    """Hold the registers' lock until the current transaction ends: `alone` for a
    workbook import (no one else writes a register meanwhile), shared for a single save."""
    assert transaction.get_connection().in_atomic_block, "lock the registers inside the write"
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock" if alone else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [REGISTERS])


def register_door(door: Callable[P, R]) -> Callable[P, R]:
    """A door that saves or changes one register record: one transaction, begun by
    waiting for any workbook import that is writing the registers."""
    return _locked(door, alone=False)


def registers_import(door: Callable[P, R]) -> Callable[P, R]:
    """A door that writes a whole sheet of register records: one transaction, writing
    while no other import and no single save of a register record does."""
    return _locked(door, alone=True)


def _locked(door: Callable[P, R], *, alone: bool) -> Callable[P, R]:
    @wraps(door)
    def locked(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic():
            registers_lock(alone=alone)
            return door(*args, **kwargs)

    return locked
