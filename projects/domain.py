"""Rules of investment projects. Pure functions; no ORM."""

from datetime import date

from .choices import YearStatus


def year_status(start_date: date | None, year: int) -> YearStatus | None:
    """Return whether a project is 新开工 or 续建 in report year `year`.

    Started in the year: newly started. Started before it: continuing. Not
    started yet (no start date, or one after the year): neither, None.
    """
    if start_date is None or start_date.year > year:
        return None
    if start_date.year == year:
        return YearStatus.NEW
    return YearStatus.CONTINUING
