"""China's clock: catalogue dates (notices, notice periods, issue dates) follow the calendar in
China, so every "today" the system decides with is taken here."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

CHINA_TZ = ZoneInfo("Asia/Shanghai")


def today_in_china(now: dt.datetime | None = None) -> dt.date:
    """The calendar date in China at `now` (default: this moment)."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(CHINA_TZ).date()
