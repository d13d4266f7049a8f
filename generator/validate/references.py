"""Cross-reference checks: every id an entity names must exist.

An id whose file exists but failed to load or validate is not reported here: that file's own
error is the cause, and a certificate without a name would otherwise also show up as an "unknown
certificate" in every notice that names it.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass

from generator.errors import LocatedError, ValidationError
from generator.models import Catalogue
from generator.validate import fees


@dataclass(frozen=True)
class Failed:
    """Ids of entity files that exist but did not validate (their own errors are reported)."""

    organizations: frozenset[str] = frozenset()
    certificates: frozenset[str] = frozenset()
    standards: frozenset[str] = frozenset()
    notices: frozenset[str] = frozenset()
    majors: bool = False  # majors.yaml exists but did not validate


def _missing(
    ids: Iterable[str], known: Container[str], what: str, entity: object, field: str
) -> list[LocatedError]:
    out: list[LocatedError] = []
    for i, ref in enumerate(ids):
        if ref not in known:
            path = f"{field}[{i}]"
            loc = entity.where.get(path) or entity.where.get(field) or entity.location  # type: ignore[attr-defined]
            out.append(ValidationError(f"unknown {what} '{ref}'", location=loc, field=path))
    return out


def _one(
    ref: str | None, known: Container[str], what: str, entity: object, field: str
) -> list[LocatedError]:
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
                    errors.append(
                        ValidationError(
                            f"unknown major '{name}': add it to catalogue/majors.yaml with an id",
                            location=loc,
                            field=path,
                        )
                    )
    return errors


def check(cat: Catalogue, failed: Failed = Failed()) -> list[LocatedError]:
    orgs = cat.organizations.keys() | failed.organizations
    certs = cat.certificates.keys() | failed.certificates
    stds = cat.standards.keys() | failed.standards
    notices = cat.notices.keys() | failed.notices
    errors: list[LocatedError] = []
    for c in cat.certificates.values():
        errors += _one(c.organization, orgs, "organization", c, "organization")
        errors += _one(c.field, cat.fields, "field", c, "field")
        errors += _one(c.standard, stds, "standard", c, "standard")
    for s in cat.standards.values():
        errors += _one(s.organization, orgs, "organization", s, "organization")
        if not failed.majors:
            errors += _unknown_majors(cat, s)
    for n in cat.notices.values():
        errors += _missing(
            n.concerns.organizations, orgs, "organization", n, "concerns.organizations"
        )
        errors += _missing(
            n.concerns.certificates, certs, "certificate", n, "concerns.certificates"
        )
        errors += _missing(n.concerns.standards, stds, "standard", n, "concerns.standards")
        errors += _missing(n.related, notices, "notice", n, "related")
        for i, plan in enumerate(n.training_plans):
            errors += _one(
                plan.certificate, certs, "certificate", n, f"training_plans[{i}].certificate"
            )
            errors += _one(
                plan.organization, orgs, "organization", n, f"training_plans[{i}].organization"
            )
        if n.id in n.related:
            errors.append(
                ValidationError(
                    "a notice cannot be related to itself",
                    location=n.where.get("related", n.location),
                    field="related",
                )
            )
    errors += _source_notices(cat, notices)
    errors += _unplaced_corrections(cat)
    errors += _missing(
        cat.policy.accepted_short_announcements,
        notices,
        "notice",
        cat.policy,
        "accepted_short_announcements",
    )
    return errors + check_cost_cap_notice(cat, notices) + fees.check(cat)


def _unplaced_corrections(cat: Catalogue) -> list[LocatedError]:
    """A correction records text the standard now holds: its `corrected` text must be one of the
    standard's names or requirements, and must differ from what was printed."""
    errors: list[LocatedError] = []
    for s in cat.standards.values():
        texts = s.texts() if s.corrections else set()
        for i, c in enumerate(s.corrections):
            path = f"corrections[{i}].corrected"
            loc = s.where.get(path, s.location)
            if c.corrected not in texts:
                errors.append(
                    ValidationError(
                        f"'{c.corrected}' is not a work area, task, skill, requirement or glossary "
                        "definition of this standard: a correction must name the text exactly as "
                        "the standard has it",
                        location=loc,
                        field=path,
                    )
                )
            elif c.corrected == c.printed:
                errors.append(
                    ValidationError(
                        "the corrected text is the same as the printed one",
                        location=loc,
                        field=path,
                    )
                )
    return errors


def _source_notices(cat: Catalogue, notices: Container[str]) -> list[LocatedError]:
    """A source that cites a notice must cite one the catalogue holds: the page links to it."""
    errors: list[LocatedError] = []
    for kind in (cat.certificates, cat.organizations, cat.standards, cat.notices):
        for entity in kind.values():
            src = entity.source
            if src and src.notice:
                errors += _one(src.notice, notices, "notice", entity, "source.notice")
    return errors


def check_cost_cap_notice(
    cat: Catalogue, notices: Container[str] | None = None
) -> list[LocatedError]:
    """The notice exam_forms.yaml cites must be in the catalogue."""
    known: Container[str] = cat.notices if notices is None else notices
    if cat.cost_cap_notice and cat.cost_cap_notice not in known:
        from generator.errors import Location

        return [
            ValidationError(
                f"unknown notice '{cat.cost_cap_notice}'",
                location=Location("catalogue/exam_forms.yaml"),
                field="notice",
            )
        ]
    return []
