"""Working days by the official calendar: holidays off, adjusted weekends on, unknown years
refused."""

from __future__ import annotations

import datetime as dt

import pytest

from generator import workdays

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # National Day 2019: 1-7 October off; Sunday 29 September and Saturday 12 October worked.
        (D(2019, 9, 28), D(2019, 10, 12), 7),
        (D(2019, 9, 29), D(2019, 9, 29), 1),  # an adjusted working Sunday
        (D(2019, 10, 12), D(2019, 10, 12), 1),  # an adjusted working Saturday
        (D(2019, 10, 1), D(2019, 10, 7), 0),  # the holiday itself
        # Spring Festival 2020 (24 January to 2 February, extended); Sunday 19 January worked:
        # 17, 19, 20, 21, 22, 23 January and 3 February.
        (D(2020, 1, 17), D(2020, 2, 3), 7),
        # New Year 2020 inside the third-batch 公示 (27 December to 2 January): 4 working days.
        (D(2019, 12, 27), D(2020, 1, 2), 4),
        # An ordinary week.
        (D(2019, 11, 25), D(2019, 12, 1), 5),
        (D(2019, 3, 31), D(2019, 3, 26), 0),  # end before start
    ],
)
def test_working_days_follow_the_official_calendar(
    start: dt.date, end: dt.date, expected: int
) -> None:
    assert workdays.working_days(start, end) == expected


def test_a_period_of_five_working_days_runs_over_the_holiday() -> None:
    # Opening on Friday 27 September 2019, five working days end on Wednesday 9 October:
    # 27 Sep, 29 Sep (adjusted Sunday), 30 Sep, 8 Oct, 9 Oct.
    assert workdays.last_of_working_days(D(2019, 9, 27), 5) == D(2019, 10, 9)


def test_a_year_the_calendar_does_not_know_is_a_clear_error() -> None:
    first, last = workdays.covered_years()
    with pytest.raises(workdays.CalendarRangeError) as info:
        workdays.working_days(D(last, 12, 30), D(last + 1, 1, 5))
    message = str(info.value)
    assert f"{last + 1}-01-01" in message
    assert f"covers {first}–{last}" in message and "pip install -U chinese-calendar" in message
    assert workdays.working_days_or_none(D(last + 1, 1, 1), D(last + 1, 1, 9)) is None
