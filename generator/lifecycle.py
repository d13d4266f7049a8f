"""An entity's standing (公示中 / 已确认 / 已退出), derived from the notices that name it.

The status is never typed into an entity's own file: it follows from the notices, so a single
confirmation notice updates every certificate and organization it lists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from generator.models import Catalogue, Notice, NoticeKind, PeriodStatus


class Standing(StrEnum):
    UNANNOUNCED = "未收录公告"
    UPCOMING = "即将公示"
    ANNOUNCED = "公示中"
    AWAITING = "已公示，待确认"
    CONFIRMED = "已确认"
    WITHDRAWN = "已退出"


@dataclass(frozen=True)
class StandingResult:
    standing: Standing
    notice: Notice | None = None  # the notice the standing follows from

    @property
    def since(self) -> Notice | None:
        """For 已确认 and 已退出: the notice that decided it (its date is the date shown)."""
        return self.notice if self.standing in (Standing.CONFIRMED, Standing.WITHDRAWN) else None

    @property
    def css(self) -> str:
        return {
            Standing.UNANNOUNCED: "none",
            Standing.UPCOMING: "upcoming",
            Standing.ANNOUNCED: "open",
            Standing.AWAITING: "closed",
            Standing.CONFIRMED: "confirmed",
            Standing.WITHDRAWN: "withdrawn",
        }[self.standing]


_DECISIONS = {NoticeKind.EXIT: Standing.WITHDRAWN, NoticeKind.CONFIRMATION: Standing.CONFIRMED}


def standing(cat: Catalogue, kind: str, entity_id: str, today: dt.date) -> StandingResult:
    """`kind` is the Concerns attribute: 'certificates' or 'organizations'."""
    notices = [n for n in cat.notices_about(kind, entity_id) if n.date <= today or n.period]
    # The newest decision in force wins, so an entity confirmed again after an exit is confirmed;
    # on the same day an exit outranks a confirmation.
    decisions = [n for n in notices if n.kind in _DECISIONS and n.date <= today]
    if decisions:
        latest = max(decisions, key=lambda n: (n.date, n.kind is NoticeKind.EXIT))
        return StandingResult(_DECISIONS[latest.kind], latest)
    announcements = [n for n in notices if n.kind is NoticeKind.ANNOUNCEMENT and n.period]
    if announcements:
        latest = announcements[0]
        status = latest.status(today)
        mapping = {
            PeriodStatus.UPCOMING: Standing.UPCOMING,
            PeriodStatus.OPEN: Standing.ANNOUNCED,
            PeriodStatus.CLOSED: Standing.AWAITING,
        }
        return StandingResult(mapping[status], latest)  # type: ignore[index]
    return StandingResult(Standing.UNANNOUNCED)
