"""Dates and timestamps as records write them, checked the same way by the browser verifier.

A timestamp is XML Schema dateTimeStamp at second precision (`2024-06-30T08:00:00Z` or with an
offset); a date is `2024-06-30`. Years run 1900-2999 and the day must exist in its month. The
patterns use ASCII digits and `\\Z`, because the page's JavaScript regexes work that way.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

UTC = dt.UTC
_YMD = r"((?:19|2[0-9])[0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
DATE = re.compile(rf"^{_YMD}\Z")
TIMESTAMP = re.compile(
    rf"^{_YMD}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])\Z"
)


def _day_exists(m: re.Match[str]) -> bool:
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    return day <= days


def is_date(value: Any) -> bool:
    m = DATE.match(value) if isinstance(value, str) else None
    return m is not None and _day_exists(m)


def is_timestamp(value: Any) -> bool:
    m = TIMESTAMP.match(value) if isinstance(value, str) else None
    return m is not None and _day_exists(m)


def parse_timestamp(text: str) -> dt.datetime:
    """Parse a checked timestamp; raises ValueError for anything `is_timestamp` refuses."""
    if not is_timestamp(text):
        raise ValueError(f"not a timestamp like 2024-06-30T08:00:00Z: {text!r}")
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def checked_timestamp(value: Any) -> str:
    parse_timestamp(value)
    return str(value)


def format_utc(when: dt.datetime) -> str:
    if when.tzinfo is None:
        raise ValueError("a naive datetime has no defined instant")
    return when.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_utc() -> dt.datetime:
    return dt.datetime.now(UTC).replace(microsecond=0)


def parse_time_option(text: str) -> dt.datetime:
    """A command-line time: a timestamp, `YYYY-MM-DD[THH:MM[:SS]]` read as UTC, or 'now'."""
    if text == "now":
        return now_utc()
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as e:
        raise ValueError(f"not a date or time: {text!r} (use e.g. 2025-03-01T12:00:00Z)") from e
    return when if when.tzinfo else when.replace(tzinfo=UTC)
