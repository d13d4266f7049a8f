"""Policy checks: what a valid catalogue should still meet, reported as warnings.

A 公示 shorter than the minimum of working days (catalogue/policy.yaml) is legal data: the
document may really have set that period. So it is a warning, which `xcert check --strict` (the
pull-request check) turns into an error until the notice is corrected or listed as accepted.
"""

from __future__ import annotations

from generator import workdays
from generator.errors import CatalogueWarning
from generator.models import Catalogue, NoticeKind


def check(cat: Catalogue, *, min_working_days: int | None = None) -> list[CatalogueWarning]:
    """Every warning about the catalogue; `min_working_days` overrides policy.yaml."""
    minimum = min_working_days or cat.policy.announcement_min_working_days
    warnings: list[CatalogueWarning] = []
    for n in sorted(cat.notices.values(), key=lambda n: n.location.file):
        if n.kind is not NoticeKind.ANNOUNCEMENT or n.period is None:
            continue
        if n.id in cat.policy.accepted_short_announcements:
            continue
        where = n.where.get("period", n.location)
        try:
            days = workdays.working_days(n.period.start, n.period.end)
        except workdays.CalendarRangeError as e:
            warnings.append(CatalogueWarning(str(e), location=where, field="period"))
            continue
        if days < minimum:
            warnings.append(
                CatalogueWarning(
                    f"the 公示 period {n.period.start} to {n.period.end} has {days} working day"
                    f"{'s' if days != 1 else ''}, fewer than the minimum of {minimum}; "
                    f"lengthen it, or, if the document really sets it, add '{n.id}' to "
                    "accepted_short_announcements in "
                    f"catalogue/policy.yaml",
                    location=where,
                    field="period",
                )
            )
    return warnings
