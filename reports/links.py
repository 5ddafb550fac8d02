"""Links from a page or a report row to the page of an enterprise it names.

An enterprise's page (`/enterprises/<id>/`) opens to those who may read its park
(`Park.objects.visible_to`), so a name links only for them: staff of another park read
the name as text.
"""

from collections.abc import Iterable
from urllib.parse import urlencode

from django.urls import reverse


class EnterpriseLinks:
    """The address of an enterprise's page, for one reader and, when given, one year."""

    def __init__(self, park_ids: Iterable[int], year: int | None = None):
        # The parks the reader may read: Park.objects.visible_to(reader), read by the view.
        self.park_ids = frozenset(park_ids)
        self.query = f"?{urlencode({'year': year})}" if year else ""

    def __call__(self, pk: int, park_id: int) -> str:
        """Return the page of enterprise `pk` of park `park_id`, or "" when the reader
        may not open it."""
        if park_id not in self.park_ids:
            return ""
        return reverse("reports:enterprise", args=[pk]) + self.query
