"""Working days (工作日) by the official Chinese holiday calendar, as the 1+X policies count them.

A 公示 lasts "at least 5 working days"; certificate data is entered "within 7 working days". Both
follow the State Council's yearly holiday arrangement, weekend days moved into working days
included, which the `chinese-calendar` package ships. It only knows the years it was released
for, so a date outside them is an error that says so rather than a silently wrong count.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib.metadata import PackageNotFoundError, version

import chinese_calendar

from generator.errors import XcertError


class CalendarRangeError(XcertError):
    """The official holiday calendar is not known for a date (a year chinese-calendar lacks)."""

    def __init__(self, day: dt.date) -> None:
        first, last = covered_years()
        self.day = day
        super().__init__(
            f"cannot count working days for {day.isoformat()}: the official holiday calendar in "
            f"chinese-calendar {_package_version()} covers {first}–{last}; upgrade the package "
            f"(pip install -U chinese-calendar) once the State Council publishes "
            f"{day.year}'s holidays"
        )


def _package_version() -> str:
    try:
        return version("chinese-calendar")
    except PackageNotFoundError:
        return "(unknown version)"


@cache
def covered_years() -> tuple[int, int]:
    """The first and last year whose holiday arrangement the installed package knows."""
    years = {d.year for d in chinese_calendar.holidays} | {
        d.year for d in chinese_calendar.workdays
    }
    return min(years), max(years)


def is_working_day(day: dt.date) -> bool:
    first, last = covered_years()
    if not first <= day.year <= last:
        raise CalendarRangeError(day)
    return bool(chinese_calendar.is_workday(day))


def working_days(start: dt.date, end: dt.date) -> int:
    """Working days from `start` to `end`, both included; 0 when `end` is before `start`."""
    count = 0
    day = start
    while day <= end:
        count += is_working_day(day)
        day += dt.timedelta(days=1)
    return count


def last_of_working_days(start: dt.date, count: int) -> dt.date:
    """The day on which a period opening on `start` has lasted `count` working days."""
    if count < 1:
        raise ValueError("count must be at least 1")
    day, seen = start, 0
    while True:
        seen += is_working_day(day)
        if seen == count:
            return day
        day += dt.timedelta(days=1)


def working_days_or_none(start: dt.date, end: dt.date) -> int | None:
    """As working_days(), or None when the calendar does not cover the dates (pages say so)."""
    try:
        return working_days(start, end)
    except CalendarRangeError:
        return None
