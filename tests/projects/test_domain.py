from datetime import date

import pytest

from projects.choices import YearStatus
from projects.domain import year_status


@pytest.mark.parametrize(
    ("start_date", "year", "status"),
    [
        (date(2022, 7, 1), 2022, YearStatus.NEW),  # 科创园: started July 2022
        (date(2022, 1, 1), 2022, YearStatus.NEW),
        (date(2022, 12, 31), 2022, YearStatus.NEW),
        (date(2021, 12, 31), 2022, YearStatus.CONTINUING),
        (date(2020, 5, 1), 2022, YearStatus.CONTINUING),
        (date(2023, 1, 1), 2022, None),  # not started in the report year
        (None, 2022, None),
    ],
)
def test_new_or_continuing_follows_the_start_date_and_report_year(start_date, year, status):
    assert year_status(start_date, year) == status


def test_the_same_project_is_new_one_year_and_continuing_the_next():
    started = date(2025, 4, 15)
    assert [year_status(started, y) for y in (2024, 2025, 2026)] == [
        None,
        YearStatus.NEW,
        YearStatus.CONTINUING,
    ]
