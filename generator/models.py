"""Typed models of the catalogue: what every later stage works with, checked on construction."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass, field
from enum import StrEnum

from generator.china_time import chinese_date
from generator.errors import Location


class Level(StrEnum):
    JUNIOR = "初级"
    MIDDLE = "中级"
    SENIOR = "高级"


LEVEL_ORDER = {Level.JUNIOR: 0, Level.MIDDLE: 1, Level.SENIOR: 2}
# The levels as plain text, in order: what a certificate record and an issuing CSV spell.
LEVEL_NAMES: tuple[str, ...] = tuple(level.value for level in Level)


class EducationLevel(StrEnum):
    SECONDARY = "中职"
    HIGHER = "高职"
    BACHELOR = "本科"


class NoticeKind(StrEnum):
    ANNOUNCEMENT = "公示"
    CONFIRMATION = "确认"
    NOTICE = "通知"
    MINUTES = "纪要"
    MEASURES = "办法"
    OPINION = "意见"
    SCHEME = "方案"
    EXIT = "退出"


class PeriodStatus(StrEnum):
    UPCOMING = "未开始"
    OPEN = "公示中"
    CLOSED = "已结束"


@dataclass(frozen=True)
class Source:
    """Where a record's data comes from. Visitors read the cited document by its title and 文号
    (`notice`, or `title` for a document outside the catalogue), `part` and `remark`; the seed
    file, its lines, the heading searched for and the editor's `note` stay in the YAML."""

    document: str
    heading: str = ""
    note: str = ""
    lines: str = ""
    notice: str = ""
    title: str = ""
    part: str = ""
    remark: str = ""


@dataclass(frozen=True)
class NameRestoration:
    printed: str
    note: str


@dataclass(frozen=True)
class Contact:
    name: str
    organization: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""


@dataclass(frozen=True)
class Field:
    id: str
    name: str
    note: str = ""


@dataclass(frozen=True)
class ExamForm:
    id: str
    name: str
    cap: float


@dataclass(frozen=True)
class ExamPart:
    name: str
    form: ExamForm
    share: float
    full_mark: float | None = None
    pass_mark: float | None = None
    description: str = ""


@dataclass(frozen=True)
class Exam:
    parts: tuple[ExamPart, ...]
    description: str = ""

    @property
    def cost_cap(self) -> float:
        """The cap per person-time: each form's cap weighted by its share of the marks."""
        return round(sum(p.form.cap * p.share for p in self.parts) / 100, 2)

    @property
    def cost_cap_explanation(self) -> str:
        if len(self.parts) == 1 or len({p.form.id for p in self.parts}) == 1:
            form = self.parts[0].form
            return f"{form.name}上限 {_money(form.cap)} 元/人次"
        terms = " + ".join(f"{_money(p.form.cap)} × {_money(p.share)}%" for p in self.parts)
        return f"按各部分分值占比加权：{terms} = {_money(self.cost_cap)} 元/人次"


def _money(value: float) -> str:
    return f"{value:g}"


class OutcomeMetric(StrEnum):
    PASS_RATE = "pass_rate"
    SALARY_CHANGE = "salary_change"
    EMPLOYER_RECOGNITION = "employer_recognition"
    CANDIDATES = "candidates"
    ISSUED = "issued"


OUTCOME_LABELS = {
    OutcomeMetric.PASS_RATE: ("通过率", "%"),
    OutcomeMetric.SALARY_CHANGE: ("持证者薪酬变化", "%"),
    OutcomeMetric.EMPLOYER_RECOGNITION: ("用人单位认可度", "%"),
    OutcomeMetric.CANDIDATES: ("报考人数", "人"),
    OutcomeMetric.ISSUED: ("发证数量", "张"),
}


