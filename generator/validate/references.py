"""Cross-reference checks: every id an entity names must exist."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from generator.errors import LocatedError, ValidationError
from generator.models import Catalogue
from generator.validate import fees


def _missing(ids: Iterable[str], known: Mapping[str, object], what: str, entity: object,
             field: str) -> list[LocatedError]:
    out: list[LocatedError] = []
    for i, ref in enumerate(ids):
        if ref not in known:
            path = f"{field}[{i}]"
            loc = entity.where.get(path) or entity.where.get(field) or entity.location  # type: ignore[attr-defined]
            out.append(ValidationError(f"unknown {what} '{ref}'", location=loc, field=path))
    return out


def _one(ref: str | None, known: Mapping[str, object], what: str, entity: object,
         field: str) -> list[LocatedError]:
    if ref is None or ref in known:
        return []
    loc = entity.where.get(field, entity.location)  # type: ignore[attr-defined]
    return [ValidationError(f"unknown {what} '{ref}'", location=loc, field=field)]


def _unknown_majors(cat: Catalogue, standard: object) -> list[LocatedError]:
    errors: list[LocatedError] = []
    for i, lv in enumerate(standard.levels):  # type: ignore[attr-defined]
        for edu, names in lv.majors.items():
            for j, name in enumerate(names):
                if cat.major_named(name) is None:
                    path = f"levels[{i}].majors.{edu.value}[{j}]"
                    loc = standard.where.get(path, standard.location)  # type: ignore[attr-defined]
                    errors.append(ValidationError(
                        f"unknown major '{name}': add it to catalogue/majors.yaml with an id",
                        location=loc, field=path))
    return errors


def check(cat: Catalogue) -> list[LocatedError]:
    errors: list[LocatedError] = []
    for c in cat.certificates.values():
        errors += _one(c.organization, cat.organizations, "organization", c, "organization")
        errors += _one(c.field, cat.fields, "field", c, "field")
        errors += _one(c.standard, cat.standards, "standard", c, "standard")
    for s in cat.standards.values():
        errors += _one(s.organization, cat.organizations, "organization", s, "organization")
        errors += _unknown_majors(cat, s)
    for n in cat.notices.values():
        errors += _missing(n.concerns.organizations, cat.organizations, "organization", n,
                           "concerns.organizations")
        errors += _missing(n.concerns.certificates, cat.certificates, "certificate", n,
                           "concerns.certificates")
        errors += _missing(n.concerns.standards, cat.standards, "standard", n, "concerns.standards")
        errors += _missing(n.related, cat.notices, "notice", n, "related")
        if n.id in n.related:
            errors.append(ValidationError("a notice cannot be related to itself",
                                          location=n.where.get("related", n.location), field="related"))
    errors += _missing(cat.policy.accepted_short_announcements, cat.notices, "notice", cat.policy,
                       "accepted_short_announcements")
    return errors + check_cost_cap_notice(cat) + fees.check(cat)


def check_cost_cap_notice(cat: Catalogue) -> list[LocatedError]:
    """The notice exam_forms.yaml cites must be in the catalogue."""
    if cat.cost_cap_notice and cat.cost_cap_notice not in cat.notices:
        from generator.errors import Location
        return [ValidationError(f"unknown notice '{cat.cost_cap_notice}'",
                                location=Location("catalogue/exam_forms.yaml"), field="notice")]
    return []
