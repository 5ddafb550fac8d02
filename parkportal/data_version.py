"""The data version: one counter that every door bumps in the same transaction as its write.

The reports' cache (reports/cache.py) keys what it keeps by the version read when the
request starts, so a change committed before a request is always seen by it: the change
committed the bumped version with it, and the cache holds nothing under the new number.
"""

from django.db import transaction
from django.db.models import F

from .models import DataVersion

ROW = 1  # the single row


def data_version() -> int:
    """Return the data version as the reads running now see it (the replica's, under
    @reads_from_replica, so that it never runs ahead of the figures read with it)."""
    number = DataVersion.objects.filter(pk=ROW).values_list("number", flat=True).first()
    return number or 0


def data_version_bump() -> None:
    """Bump the data version, inside the caller's transaction.

    Call it last in a door: on PostgreSQL the row stays locked until the door commits,
    so writers wait for one another only from here on.
    """
    assert transaction.get_connection().in_atomic_block, "bump the version inside the write"
    bumped = DataVersion.objects.filter(pk=ROW).update(number=F("number") + 1)
    if not bumped:  # the row is made by the migration; a flushed test database lacks it
        _, created = DataVersion.objects.get_or_create(pk=ROW, defaults={"number": 1})
        if not created:
            DataVersion.objects.filter(pk=ROW).update(number=F("number") + 1)
