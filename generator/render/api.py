"""The open-data API: the catalogue as static JSON under /api/, one file per entity plus indexes.

The compare page and the finder read these files, so what they show and what other tools get
are the same data. Shapes are documented by the JSON Schemas in render/api_schemas/, published
under /api/schemas/.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from generator import lifecycle
from generator.models import (
    Catalogue,
    Certificate,
    Exam,
    IssuedRecords,
    Notice,
    Organization,
    Standard,
    TrainingPlan,
    WorkArea,
)
from generator.render.outcomes import records_source
from generator.render.page import Page

SCHEMAS = Path(__file__).parent / "api_schemas"
API_VERSION = 1


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _notice_ref(n: Notice) -> dict[str, Any]:
    return {
        "id": n.id,
        "title": n.title,
        "doc_number": n.doc_number or None,
        "date": n.date_iso,
        "kind": n.kind.value,
        "url": f"/notices/{n.id}/",
    }


def _exam(exam: Exam | None) -> dict[str, Any] | None:
    if exam is None:
        return None
    return {
        "description": exam.description or None,
        "parts": [
            {
                "name": p.name,
                "form": p.form.id,
                "form_name": p.form.name,
                "form_cap": p.form.cap,
                "share": p.share,
                "full_mark": p.full_mark,
                "pass_mark": p.pass_mark,
                "description": p.description or None,
            }
            for p in exam.parts
        ],
        "cost_cap": exam.cost_cap,
        "cost_cap_explanation": exam.cost_cap_explanation,
    }


def _outcomes(items: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [
        {
            "metric": o.metric.value,
            "label": o.label,
            "value": o.value,
            "unit": o.shown_unit,
            "year": o.year,
            "level": o.level.value if o.level else None,
            "source": o.source,
            "date": o.date.isoformat(),
            "note": o.note or None,
        }
        for o in items
    ]


def _work_areas(areas: tuple[WorkArea, ...]) -> list[dict[str, Any]]:
    def items(xs: tuple[Any, ...]) -> list[dict[str, str]]:
        return [{"code": x.code, "text": x.text} for x in xs]

    return [
        {
            "code": w.code,
            "name": w.name,
            "tasks": [
                {
                    "code": t.code,
                    "name": t.name,
                    "requirements": items(t.requirements),
                    "knowledge": items(t.knowledge),
                    "skills": [
                        {
                            "code": s.code,
                            "name": s.name,
                            "requirements": items(s.requirements),
                            "knowledge": items(s.knowledge),
                        }
                        for s in t.skills
                    ],
                }
                for t in w.tasks
            ],
        }
        for w in areas
    ]


def _issued_records(issued: IssuedRecords, cert_id: str) -> dict[str, Any]:
    counts = issued.of(cert_id)
    return {
        "demo": issued.demo,
        "source": records_source(issued),
        "as_of": issued.as_of.isoformat() if issued.as_of else None,
        "total": sum(c.issued for c in counts),
        "revoked": sum(c.revoked for c in counts),
        "counts": [
            {"year": c.year, "level": c.level, "issued": c.issued, "revoked": c.revoked}
            for c in counts
        ],
    }


def certificate(
    cat: Catalogue, c: Certificate, today: dt.date, issued: IssuedRecords | None = None
) -> dict[str, Any]:
    org = cat.organizations[c.organization]
    std = cat.standard_of(c)
    standing = lifecycle.standing(cat, "certificates", c.id, today)
    std_levels = {lv.level: lv for lv in std.levels} if std else {}
    levels = []
    for level in c.levels:
        lv = std_levels.get(level)
        fee = c.fee_for(level)
        levels.append(
            {
                "level": level.value,
                "training_hours": lv.training_hours if lv else None,
                "majors": {edu.value: list(names) for edu, names in lv.majors.items()}
                if lv
                else {},
                "employment": (lv.employment or None) if lv else None,
                "goal": (lv.goal or None) if lv else None,
                "cost_cap": c.exam.cost_cap if c.exam else None,
                "fee": {
                    "amount": fee.amount,
                    "source": fee.source,
                    "date": fee.date.isoformat() if fee.date else None,
                }
                if fee
                else None,
            }
        )
    return {
        "id": c.id,
        "url": f"/certificates/{c.id}/",
        "name": c.name,
        "short_name": c.short_name,
        "organization": {"id": org.id, "name": org.name, "url": f"/organizations/{org.id}/"},
        "batch": c.batch,
        "field": {"id": c.field, "name": cat.fields[c.field].name},
        "keywords": list(c.keywords),
        "field_note": c.field_note,
        "levels": levels,
        "standard": {"id": std.id, "name": std.name, "url": f"/standards/{std.id}/"}
        if std
        else None,
        "status": standing.standing.value,
        "exam": _exam(c.exam),
        "fee_exception": {"reference": c.fee_exception.reference, "note": c.fee_exception.note}
        if c.fee_exception
        else None,
        "outcomes": _outcomes(c.outcomes),
        "issued_records": _issued_records(issued or IssuedRecords(as_of=today), c.id),
        "notices": [_notice_ref(n) for n in cat.notices_about("certificates", c.id)],
    }


def organization(cat: Catalogue, o: Organization, today: dt.date) -> dict[str, Any]:
    return {
        "id": o.id,
        "url": f"/organizations/{o.id}/",
        "name": o.name,
        "aliases": list(o.aliases),
        "status": lifecycle.standing(cat, "organizations", o.id, today).standing.value,
        "certificates": [
            {"id": c.id, "name": c.name, "url": f"/certificates/{c.id}/"}
            for c in sorted(cat.certificates_of(o.id), key=lambda c: c.id)
        ],
        "contacts": [{k: v for k, v in vars(x).items() if v} for x in o.contacts],
        "outcomes": _outcomes(o.outcomes),
        "notices": [_notice_ref(n) for n in cat.notices_about("organizations", o.id)],
    }


def standard(cat: Catalogue, s: Standard) -> dict[str, Any]:
    return {
        "id": s.id,
        "url": f"/standards/{s.id}/",
        "name": s.name,
        "organization": s.organization,
        "code": s.code or None,
        "version": s.version or None,
        "definition": s.definition or None,
        "work_areas": _work_areas(s.work_areas),
        "levels": [
            {
                "level": lv.level.value,
                "training_hours": lv.training_hours,
                "majors": {edu.value: list(n) for edu, n in lv.majors.items()},
                "goal": lv.goal or None,
                "employment": lv.employment or None,
                "work_areas": _work_areas(lv.work_areas),
            }
            for lv in s.levels
        ],
        "professional_qualities": [
            {"category": q.category, "items": list(q.items)} for q in s.professional_qualities
        ],
        "glossary": [{"term": g.term, "definition": g.definition} for g in s.glossary],
        "corrections": [
            {
                "where": c.where or None,
                "printed": c.printed,
                "corrected": c.corrected,
                "reason": c.reason,
            }
            for c in s.corrections
        ],
    }


def notice(n: Notice, today: dt.date) -> dict[str, Any]:
    return {
        **_notice_ref(n),
        "issuer": n.issuer,
        "summary": n.summary,
        "period": {
            "start": n.period.start.isoformat(),
            "end": n.period.end.isoformat(),
            "status": n.period.status(today).value,
        }
        if n.period
        else None,
        "key_points": list(n.key_points),
        "concerns": {
            "organizations": list(n.concerns.organizations),
            "certificates": list(n.concerns.certificates),
            "standards": list(n.concerns.standards),
        },
        "training_plans": [_training_plan(t) for t in n.training_plans],
    }


def _training_plan(t: TrainingPlan) -> dict[str, Any]:
    return {
        "name": t.name,
        "certificate": t.certificate,
        "organization": t.organization,
        "dated": t.dated.isoformat() if t.dated else None,
        "hours": t.hours,
        "days": t.days,
        "fee": t.fee,
        "fee_note": t.fee_note or None,
        "audience": t.audience or None,
        "content": t.content or None,
        "classes": [
            {
                "number": k.number,
                "start": k.period.start.isoformat(),
                "end": k.period.end.isoformat(),
                "level": k.level.value,
                "form": k.form or None,
                "fee": k.fee,
                "size": k.size,
                "place": k.place or None,
            }
            for k in t.classes
        ],
    }


def majors(cat: Catalogue) -> list[dict[str, Any]]:
    """The finder's index: each major with the certificates linked to it per education level."""
    links = cat.major_links()
    out = []
    for major in sorted(cat.majors.values(), key=lambda m: m.id):
        mine = [x for x in links if x.major.id == major.id]
        out.append(
            {
                "id": major.id,
                "name": major.name,
                "url": f"/majors/{major.id}/",
                "links": [
                    {
                        "education": x.education.value,
                        "certificate": x.certificate.id,
                        "certificate_name": x.certificate.name,
                        "level": x.level.value,
                        "url": f"/certificates/{x.certificate.id}/",
                    }
                    for x in mine
                ],
            }
        )
    return out


