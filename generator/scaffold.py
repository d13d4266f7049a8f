"""New catalogue files for `xcert new`: the essential fields, asked for or given, as commented YAML.

The file written is checked before it is written (schema, ids, references), so what `xcert new`
produces always passes `xcert check`; the comments tell the clerk what to fill in next.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import workdays
from generator.china_time import today_in_china
from generator.errors import UsageError, XcertError
from generator.load import load_yaml_text
from generator.models import Catalogue, Level, NoticeKind
from generator.slug import is_slug
from generator.validate import load_catalogue, schema
from generator.validate.catalogue import ENTITY_DIRS

FOLDERS = {kind: folder for folder, kind in ENTITY_DIRS.items()}
_DOC_NUMBER = re.compile(r"〔(\d{4})〕(\d+)号")
DEFAULT_ISSUER = "教育部职业技术教育中心研究所"


def schema_line(kind: str, *, depth: int) -> str:
    """The editor hint: `depth` is how many folders below catalogue/ the file is."""
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{kind}.schema.json"


def schema_line_for(path: Path, root: Path) -> str:
    """The editor hint a catalogue file under `root` should open with."""
    rel = path.relative_to(root)
    kind = ENTITY_DIRS[rel.parts[0]] if len(rel.parts) > 1 else rel.stem
    return schema_line(kind, depth=len(rel.parts) - 1)


@dataclass(frozen=True)
class Ask:
    """One essential field: its option, its prompt and how to check and default it."""

    key: str
    prompt: str
    help: str
    required: bool = True
    many: bool = False
    is_date: bool = False
    choices: tuple[str, ...] = ()
    default: Callable[[dict[str, Any], Catalogue], object] | None = None

    @property
    def option(self) -> str:
        """`--title`; a list field takes one value per option: `--certificate a --certificate b`."""
        return "--" + (self.key[:-1] if self.many else self.key).replace("_", "-")


def _today(_: dict[str, Any], __: Catalogue) -> str:
    return today_in_china().isoformat()


def _period_end(values: dict[str, Any], cat: Catalogue) -> str | None:
    start = values.get("start")
    if not start:
        return None
    try:
        return workdays.last_of_working_days(
            _date(str(start), "--start"), cat.policy.announcement_min_working_days
        ).isoformat()
    except workdays.CalendarRangeError as e:
        raise UsageError(f"{e}; give --end yourself") from e


ASKS: dict[str, tuple[Ask, ...]] = {
    "notice": (
        Ask("title", "标题", "the notice's title"),
        Ask(
            "kind",
            "类型",
            "the notice's kind (default 公示)",
            choices=tuple(k.value for k in NoticeKind),
            default=lambda v, c: NoticeKind.ANNOUNCEMENT.value,
        ),
        Ask(
            "doc_number",
            "文号（没有就留空）",
            "document number, e.g. 职教所〔2026〕5号",
            required=False,
        ),
        Ask(
            "issuer",
            "发布单位",
            f"issuer (default {DEFAULT_ISSUER})",
            default=lambda v, c: DEFAULT_ISSUER,
        ),
        Ask(
            "date",
            "发布日期 YYYY-MM-DD",
            "date of the document (default today in China)",
            is_date=True,
            default=_today,
        ),
        Ask(
            "start",
            "公示开始日期 YYYY-MM-DD",
            "first day of the 公示 period (default: the date)",
            required=False,
            is_date=True,
            default=lambda v, c: v.get("date") if v.get("kind") == "公示" else None,
        ),
        Ask(
            "end",
            "公示截止日期 YYYY-MM-DD",
            "last day of the 公示 period (default: the minimum of working days)",
            required=False,
            is_date=True,
            default=lambda v, c: _period_end(v, c) if v.get("kind") == "公示" else None,
        ),
        Ask("summary", "摘要（一两句话）", "a sentence or two on what the notice says"),
        Ask(
            "organizations",
            "涉及的培训评价组织 id（逗号分隔）",
            "organization id it concerns (repeatable)",
            required=False,
            many=True,
        ),
        Ask(
            "certificates",
            "涉及的证书 id（逗号分隔）",
            "certificate id it concerns (repeatable)",
            required=False,
            many=True,
        ),
        Ask("contact_name", "异议联系人", "contact for objections", required=False),
        Ask("contact_phone", "联系电话", "contact phone", required=False),
        Ask("contact_email", "电子邮箱", "contact email", required=False),
        Ask("contact_address", "通信地址", "address for written objections", required=False),
        Ask("contact_postcode", "邮编", "postcode of that address", required=False),
        Ask(
            "id",
            "id（留空自动生成）",
            "the slug (default: from the document number and kind)",
            required=False,
        ),
    ),
    "organization": (
        Ask("id", "id（小写字母、数字、连字符）", "the slug, e.g. example-education"),
        Ask("name", "全称", "full name"),
        Ask("website", "网站", "website", required=False),
    ),
    "certificate": (
        Ask("id", "id（小写字母、数字、连字符）", "the slug, e.g. web-frontend"),
        Ask("name", "证书全称", "full name, e.g. Web 前端开发职业技能等级证书"),
        Ask("short_name", "技能名称", "the skill, e.g. Web 前端开发"),
        Ask("organization", "培训评价组织 id", "id of the issuing organization"),
        Ask("batch", "批次（数字）", "pilot batch number"),
        Ask(
            "levels",
            "等级（逗号分隔）",
            "levels (repeatable; default 初级, 中级, 高级)",
            many=True,
            choices=tuple(lv.value for lv in Level),
            default=lambda v, c: [lv.value for lv in Level],
        ),
        Ask("field", "领域 id", "field id from catalogue/fields.yaml"),
    ),
    "standard": (
        Ask("id", "id（小写字母、数字、连字符）", "the slug, usually the certificate's id"),
        Ask("name", "标准名称", "name, e.g. Web 前端开发职业技能等级标准"),
        Ask("organization", "培训评价组织 id", "id of the organization that wrote it"),
        Ask("code", "标准编号（可留空）", "standard number", required=False),
        Ask("version", "版本（可留空）", "version, e.g. 2021 1.0", required=False),
    ),
}


@dataclass(frozen=True)
class NewFile:
    kind: str
    path: Path
    text: str


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise UsageError(f"{option} must be a date like 2026-12-01, not {value!r}") from e


def _q(value: object) -> str:
    """A YAML scalar that reads back as exactly this text (a JSON string is YAML too)."""
    return json.dumps(value, ensure_ascii=False)


def _list(key: str, values: list[str], indent: str = "") -> list[str]:
    return [f"{indent}{key}:"] + [f"{indent}- {_q(v)}" for v in values]


def collect(
    kind: str, given: dict[str, Any], cat: Catalogue, ask: Callable[[Ask, object], object] | None
) -> dict[str, Any]:
    """The values of every essential field: given, else asked for (`ask`), else defaulted."""
    values: dict[str, Any] = {}
    missing: list[str] = []
    for a in ASKS[kind]:
        value = given.get(a.key)
        if value in (None, "", []):
            default = a.default(values, cat) if a.default else None
            value = ask(a, default) if ask else default
        if value in (None, "", []):
            if a.required:
                missing.append(a.option)
            continue
        if a.many and isinstance(value, str):
            value = [v.strip() for v in re.split(r"[,，、\s]+", value) if v.strip()]
        for v in value if isinstance(value, list) else [value]:
            if a.choices and v not in a.choices:
                raise UsageError(f"{a.option}: {v!r} is not one of {' / '.join(a.choices)}")
        if a.is_date:
            _date(str(value), a.option)
        values[a.key] = value
    if missing:
        raise UsageError(
            f"xcert new {kind} needs {', '.join(missing)} (or run it in a terminal to be asked)"
        )
    return values


# Field → the Catalogue table its ids must be in.
_REFERENCES = (
    ("organization", "organizations"),
    ("organizations", "organizations"),
    ("certificates", "certificates"),
    ("field", "fields"),
)


def _references(v: dict[str, Any], cat: Catalogue) -> None:
    for key, table in _REFERENCES:
        refs = v.get(key) or []
        for ref in [refs] if isinstance(refs, str) else refs:
            if ref not in getattr(cat, table):
                raise UsageError(
                    f"--{table[:-1]}: unknown {table[:-1]} {ref!r}; see catalogue/{table}"
                    f"{'.yaml' if table == 'fields' else '/'}"
                )


def notice_slug(v: dict[str, Any], taken: set[str]) -> str:
    """`<year>-<number>-<kind>` from the document number, else `<date>-<kind>`; never a taken
    one."""
    word = NoticeKind(v["kind"]).name.lower()
    m = _DOC_NUMBER.search(str(v.get("doc_number", "")))
    base = f"{m.group(1)}-{int(m.group(2))}-{word}" if m else f"{v['date']}-{word}"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _notice_text(v: dict[str, Any]) -> list[str]:
    out = [f"id: {_q(v['id'])}", f"title: {_q(v['title'])}"]
    if v.get("doc_number"):
        out.append(f"doc_number: {_q(v['doc_number'])}")
    out += [f"issuer: {_q(v['issuer'])}", f"date: {_q(v['date'])}", f"kind: {_q(v['kind'])}"]
    if v.get("start") or v.get("end"):
        out += [
            "# 公示期：首尾两天都算在内；"
            "不少于 catalogue/policy.yaml 规定的工作日数（默认 5 个）。",
            "period:",
            f"  start: {_q(v.get('start'))}",
            f"  end: {_q(v.get('end'))}",
        ]
    contact = {
        k: v[f"contact_{k}"]
        for k in ("name", "phone", "email", "address", "postcode")
        if v.get(f"contact_{k}")
    }
    if contact:
        if "name" not in contact:
            raise UsageError("--contact-name is needed with the other contact options")
        out += ["# 联系方式：公示期内在页面上醒目显示，供书面提出异议。", "contacts:"]
        out += [
            f"{'- ' if i == 0 else '  '}{k}: {_q(x)}" for i, (k, x) in enumerate(contact.items())
        ]
    else:
        out += [
            "# 联系方式（公示期内在页面上醒目显示，供书面提出异议）：",
            "# contacts:",
            "# - name: 联系人",
            "#   phone: 010-00000000",
            "#   email: name@example.cn",
            "#   address: 通信地址",
        ]
    out += [
        f"summary: {_q(v['summary'])}",
        "# 要点：每条一句，取自原文。",
        "# key_points:",
        "# - 第一条要点",
    ]
    concerns = [k for k in ("organizations", "certificates") if v.get(k)]
    if concerns:
        out.append("# 涉及的组织与证书：公示、确认、退出通知据此决定它们在目录中的状态。")
        out.append("concerns:")
        for k in concerns:
            out += _list(k, list(v[k]), indent="  ")
    else:
        out += [
            "# 涉及的组织与证书（公示、确认、退出通知据此决定它们在目录中的状态）：",
            "# concerns:",
            "#   organizations: [组织 id]",
            "#   certificates: [证书 id]",
        ]
    out += [
        "# 相关文件：引用或承接的其他公告 id。",
        "# related: [公告 id]",
        "# 来源：读者看到“来源：《标题》（文号）位置”；文件名、行号和 note 只留在这里。",
        "# source:",
        "#   document: 文件名.pdf",
        "#   title: 原文件标题",
        "#   part: 附件 1 第 N 项",
        "#   note: 编辑说明（不显示）",
    ]
    return out


def _organization_text(v: dict[str, Any]) -> list[str]:
    out = [f"id: {_q(v['id'])}", f"name: {_q(v['name'])}", "# 其他名称：", "# aliases: [简称]"]
    if v.get("website"):
        out.append(f"website: {_q(v['website'])}")
    return out + [
        "# 联系方式：",
        "# contacts:",
        "# - name: 联系人",
        "#   phone: 010-00000000",
        "# 简介（可用 Markdown）：",
        "# summary: …",
    ]


def _certificate_text(v: dict[str, Any]) -> list[str]:
    return [
        f"id: {_q(v['id'])}",
        f"name: {_q(v['name'])}",
        f"short_name: {_q(v['short_name'])}",
        f"organization: {_q(v['organization'])}",
        f"batch: {int(str(v['batch']))}",
        *_list("levels", list(v["levels"])),
        f"field: {_q(v['field'])}",
        "# 职业技能等级标准的 id（有标准文件时）：",
        "# standard: 标准 id",
        "# 考核方式：各部分分值占比相加为 100；form 取自 catalogue/exam_forms.yaml。",
        "# exam:",
        "#   parts:",
        "#   - name: 理论考试",
        "#     form: computer",
        "#     share: 100",
        "# 简介（可用 Markdown）：",
        "# summary: …",
    ]


def _standard_text(v: dict[str, Any]) -> list[str]:
    out = [f"id: {_q(v['id'])}", f"name: {_q(v['name'])}", f"organization: {_q(v['organization'])}"]
    out += [f"{k}: {_q(v[k])}" for k in ("code", "version") if v.get(k)]
    return out + [
        "# 职业技能定义：",
        "# definition: …",
        "# 各等级的工作领域、工作任务与职业技能，格式见 docs/catalogue.md：",
        "# levels:",
        "# - level: 初级",
        "#   work_areas: []",
    ]


_TEXT = {
    "notice": _notice_text,
    "organization": _organization_text,
    "certificate": _certificate_text,
    "standard": _standard_text,
}


def new_file(
    kind: str, root: Path, given: dict[str, Any], ask: Callable[[Ask, object], object] | None = None
) -> NewFile:
    """The checked file for a new entity under `root` (the catalogue folder); nothing is written."""
    if kind not in ASKS:
        raise UsageError(f"cannot create a {kind!r}; choose one of {', '.join(ASKS)}")
    cat = load_catalogue(root)  # a broken catalogue is reported as `xcert check` reports it
    v = collect(kind, given, cat, ask)
    if kind == "notice":
        if v["kind"] == NoticeKind.ANNOUNCEMENT.value and not (v.get("start") and v.get("end")):
            raise UsageError("a 公示 needs --start and --end")
        v.setdefault("id", notice_slug(v, set(cat.notices)))
    if kind == "certificate" and not str(v["batch"]).isdigit():
        raise UsageError(f"--batch must be a number, not {v['batch']!r}")
    _references(v, cat)
    slug = str(v["id"])
    if not is_slug(slug) or len(slug) > 80:
        raise UsageError(
            f"--id {slug!r} is not a valid id: use lower-case ASCII letters, "
            "digits and single hyphens"
        )
    path = root / FOLDERS[kind] / f"{slug}.yaml"
    if path.exists():
        raise UsageError(
            f"{path} already exists; xcert new never overwrites a file: choose another --id"
        )
    first = str(v.get("title") or v.get("name"))
    text = (
        "\n".join(
            [schema_line(kind, depth=1), f"# {kind}: {' '.join(first.split())}", *_TEXT[kind](v)]
        )
        + "\n"
    )
    _check(kind, text, path)
    return NewFile(kind, path, text)


def _check(kind: str, text: str, path: Path) -> None:
    """The schema verdict on the text about to be written (a bug here is ours, not the user's)."""
    try:
        data = load_yaml_text(text, str(path))
    except XcertError as e:
        raise UsageError(f"the new file would not be valid YAML: {e}") from e
    errors = schema.check(kind, data, str(path))
    if errors:
        raise UsageError("the new file would not be valid:\n" + "\n".join(str(e) for e in errors))


def write(new: NewFile) -> None:
    new.path.parent.mkdir(parents=True, exist_ok=True)
    with open(new.path, "x", encoding="utf-8") as f:  # "x": never overwrite, even in a race
        f.write(new.text)