@dataclass(frozen=True)
class Outcome:
    """One published figure about how a certificate is used, always with its source and date."""

    metric: OutcomeMetric
    value: float
    source: str
    date: dt.date
    year: int | None = None
    level: Level | None = None
    unit: str = ""
    note: str = ""

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.metric][0]

    @property
    def shown_unit(self) -> str:
        return self.unit or OUTCOME_LABELS[self.metric][1]


@dataclass(frozen=True)
class Fee:
    """A declared exam fee per person-time; `level` None means every level."""

    amount: float
    source: str
    level: Level | None = None
    date: dt.date | None = None
    note: str = ""


@dataclass(frozen=True)
class FeeException:
    """An approved exception to the cost cap, with the reference that approved it."""

    reference: str
    note: str


@dataclass(frozen=True)
class Major:
    id: str
    name: str


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    location: Location
    where: dict[str, Location] = field(default_factory=dict, compare=False, repr=False)
    aliases: tuple[str, ...] = ()
    name_restored: NameRestoration | None = None
    contacts: tuple[Contact, ...] = ()
    website: str = ""
    summary: str = ""
    source: Source | None = None
    outcomes: tuple[Outcome, ...] = ()


@dataclass(frozen=True)
class Certificate:
    id: str
    name: str
    short_name: str
    organization: str
    batch: int
    levels: tuple[Level, ...]
    field: str
    location: Location
    # `field` is a model attribute here, so the dataclasses helper is spelled out in full.
    where: dict[str, Location] = dataclasses.field(default_factory=dict, compare=False, repr=False)
    field_note: str = ""
    standard: str | None = None
    name_restored: NameRestoration | None = None
    exam: Exam | None = None
    summary: str = ""
    source: Source | None = None
    fees: tuple[Fee, ...] = ()
    fee_exception: FeeException | None = None
    outcomes: tuple[Outcome, ...] = ()
    keywords: tuple[str, ...] = ()

    def fee_for(self, level: Level) -> Fee | None:
        """The declared fee for one level: a level's own fee wins over an all-levels fee."""
        own = [f for f in self.fees if f.level is level]
        common = [f for f in self.fees if f.level is None]
        return next(iter(own or common), None)


@dataclass(frozen=True)
class Requirement:
    text: str
    code: str = ""


@dataclass(frozen=True)
class Skill:
    name: str
    code: str = ""
    requirements: tuple[Requirement, ...] = ()
    knowledge: tuple[Requirement, ...] = ()


