"""The service desk's rules as tables: time limits, states, rates and counts in words."""

from datetime import date
from decimal import Decimal as D

import pytest

from services.domain import (
    CLOSED,
    DUE_TODAY,
    OPEN,
    OVERDUE,
    case_state,
    count_text,
    default_days,
    due_date,
    rate,
)

LIMITS = {"approval": 7, "passage": 3, "other": 5}


@pytest.mark.parametrize(
    ("category", "days"),
    [("approval", 7), ("passage", 3), ("other", 5), ("labour", 5)],  # 用工 unset: 其他's
)
def test_a_category_takes_its_limit_or_the_one_of_other(category, days):
    assert default_days(category, LIMITS) == days


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        (date(2026, 3, 1), 3, date(2026, 3, 4)),
        (date(2026, 2, 27), 3, date(2026, 3, 2)),  # across a month's end, calendar days
        (date(2026, 12, 30), 7, date(2027, 1, 6)),  # across a year's end
        (date(2026, 3, 6), 1, date(2026, 3, 7)),  # a Friday's case is due on Saturday
    ],
)
def test_a_case_is_due_its_days_after_it_was_received(received, days, due):
    assert due_date(received, days) == due


DUE = date(2026, 3, 4)


@pytest.mark.parametrize(
    ("closed_on", "today", "state"),
    [
        (None, date(2026, 3, 3), OPEN),
        (None, date(2026, 3, 4), DUE_TODAY),
        (None, date(2026, 3, 5), OVERDUE),
        (date(2026, 3, 10), date(2026, 3, 20), CLOSED),  # closed late is closed
        (date(2026, 3, 2), date(2026, 3, 2), CLOSED),
    ],
)
def test_a_case_is_open_due_today_overdue_or_closed(closed_on, today, state):
    assert case_state(DUE, closed_on, today) == state


@pytest.mark.parametrize(
    ("part", "whole", "share"),
    [(45, 50, D("90.00")), (2, 3, D("66.67")), (1, 3, D("33.33")), (0, 4, D("0.00")), (0, 0, None)],
)
def test_a_rate_is_a_percentage_with_two_decimals_or_none_without_a_whole(part, whole, share):
    assert rate(part, whole) == share


@pytest.mark.parametrize(
    ("count", "rounded", "text"),
    [
        (53, False, "53"),
        (53, True, "50余"),
        (59, True, "50余"),
        (50, True, "50"),
        (70, True, "70"),
        (92, True, "90余"),
        (7, True, "7"),
        (0, True, "0"),
        (104, True, "100余"),
    ],
)
def test_a_count_is_written_exactly_or_as_the_documents_round_it(count, rounded, text):
    assert count_text(count, rounded=rounded) == text
