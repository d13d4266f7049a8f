"""China's clock and calendar: catalogue dates (notices, notice periods, issue dates) follow the
calendar in China, so every "today" the system decides with is taken here, and every date shown
to people is written here, as Chinese typesetting writes it (2019年3月26日, no spaces)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

CHINA_TZ = ZoneInfo("Asia/Shanghai")


def today_in_china(now: dt.datetime | None = None) -> dt.date:
    """The calendar date in China at `now` (default: this moment)."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(CHINA_TZ).date()


def chinese_date(d: dt.date, precision: str = "day") -> str:
    """`d` as people read it: 2019年3月26日; 2019年3月 or 2019年 at precision "month" or "year",
    when the source gives no more than that."""
    if precision == "year":
        return f"{d.year}年"
    if precision == "month":
        return f"{d.year}年{d.month}月"
    return f"{d.year}年{d.month}月{d.day}日"
