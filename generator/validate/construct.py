"""Turn schema-checked mappings into model objects, reporting value errors the schema cannot see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator import models as m
from generator.errors import LocatedError, Location, ValidationError
from generator.load import LocatedDict, LocatedList


def where(d: LocatedDict) -> dict[str, Location]:
    """Dotted field path → location, for reporting errors found after construction."""
    out: dict[str, Location] = {}

    def walk(node: Any, prefix: str, depth: int) -> None:
        if depth > 5:
            return
        if isinstance(node, LocatedDict):
            for k, v in node.items():
                out[prefix + k] = node.key_locations[k]
                walk(v, prefix + k + ".", depth + 1)
        elif isinstance(node, LocatedList):
            base = prefix.rstrip(".")
            for i, v in enumerate(node):
                out[f"{base}[{i}]"] = node.item_locations[i]
                walk(v, f"{base}[{i}].", depth + 1)

    walk(d, "", 0)
    return out


class _Builder:
    def __init__(self, errors: list[LocatedError]) -> None:
        self.errors = errors

    def date(self, d: LocatedDict, key: str, prefix: str = "") -> dt.date | None:
        try:
            return dt.date.fromisoformat(d[key])
        except ValueError:
            self.errors.append(
                ValidationError(
                    f"'{d[key]}' is not a real date",
                    location=d.key_locations[key],
                    field=prefix + key,
                )
            )
            return None

    @staticmethod
    def source(d: LocatedDict) -> m.Source | None:
        s = d.get("source")
        if not s:
            return None
        return m.Source(
            document=s["document"],
            heading=s.get("heading", ""),
            note=s.get("note", ""),
            lines=s.get("lines", ""),
            notice=s.get("notice", ""),
            title=s.get("title", ""),
            part=s.get("part", ""),
            remark=s.get("remark", ""),
        )

    @staticmethod
    def restored(d: LocatedDict) -> m.NameRestoration | None:
        r = d.get("name_restored")
        return m.NameRestoration(r["from"], r["note"]) if r else None

    @staticmethod
    def contacts(d: LocatedDict) -> tuple[m.Contact, ...]:
        return tuple(m.Contact(**c) for c in d.get("contacts", ()))

    def outcomes(self, d: LocatedDict) -> tuple[m.Outcome, ...]:
        out = []
        for i, o in enumerate(d.get("outcomes", ())):
            date = self.date(o, "date", f"outcomes[{i}].")
            if date is None:
                continue
            out.append(
                m.Outcome(
                    metric=m.OutcomeMetric(o["metric"]),
                    value=o["value"],
                    source=o["source"],
                    date=date,
                    year=o.get("year"),
                    level=m.Level(o["level"]) if "level" in o else None,
                    unit=o.get("unit", ""),
                    note=o.get("note", ""),
                )
            )
        return tuple(out)

    def fees(self, d: LocatedDict) -> tuple[m.Fee, ...]:
        out = []
        for i, f in enumerate(d.get("fees", ())):
            out.append(
                m.Fee(
                    amount=f["amount"],
                    source=f["source"],
                    level=m.Level(f["level"]) if "level" in f else None,
                    date=self.date(f, "date", f"fees[{i}].") if "date" in f else None,
                    note=f.get("note", ""),
                )
            )
        return tuple(out)

    def organization(self, d: LocatedDict) -> m.Organization:
        return m.Organization(
            id=d["id"],
            name=d["name"],
            location=d.location,
            where=where(d),
            aliases=tuple(d.get("aliases", ())),
            name_restored=self.restored(d),
            contacts=self.contacts(d),
            website=d.get("website", ""),
            summary=d.get("summary", ""),
            source=self.source(d),
            outcomes=self.outcomes(d),
        )

    def exam(self, d: LocatedDict, forms: dict[str, m.ExamForm]) -> m.Exam | None:
        e = d.get("exam")
        if not e:
            return None
        parts = []
        ok = True
        for i, p in enumerate(e["parts"]):
            form = forms.get(p["form"])
            if form is None:
                ok = False
                self.errors.append(
                    ValidationError(
                        f"unknown exam form '{p['form']}' (known: {', '.join(forms)})",
                        location=p.key_locations["form"],
                        field=f"exam.parts[{i}].form",
                    )
                )
                continue
            parts.append(
                m.ExamPart(
                    name=p["name"],
                    form=form,
                    share=p["share"],
                    full_mark=p.get("full_mark"),
                    pass_mark=p.get("pass_mark"),
                    description=p.get("description", ""),
                )
            )
        total = sum(p["share"] for p in e["parts"])
        if abs(total - 100) > 1e-9:
            ok = False
            self.errors.append(
                ValidationError(
                    f"the parts' shares add up to {total:g}, not 100",
                    location=e.key_locations["parts"],
                    field="exam.parts",
                )
            )
        return m.Exam(parts=tuple(parts), description=e.get("description", "")) if ok else None

    def certificate(self, d: LocatedDict, forms: dict[str, m.ExamForm]) -> m.Certificate:
        levels = tuple(sorted((m.Level(v) for v in d["levels"]), key=m.LEVEL_ORDER.__getitem__))
        return m.Certificate(
            id=d["id"],
            name=d["name"],
            short_name=d["short_name"],
            organization=d["organization"],
            batch=d["batch"],
            levels=levels,
            field=d["field"],
            location=d.location,
            where=where(d),
            field_note=d.get("field_note", ""),
            standard=d.get("standard"),
            name_restored=self.restored(d),
            exam=self.exam(d, forms),
            summary=d.get("summary", ""),
            source=self.source(d),
            fees=self.fees(d),
            outcomes=self.outcomes(d),
            keywords=tuple(d.get("keywords", ())),
            fee_exception=m.FeeException(**d["fee_exception"]) if "fee_exception" in d else None,
        )

    @staticmethod
    def items(d: Any, key: str) -> tuple[m.Requirement, ...]:
        return tuple(m.Requirement(text=i["text"], code=i.get("code", "")) for i in d.get(key, ()))

    def work_areas(self, d: Any) -> tuple[m.WorkArea, ...]:
        return tuple(
            m.WorkArea(
                name=w["name"],
                code=w.get("code", ""),
                tasks=tuple(
                    m.Task(
                        name=t["name"],
                        code=t.get("code", ""),
                        requirements=self.items(t, "requirements"),
                        knowledge=self.items(t, "knowledge"),
                        skills=tuple(
                            m.Skill(
                                name=s["name"],
                                code=s.get("code", ""),
                                requirements=self.items(s, "requirements"),
                                knowledge=self.items(s, "knowledge"),
                            )
                            for s in t.get("skills", ())
                        ),
                    )
                    for t in w.get("tasks", ())
                ),
            )
            for w in d.get("work_areas", ())
        )

    def standard(self, d: LocatedDict) -> m.Standard:
        levels = []
        seen: set[str] = set()
        for i, lv in enumerate(d.get("levels", ())):
            if lv["level"] in seen:
                self.errors.append(
                    ValidationError(
                        f"level {lv['level']} appears twice",
                        location=lv.key_locations["level"],
                        field=f"levels[{i}].level",
                    )
                )
            seen.add(lv["level"])
            levels.append(
                m.StandardLevel(
                    level=m.Level(lv["level"]),
                    training_hours=lv.get("training_hours"),
                    majors={m.EducationLevel(k): tuple(v) for k, v in lv.get("majors", {}).items()},
                    audience=tuple(lv.get("audience", ())),
                    duties=lv.get("duties", ""),
                    goal=lv.get("goal", ""),
                    employment=lv.get("employment", ""),
                    abilities=tuple(lv.get("abilities", ())),
                    courses=lv.get("courses", ""),
                    work_areas=self.work_areas(lv),
                )
            )
        return m.Standard(
            id=d["id"],
            name=d["name"],
            organization=d["organization"],
            location=d.location,
            where=where(d),
            code=d.get("code", ""),
            version=d.get("version", ""),
            published=self.date(d, "published") if "published" in d else None,
            definition=d.get("definition", ""),
            summary=d.get("summary", ""),
            structure=d.get("structure", "work-area"),
            levels=tuple(levels),
            work_areas=self.work_areas(d),
            source=self.source(d),
            professional_qualities=tuple(
                m.QualityGroup(q["category"], tuple(q["items"]))
                for q in d.get("professional_qualities", ())
            ),
            glossary=tuple(
                m.GlossaryTerm(g["term"], g["definition"]) for g in d.get("glossary", ())
            ),
            corrections=tuple(
                m.Correction(
                    printed=c["printed"],
                    corrected=c["corrected"],
                    reason=c["reason"],
                    where=c.get("where", ""),
                    lines=c.get("lines", ""),
                )
                for c in d.get("corrections", ())
            ),
        )

    def partial_date(self, d: LocatedDict, key: str) -> tuple[dt.date | None, str]:
        """A date that may be only a year or a month, with its precision."""
        value = d[key]
        precision = {4: "year", 7: "month"}.get(len(value), "day")
        padded = value + {"year": "-01-01", "month": "-01"}.get(precision, "")
        try:
            return dt.date.fromisoformat(padded), precision
        except ValueError:
            self.errors.append(
                ValidationError(
                    f"'{value}' is not a real date", location=d.key_locations[key], field=key
                )
            )
            return None, precision

    def notice(self, d: LocatedDict) -> m.Notice:
        date, precision = self.partial_date(d, "date")
        period = None
        if "period" in d:
            p = d["period"]
            start, end = self.date(p, "start", "period."), self.date(p, "end", "period.")
            if start and end:
                if end < start:
                    self.errors.append(
                        ValidationError(
                            f"the period ends ({end}) before it starts ({start})",
                            location=p.key_locations["end"],
                            field="period.end",
                        )
                    )
                else:
                    period = m.Period(start, end)
        c = d.get("concerns", {})
        return m.Notice(
            id=d["id"],
            title=d["title"],
            issuer=d["issuer"],
            date=date or dt.date.min,
            date_precision=precision,
            kind=m.NoticeKind(d["kind"]),
            summary=d["summary"],
            location=d.location,
            where=where(d),
            doc_number=d.get("doc_number", ""),
            period=period,
            contacts=self.contacts(d),
            key_points=tuple(d.get("key_points", ())),
            concerns=m.Concerns(
                tuple(c.get("organizations", ())),
                tuple(c.get("certificates", ())),
                tuple(c.get("standards", ())),
            ),
            related=tuple(d.get("related", ())),
            source=self.source(d),
            doc_number_note=d.get("doc_number_note", ""),
            training_plans=tuple(
                self.training_plan(t, f"training_plans[{i}].")
                for i, t in enumerate(d.get("training_plans", ()))
            ),
        )

    def training_plan(self, t: LocatedDict, prefix: str) -> m.TrainingPlan:
        classes = []
        for i, c in enumerate(t.get("classes", ())):
            where_ = f"{prefix}classes[{i}]."
            start, end = self.date(c, "start", where_), self.date(c, "end", where_)
            if not (start and end):
                continue
            if end < start:
                self.errors.append(
                    ValidationError(
                        f"class {c['number']} ends ({end}) before it starts ({start})",
                        location=c.key_locations["end"],
                        field=where_ + "end",
                    )
                )
                continue
            classes.append(
                m.TrainingClass(
                    number=c["number"],
                    period=m.Period(start, end),
                    level=m.Level(c["level"]),
                    form=c.get("form", ""),
                    fee=c.get("fee"),
                    size=c.get("size"),
                    place=c.get("place", ""),
                )
            )
        return m.TrainingPlan(
            name=t["name"],
            certificate=t["certificate"],
            organization=t["organization"],
            dated=self.date(t, "dated", prefix) if "dated" in t else None,
            hours=t.get("hours"),
            days=t.get("days"),
            fee=t.get("fee"),
            fee_note=t.get("fee_note", ""),
            audience=t.get("audience", ""),
            content=t.get("content", ""),
            classes=tuple(classes),
            source=self.source(t),
        )


def _unique(
    kind: str, items: list[tuple[str, LocatedDict]], errors: list[LocatedError]
) -> list[LocatedDict]:
    seen: dict[str, Location] = {}
    out = []
    for _, d in items:
        if d["id"] in seen:
            errors.append(
                ValidationError(
                    f"duplicate {kind} id '{d['id']}' (also in {seen[d['id']]})",
                    location=d.key_locations["id"],
                    field="id",
                )
            )
            continue
        seen[d["id"]] = d.key_locations["id"]
        out.append(d)
    return out


def _check_list_ids(kind: str, entries: list[LocatedDict], errors: list[LocatedError]) -> None:
    seen: set[str] = set()
    for e in entries:
        if e["id"] in seen:
            errors.append(
                ValidationError(
                    f"duplicate {kind} id '{e['id']}'", location=e.key_locations["id"], field="id"
                )
            )
        seen.add(e["id"])


def _policy(d: LocatedDict | None) -> m.Policy:
    if d is None:
        return m.Policy()
    defaults = m.Policy()
    return m.Policy(
        announcement_min_working_days=d.get(
            "announcement_min_working_days", defaults.announcement_min_working_days
        ),
        accepted_short_announcements=tuple(d.get("accepted_short_announcements", ())),
        where=where(d),
    )


def _integration(b: _Builder, d: LocatedDict | None) -> m.Integration | None:
    if d is None:
        return None
    credits = d.get("credits", {})

    def named(key: str) -> tuple[m.Named, ...]:
        return tuple(m.Named(x["name"], x["text"]) for x in d.get(key, {}).get("items", ()))

    return m.Integration(
        credits_per_certificate=credits.get("per_certificate"),
        credit_flexibility_percent=credits.get("flexibility_percent"),
        credit_basis=credits.get("basis", ""),
        relation=d.get("relation", {}).get("text", ""),
        functions=named("functions"),
        principles=named("principles"),
        school_duties=tuple(d.get("school_duties", {}).get("items", ())),
        source=b.source(d),
    )


def build(
    singletons: dict[str, Any],
    raw: dict[str, list[tuple[str, LocatedDict]]],
    errors: list[LocatedError],
) -> m.Catalogue | None:
    b = _Builder(errors)
    fields_doc, forms_doc = singletons.get("fields"), singletons.get("exam_forms")
    fields: dict[str, m.Field] = {}
    forms: dict[str, m.ExamForm] = {}
    if fields_doc:
        _check_list_ids("field", fields_doc["fields"], errors)
        fields = {
            f["id"]: m.Field(f["id"], f["name"], f.get("note", "")) for f in fields_doc["fields"]
        }
    if forms_doc:
        _check_list_ids("exam form", forms_doc["forms"], errors)
        forms = {f["id"]: m.ExamForm(f["id"], f["name"], f["cap"]) for f in forms_doc["forms"]}
    majors: dict[str, m.Major] = {}
    majors_doc = singletons.get("majors")
    if majors_doc:
        _check_list_ids("major", majors_doc["majors"], errors)
        majors = {x["id"]: m.Major(x["id"], x["name"]) for x in majors_doc["majors"]}
    orgs = {
        d["id"]: b.organization(d) for d in _unique("organization", raw["organization"], errors)
    }
    certs = {
        d["id"]: b.certificate(d, forms) for d in _unique("certificate", raw["certificate"], errors)
    }
    stds = {d["id"]: b.standard(d) for d in _unique("standard", raw["standard"], errors)}
    notices = {d["id"]: b.notice(d) for d in _unique("notice", raw["notice"], errors)}
    if fields_doc is None or forms_doc is None:
        return None
    return m.Catalogue(
        fields=fields,
        exam_forms=forms,
        cost_cap_notice=forms_doc.get("notice"),
        cost_cap_rule=forms_doc.get("rule", ""),
        organizations=orgs,
        certificates=certs,
        standards=stds,
        notices=notices,
        majors=majors,
        policy=_policy(singletons.get("policy")),
        integration=_integration(b, singletons.get("integration")),
    )