@dataclass(frozen=True)
class Task:
    name: str
    code: str = ""
    skills: tuple[Skill, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    knowledge: tuple[Requirement, ...] = ()


@dataclass(frozen=True)
class WorkArea:
    name: str
    code: str = ""
    tasks: tuple[Task, ...] = ()


@dataclass(frozen=True)
class StandardLevel:
    level: Level
    training_hours: int | None = None
    majors: dict[EducationLevel, tuple[str, ...]] = field(default_factory=dict)
    audience: tuple[str, ...] = ()
    duties: str = ""
    goal: str = ""
    employment: str = ""
    abilities: tuple[str, ...] = ()
    courses: str = ""
    work_areas: tuple[WorkArea, ...] = ()


@dataclass(frozen=True)
class QualityGroup:
    """One category of 职业素养要求 (职业道德, 合作意识…) and what it asks."""

    category: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    definition: str


@dataclass(frozen=True)
class Correction:
    """A place where the catalogue's text differs from the source as printed, and why."""

    printed: str
    corrected: str
    reason: str
    where: str = ""
    lines: str = ""


@dataclass(frozen=True)
class Standard:
    id: str
    name: str
    organization: str
    location: Location
    where: dict[str, Location] = field(default_factory=dict, compare=False, repr=False)
    code: str = ""
    version: str = ""
    published: dt.date | None = None
    definition: str = ""
    summary: str = ""
    structure: str = "work-area"
    levels: tuple[StandardLevel, ...] = ()
    work_areas: tuple[WorkArea, ...] = ()
    source: Source | None = None
    professional_qualities: tuple[QualityGroup, ...] = ()
    glossary: tuple[GlossaryTerm, ...] = ()
    corrections: tuple[Correction, ...] = ()

    def texts(self) -> set[str]:
        """Every name, requirement and glossary definition the standard states: where a
        correction must land."""
        out: set[str] = set()

        def areas(was: tuple[WorkArea, ...]) -> None:
            for w in was:
                out.add(w.name)
                for t in w.tasks:
                    out.add(t.name)
                    out.update(r.text for r in t.requirements + t.knowledge)
                    for sk in t.skills:
                        out.add(sk.name)
                        out.update(r.text for r in sk.requirements + sk.knowledge)

        areas(self.work_areas)
        for lv in self.levels:
            areas(lv.work_areas)
        out.update(g.definition for g in self.glossary)
        return out


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    def status(self, today: dt.date) -> PeriodStatus:
        if today < self.start:
            return PeriodStatus.UPCOMING
        if today > self.end:
            return PeriodStatus.CLOSED
        return PeriodStatus.OPEN

    def note(self, today: dt.date) -> str:
        """What is left of the period, counted in calendar days with today included.

        site_src/assets/xcert.js (`periodNote`) words it the same way in the reader's browser.
        """
        status = self.status(today)
        if status is PeriodStatus.UPCOMING:
            return f"{(self.start - today).days} 天后开始"
        if status is PeriodStatus.OPEN:
            left = (self.end - today).days + 1
            return "今天截止" if left == 1 else f"剩 {left} 天"
        return ""


@dataclass(frozen=True)
class Concerns:
    organizations: tuple[str, ...] = ()
    certificates: tuple[str, ...] = ()
    standards: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrainingClass:
    """One class (期) of a teacher-training plan."""

    number: int
    period: Period
    level: Level
    form: str = ""
    fee: float | None = None
    size: int | None = None
    place: str = ""


@dataclass(frozen=True)
class TrainingPlan:
    """A teacher-training plan (师资培训方案) an organization published through a notice."""

    name: str
    certificate: str
    organization: str
    dated: dt.date | None = None
    hours: int | None = None
    days: int | None = None
    fee: float | None = None
    fee_note: str = ""
    audience: str = ""
    content: str = ""
    classes: tuple[TrainingClass, ...] = ()
    source: Source | None = None


@dataclass(frozen=True)
class Notice:
    id: str
    title: str
    issuer: str
    date: dt.date
    kind: NoticeKind
    summary: str
    location: Location
    where: dict[str, Location] = field(default_factory=dict, compare=False, repr=False)
    doc_number: str = ""
    period: Period | None = None
    contacts: tuple[Contact, ...] = ()
    key_points: tuple[str, ...] = ()
    concerns: Concerns = Concerns()
    related: tuple[str, ...] = ()
    source: Source | None = None
    # How much of `date` the source gives: "day", "month" or "year" (then `date` is the first day).
    date_precision: str = "day"
    doc_number_note: str = ""
    training_plans: tuple[TrainingPlan, ...] = ()

    @property
    def date_text(self) -> str:
        return chinese_date(self.date, self.date_precision)

    @property
    def date_iso(self) -> str:
        return self.date.isoformat()[: {"year": 4, "month": 7}.get(self.date_precision, 10)]

    def status(self, today: dt.date) -> PeriodStatus | None:
        return self.period.status(today) if self.period else None


@dataclass(frozen=True)
class Policy:
    """Rules the notices are checked against (catalogue/policy.yaml); a miss is a warning."""

    announcement_min_working_days: int = 5
    # 公示 whose documents set a shorter period: published as issued, so not warned about.
    accepted_short_announcements: tuple[str, ...] = ()
    where: dict[str, Location] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Named:
    name: str
    text: str


@dataclass(frozen=True)
class Integration:
    """How schools build certificates into their majors (书证融通), their duties in the pilot, and
    the credits one certificate counts for (catalogue/integration.yaml)."""

    credits_per_certificate: int | None = None
    credit_flexibility_percent: int | None = None
    credit_basis: str = ""
    relation: str = ""
    functions: tuple[Named, ...] = ()
    principles: tuple[Named, ...] = ()
    school_duties: tuple[str, ...] = ()
    source: Source | None = None


@dataclass(frozen=True)
class Catalogue:
    """The whole validated catalogue, with every cross-reference known to resolve."""

    fields: dict[str, Field]
    exam_forms: dict[str, ExamForm]
    cost_cap_notice: str | None
    cost_cap_rule: str
    organizations: dict[str, Organization]
    certificates: dict[str, Certificate]
    standards: dict[str, Standard]
    notices: dict[str, Notice]
    majors: dict[str, Major] = field(default_factory=dict)
    policy: Policy = field(default_factory=Policy)
    integration: Integration | None = None

    def certificates_of(self, organization_id: str) -> list[Certificate]:
        return list(self._certificates_by_organization.get(organization_id, ()))

    @functools.cached_property
    def _certificates_by_organization(self) -> dict[str, list[Certificate]]:
        # Built once: rendering asks for every organization's certificates many times.
        index: dict[str, list[Certificate]] = {}
        for c in self.certificates.values():
            index.setdefault(c.organization, []).append(c)
        return index

    @functools.cached_property
    def _notices_by_entity(self) -> dict[tuple[str, str], list[Notice]]:
        index: dict[tuple[str, str], list[Notice]] = {}
        for n in self.notices_newest_first():
            for kind in ("organizations", "certificates", "standards"):
                for entity_id in dict.fromkeys(getattr(n.concerns, kind)):
                    index.setdefault((kind, entity_id), []).append(n)
        return index

    def notices_about(self, kind: str, entity_id: str) -> list[Notice]:
        """Notices that name the entity, newest first."""
        return list(self._notices_by_entity.get((kind, entity_id), ()))

    def notices_newest_first(self) -> list[Notice]:
        return sorted(self.notices.values(), key=lambda n: (n.date, n.id), reverse=True)

    def standard_of(self, certificate: Certificate) -> Standard | None:
        return self.standards.get(certificate.standard) if certificate.standard else None

    def major_named(self, name: str) -> Major | None:
        return next((m for m in self.majors.values() if m.name == name), None)

    def major_links(self) -> list[MajorLink]:
        """Every (major, education level, certificate, certificate level) the standards state."""
        links = []
        for cert in sorted(self.certificates.values(), key=lambda c: c.id):
            std = self.standard_of(cert)
            for lv in std.levels if std else ():
                for edu, names in lv.majors.items():
                    for name in names:
                        major = self.major_named(name)
                        if major:
                            links.append(MajorLink(major, edu, cert, lv.level))
        return links


@dataclass(frozen=True)
class MajorLink:
    major: Major
    education: EducationLevel
    certificate: Certificate
    level: Level


@dataclass(frozen=True)
class IssuedCount:
    """Published records of one certificate, issue year and level (from the signed records)."""

    certificate: str
    year: int
    level: str  # 初级 / 中级 / 高级, as the records say
    issued: int  # every published record, revoked ones included
    revoked: int  # of those, revoked in a status list at build time


@dataclass(frozen=True)
class IssuedRecords:
    """What publishing counted, handed to the pages. `demo` is true when the records are signed
    under the DEMO root: the pages then say the figures are demonstration data."""

    counts: tuple[IssuedCount, ...] = ()
    demo: bool = False
    as_of: dt.date | None = None  # the build's date

    def of(self, certificate: str) -> list[IssuedCount]:
        return sorted(
            (c for c in self.counts if c.certificate == certificate),
            key=lambda c: (c.year, LEVEL_ORDER.get(Level(c.level), 9)),
        )

    def total(self, certificate: str) -> int:
        return sum(c.issued for c in self.counts if c.certificate == certificate)
