"""Shared setup of the service desk's tests: a case made through its door."""

from datetime import date

import pytest

from services.models import ServiceCase
from services.services import service_case_save


def make_case(enterprise=None, *, code: str, **fields) -> ServiceCase:
    """Return a case saved through its door, with defaults for what `fields` leaves out."""
    values = {
        "kind": "request",
        "received_on": date(2026, 3, 2),
        "channel": "direct_line",
        "category": "utilities",
        "subject": "厂区用电增容",
        "unit": "县供电公司",
        **fields,
    }
    if values.get("closed_on") and "outcome" not in values:
        values["outcome"] = "已解决"
    return service_case_save(case=ServiceCase(code=code, enterprise=enterprise, **values))


@pytest.fixture
def case_maker():
    return make_case