def render_api(
    cat: Catalogue, *, today: dt.date, issued: IssuedRecords | None = None
) -> list[Page]:
    certs = [
        certificate(cat, c, today, issued)
        for c in sorted(cat.certificates.values(), key=lambda c: c.id)
    ]
    orgs = [
        organization(cat, o, today) for o in sorted(cat.organizations.values(), key=lambda o: o.id)
    ]
    notices = [notice(n, today) for n in cat.notices_newest_first()]
    meta = {"version": API_VERSION, "date": today.isoformat()}
    pages = [
        Page(
            "api/index.json",
            _dump(
                {
                    **meta,
                    "files": {
                        "certificates": "/api/certificates.json",
                        "organizations": "/api/organizations.json",
                        "standards": "/api/standards.json",
                        "notices": "/api/notices.json",
                        "majors": "/api/majors.json",
                        "one_certificate": "/api/certificates/{id}.json",
                        "one_organization": "/api/organizations/{id}.json",
                        "one_standard": "/api/standards/{id}.json",
                        "one_notice": "/api/notices/{id}.json",
                        "schemas": "/api/schemas/{kind}.schema.json",
                    },
                }
            ),
        ),
        Page("api/certificates.json", _dump({**meta, "certificates": certs})),
        Page("api/organizations.json", _dump({**meta, "organizations": orgs})),
        Page(
            "api/standards.json",
            _dump(
                {
                    **meta,
                    "standards": [
                        {"id": s.id, "name": s.name, "url": f"/standards/{s.id}/"}
                        for s in sorted(cat.standards.values(), key=lambda s: s.id)
                    ],
                }
            ),
        ),
        Page("api/notices.json", _dump({**meta, "notices": notices})),
        Page("api/majors.json", _dump({**meta, "majors": majors(cat)})),
    ]
    pages += [Page(f"api/certificates/{c['id']}.json", _dump(c)) for c in certs]
    pages += [Page(f"api/organizations/{o['id']}.json", _dump(o)) for o in orgs]
    pages += [
        Page(f"api/standards/{s.id}.json", _dump(standard(cat, s)))
        for s in sorted(cat.standards.values(), key=lambda s: s.id)
    ]
    pages += [Page(f"api/notices/{n['id']}.json", _dump(n)) for n in notices]
    pages += [
        Page(f"api/schemas/{p.name}", p.read_text(encoding="utf-8"))
        for p in sorted(SCHEMAS.glob("*.schema.json"))
    ]
    return pages
