"""Generate a synthetic, valid catalogue of any size for benchmarks.

    python benchmarks/synthetic_catalogue.py OUT_DIR --certificates 2000 --organizations 300 \
        --notices 500 [--standards 20] [--seed 1] [--force] [--no-verify]

OUT_DIR becomes a buildable ROOT: OUT_DIR/catalogue/ (fields.yaml, exam_forms.yaml and the other
singleton files such as majors.yaml and policy.yaml copied from the real catalogue, plus one YAML
file per generated entity), OUT_DIR/site_src/ and OUT_DIR/mkdocs.yml copied from the repository
(with a stub site_src/verify/index.md if the repository has none yet). The catalogue is checked with
`generator.validate.load_catalogue` at the end (unless --no-verify).

All text is assembled deterministically (random.Random(seed)) from the real catalogue's own
vocabulary: organization name parts, certificate skill names and field notes, standard work
areas / tasks / skills / requirements / knowledge / majors, notice titles, summaries and key
points. The shape mirrors the real data: every certificate is named by one 公示 announcement
(with a 公示期) and most also by a 确认 confirmation; there are 通知 that list certificates,
teacher-training 公示, 退出 notices and policy documents that concern nobody; related notices
always point to earlier ones. Some standards are full (levels → work areas → tasks → skills →
requirements / knowledge, like web-frontend), some are `function` tables (like logistics
management), some only list majors and work area names (like practical-english).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
REAL = REPO / "catalogue"
SOURCE_DOC = "003_614f8415cb5dd7e9.txt"
COST_CAP_NOTICE = "2019-314-exam-cost-caps"  # exam_forms.yaml names it; it must exist
TODAY = dt.date(2026, 11, 30)  # the benchmark's --today: some 公示 are open or upcoming then

# Regions (prefixes of real organization names, plus a few more cities so 300 names spread out).
REGIONS = [
    ("北京", "beijing"),
    ("上海", "shanghai"),
    ("广州", "guangzhou"),
    ("广东", "guangdong"),
    ("杭州", "hangzhou"),
    ("湖南", "hunan"),
    ("江苏", "jiangsu"),
    ("济南", "jinan"),
    ("廊坊", "langfang"),
    ("南京", "nanjing"),
    ("沈阳", "shenyang"),
    ("武汉", "wuhan"),
    ("浙江", "zhejiang"),
    ("深圳", "shenzhen"),
    ("天津", "tianjin"),
    ("重庆", "chongqing"),
    ("成都", "chengdu"),
    ("西安", "xian"),
    ("苏州", "suzhou"),
    ("青岛", "qingdao"),
    ("长沙", "changsha"),
    ("合肥", "hefei"),
    ("郑州", "zhengzhou"),
    ("厦门", "xiamen"),
]
# Business words found at the end of real organization names (longest first when matching).
BUSINESS = [
    ("机器人自动化", "robot"),
    ("国际教育科技", "international-education"),
    ("教育科技", "education"),
    ("信息技术", "information"),
    ("信息科技", "infotech"),
    ("数字科技", "digital"),
    ("机器人科技", "robotics"),
    ("体育科技", "sports"),
    ("航空科技", "aviation"),
    ("能源科技", "energy"),
    ("管理咨询", "consulting"),
    ("教育咨询", "education-consulting"),
    ("高新技术", "hitech"),
    ("仿真技术", "simulation"),
    ("技术服务", "services"),
    ("人力资源服务", "hr"),
    ("教育培训", "training"),
    ("汽车服务", "auto"),
    ("母婴护理", "maternal-care"),
    ("软件", "software"),
    ("科教", "edu"),
    ("咨询", "consult"),
    ("科技", "tech"),
    ("技术", "technology"),
    ("服务", "service"),
]
LEGAL = ["集团有限公司", "股份有限公司", "有限责任公司", "有限公司"]
# id tokens of real organizations that name the business, not the brand
BUSINESS_TOKENS = {
    "education",
    "group",
    "robotics",
    "robot",
    "auto",
    "sports",
    "aviation",
    "training",
    "research",
    "institute",
    "tech",
    "software",
    "energy",
    "simulation",
    "hr",
    "information",
    "holding",
    "online",
    "cnc",
    "association",
    "china",
    "co",
    "netcom",
}
# Skill-name modifiers and tails (certificate short names are modifier+skill or skill+tail).
MODIFIERS = [
    ("智能", "smart"),
    ("数字化", "digital"),
    ("绿色", "green"),
    ("智慧", "wise"),
    ("跨境", "cross-border"),
    ("新能源", "new-energy"),
    ("工业", "industrial"),
    ("移动", "mobile"),
    ("云端", "cloud"),
    ("高端", "premium"),
    ("现代", "modern"),
    ("社区", "community"),
    ("农村", "rural"),
    ("海洋", "marine"),
    ("装配式", "prefab"),
    ("网络", "network"),
    ("国际", "international"),
    ("应急", "emergency"),
    ("精细化", "lean"),
    ("无人化", "unmanned"),
]
TAILS = [
    ("与管理", "management"),
    ("技术应用", "application"),
    ("运营", "operation"),
    ("质量检测", "quality-inspection"),
    ("系统集成", "integration"),
    ("安全管理", "safety"),
    ("数据分析", "data-analysis"),
    ("服务与咨询", "consulting"),
    ("设计与开发", "design"),
    ("实训指导", "coaching"),
]
CN_DIGITS = "零一二三四五六七八九"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "玉屏洋振国建华明伟芳娜敏静丽强磊军勇杰涛斌超霞平刚桂英红梅兰秀文辉鹏飞宇晨欣怡"
    "浩然子涵思远雨婷佳琪嘉"
)
POLICY_TITLES = [
    "关于做好{year}年 1+X 证书制度试点工作的通知",
    "关于印发《职业技能等级证书监督管理办法（试行）》的通知",
    "关于深化 1+X 证书制度试点工作的通知",
    "{province}关于推进 1+X 证书制度试点工作的实施意见",
    "1+X 证书制度试点工作推进会会议纪要（{year}年第{n}次）",
    "关于{year}年 1+X 证书制度试点院校考核站点建设的通知",
    "关于印发《{province}1+X 证书制度试点工作方案》的通知",
    "关于加强职业技能等级证书考核质量管理的意见",
    "关于开展{year}年 1+X 证书制度试点师资培训的通知",
    "关于职业教育培训评价组织退出机制的办法（征求意见稿）",
]
POLICY_KINDS = ["通知", "办法", "通知", "意见", "纪要", "通知", "方案", "意见", "通知", "办法"]
PROVINCES = [
    "北京市",
    "上海市",
    "天津市",
    "重庆市",
    "河北省",
    "山西省",
    "辽宁省",
    "吉林省",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "海南省",
    "四川省",
    "贵州省",
    "云南省",
    "陕西省",
    "甘肃省",
    "青海省",
]


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals (第十二批)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


# --------------------------------------------------------------------------- vocabulary


@dataclass
class Vocabulary:
    skills: list[tuple[str, str, str, str]]  # (id, short_name, field, field_note)
    brand_words: list[tuple[str, str]]  # (2-character word, slug token)
    work_areas: list[str]
    tasks: list[str]
    skill_names: list[str]
    requirements: list[str]
    knowledge: list[str]
    majors: dict[str, list[str]]
    goals: list[str]
    employments: list[str]
    abilities: list[str]
    courses: list[str]
    duties: list[str]
    audiences: list[str]
    definitions: list[str]
    key_points: dict[str, list[str]]  # by notice kind
    summaries: dict[str, list[str]]  # by notice kind
    issuers: list[tuple[str, str]]  # (issuer, doc number prefix)
    addresses: list[str]
    fields: dict[str, str]
    forms: list[str]
    form_caps: dict[str, float]
    cost_cap_notice: dict[str, Any] = field(default_factory=dict)


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _uniq(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _split_org(name: str, oid: str) -> list[tuple[str, str]]:
    """Brand words of a real organization:
    北京华航唯实机器人科技股份有限公司 → 华航/huahang, 唯实/weishi."""
    core = re.sub(r"[（(][^）)]*[）)]", "", name)
    for cn, _ in REGIONS:
        if core.startswith(cn):
            core = core[len(cn) :].lstrip("市")
            break
    for legal in LEGAL:
        if core.endswith(legal):
            core = core[: -len(legal)]
            break
    for cn, _ in sorted(BUSINESS, key=lambda b: -len(b[0])):
        if core.endswith(cn) and len(core) > len(cn):
            core = core[: -len(cn)]
            break
    tokens = [
        t for t in oid.split("-") if t not in {s for _, s in REGIONS} and t not in BUSINESS_TOKENS
    ]
    if len(core) == 2 * len(tokens) and tokens:
        return [(core[2 * i : 2 * i + 2], tokens[i]) for i in range(len(tokens))]
    return []


def load_vocabulary(real: Path = REAL) -> Vocabulary:  # noqa: C901 (one pass over the real catalogue, read top to bottom)
    skills = []
    for p in sorted((real / "certificates").glob("*.yaml")):
        d = _yaml(p)
        skills.append((d["id"], d["short_name"], d["field"], d.get("field_note", "")))
    brand: dict[str, str] = {}
    for p in sorted((real / "organizations").glob("*.yaml")):
        d = _yaml(p)
        for word, slug in _split_org(d["name"], d["id"]):
            if re.fullmatch(r"[a-z0-9]+", slug):
                brand.setdefault(word, slug)
    wa: list[str] = []
    tasks: list[str] = []
    sk: list[str] = []
    req: list[str] = []
    kn: list[str] = []
    majors: dict[str, list[str]] = {"中职": [], "高职": [], "本科": []}
    lv_text: dict[str, list[str]] = {k: [] for k in ("goal", "employment", "courses", "duties")}
    abilities: list[str] = []
    audiences: list[str] = []
    definitions: list[str] = []

    def walk(areas: list[dict[str, Any]]) -> None:
        for w in areas:
            wa.append(w["name"])
            for t in w.get("tasks", []):
                tasks.append(t["name"])
                req.extend(i["text"] for i in t.get("requirements", []))
                kn.extend(i["text"] for i in t.get("knowledge", []))
                for s in t.get("skills", []):
                    sk.append(s["name"])
                    req.extend(i["text"] for i in s.get("requirements", []))
                    kn.extend(i["text"] for i in s.get("knowledge", []))

    for p in sorted((real / "standards").glob("*.yaml")):
        d = _yaml(p)
        if d.get("definition"):
            definitions.append(d["definition"])
        walk(d.get("work_areas", []))
        for lv in d.get("levels", []):
            walk(lv.get("work_areas", []))
            for k, v in lv.get("majors", {}).items():
                majors[k].extend(v)
            for k, found in lv_text.items():
                if lv.get(k):
                    found.append(lv[k])
            abilities.extend(lv.get("abilities", []))
            audiences.extend(lv.get("audience", []))
    key_points: dict[str, list[str]] = {}
    summaries: dict[str, list[str]] = {}
    issuers: dict[str, str] = {}
    addresses: list[str] = []
    cost_cap: dict[str, Any] = {}
    for p in sorted((real / "notices").glob("*.yaml")):
        d = _yaml(p)
        key_points.setdefault(d["kind"], []).extend(d.get("key_points", []))
        summaries.setdefault(d["kind"], []).append(d["summary"])
        m = re.match(r"^(.*)〔\d{4}〕\d+号$", d.get("doc_number", ""))
        if m:
            issuers.setdefault(d["issuer"], m.group(1))
        addresses += [c["address"] for c in d.get("contacts", []) if c.get("address")]
        if d["id"] == COST_CAP_NOTICE:
            cost_cap = d
    fields = {f["id"]: f["name"] for f in _yaml(real / "fields.yaml")["fields"]}
    if (real / "majors.yaml").is_file():  # standards may only name the majors listed there
        listed = {m["name"] for m in _yaml(real / "majors.yaml").get("majors", [])}
        majors = {k: [x for x in v if x in listed] for k, v in majors.items()}
    forms_doc = _yaml(real / "exam_forms.yaml")["forms"]
    forms = [f["id"] for f in forms_doc]
    return Vocabulary(
        skills=skills,
        brand_words=sorted(brand.items()),
        work_areas=_uniq(wa),
        tasks=_uniq(tasks),
        skill_names=_uniq(sk),
        requirements=_uniq(req),
        knowledge=_uniq(kn),
        majors={k: _uniq(v) for k, v in majors.items()},
        goals=lv_text["goal"],
        employments=lv_text["employment"],
        abilities=_uniq(abilities),
        courses=lv_text["courses"],
        duties=lv_text["duties"],
        audiences=_uniq(audiences),
        definitions=definitions,
        key_points={k: _uniq(v) for k, v in key_points.items()},
        summaries=summaries,
        issuers=sorted(issuers.items()),
        addresses=_uniq(addresses),
        fields=fields,
        forms=forms,
        form_caps={f["id"]: float(f["cap"]) for f in forms_doc},
        cost_cap_notice=cost_cap,
    )


# --------------------------------------------------------------------------- generation


@dataclass
class Generated:
    organizations: list[dict[str, Any]]
    certificates: list[dict[str, Any]]
    standards: list[dict[str, Any]]
    notices: list[dict[str, Any]]


class _Gen:
    def __init__(self, vocab: Vocabulary, seed: int) -> None:
        self.v = vocab
        self.r = random.Random(seed)
        self.doc_numbers: dict[int, set[int]] = {}

    # --- small helpers
    def pick(self, seq: list[Any]) -> Any:
        return seq[self.r.randrange(len(seq))]

    def sample(self, seq: list[Any], k: int) -> list[Any]:
        return self.r.sample(seq, min(k, len(seq)))

    def person(self) -> str:
        def one() -> str:
            return self.pick(SURNAMES) + "".join(
                self.pick(GIVEN) for _ in range(self.r.choice((1, 2)))
            )

        return "、".join(one() for _ in range(self.r.choice((1, 1, 2))))

    def doc_number(self, year: int) -> int:
        used = self.doc_numbers.setdefault(year, {314} if year == 2019 else set())
        n = self.r.randrange(2, 400)
        while n in used:
            n += 1
        used.add(n)
        return n

    # --- organizations
    def organizations(self, n: int) -> list[dict[str, Any]]:
        words = self.v.brand_words
        combos = [(a, b) for a in words for b in words if a != b]
        self.r.shuffle(combos)
        out: list[dict[str, Any]] = []
        seen_ids: set[str] = set()
        i = 0
        while len(out) < n:
            (w1, s1), (w2, s2) = combos[i % len(combos)]
            region, rslug = self.pick(REGIONS)
            business, bslug = self.pick(BUSINESS[:-3])
            legal = self.pick(LEGAL)
            bracket = self.r.random() < 0.2
            name = (
                f"{w1}{w2}{business}（{region}）{legal}"
                if bracket
                else f"{region}{w1}{w2}{business}{legal}"
            )
            oid = f"{rslug}-{s1}-{s2}-{bslug}"
            if oid in seen_ids:
                oid = f"{oid}-{i}"
            seen_ids.add(oid)
            i += 1
            d: dict[str, Any] = {"id": oid, "name": name}
            if self.r.random() < 0.05:
                d["aliases"] = [f"{region}{w2}{w1}{self.pick(BUSINESS)[0]}有限公司"]
            if self.r.random() < 0.05:
                cut = name[: -self.r.choice((1, 2, 3))]
                d["name_restored"] = {
                    "from": cut,
                    "note": f"原表「培训评价组织名称」栏宽所限，名称被截断为「{cut}」；"
                    "按企业信用信息公示系统登记的名称补全。",
                }
            if self.r.random() < 0.15:
                d["contacts"] = [
                    {
                        "name": self.person(),
                        "organization": name,
                        "phone": f"0{self.r.randrange(10, 999)}-{self.r.randrange(10**7, 10**8)}",
                        "email": f"x-{len(out)}@example.cn",
                        "address": f"{region}市{self.pick(self.v.addresses)[3:]}",
                        "postcode": f"{self.r.randrange(100000, 860000)}",
                    }
                ]
            if self.r.random() < 0.3:
                d["website"] = f"https://www.{oid}.example.cn/"
            out.append(d)
        return out

    # --- certificates (short names) and standards
    def certificate_names(self, n: int, first: list[str]) -> list[tuple[str, str, str, str]]:
        """(id, short_name, field, field_note) for n certificates: the real skills (those whose
        ids `first` names at the very front), then modifier + skill and skill + tail."""
        real = sorted(
            self.v.skills,
            key=lambda s: (s[0] not in first, first.index(s[0]) if s[0] in first else 0),
        )
        combos = []
        for sid, short, fld, note in self.v.skills:
            for mod, mslug in MODIFIERS:
                if not short.startswith(mod):
                    combos.append((f"{mslug}-{sid}", f"{mod}{short}", fld, note))
            for tail, tslug in TAILS:
                if not short.endswith(tail[-2:]):
                    combos.append((f"{sid}-{tslug}", f"{short}{tail}", fld, note))
        self.r.shuffle(combos)
        combos = real + combos
        out = []
        seen: set[str] = set()
        round_ = 0
        while len(out) < n:
            for cid, short, fld, note in combos:
                if len(out) >= n:
                    break
                if round_:
                    cid, short = f"{cid}-{round_ + 1}", f"{short}（{cn_number(round_ + 1)}）"
                if cid in seen or len(cid) > 80:
                    continue
                seen.add(cid)
                out.append((cid, short, fld, note))
            round_ += 1
        return out

    def items(self, pool: list[str], code: str, letter: str, k: int) -> list[dict[str, str]]:
        return [
            {"code": f"{code}-{letter}{j + 1}", "text": t}
            for j, t in enumerate(self.sample(pool, k))
        ]

    def full_work_areas(self, lv_index: int, count: int) -> list[dict[str, Any]]:
        areas = []
        for a, name in enumerate(self.sample(self.v.work_areas, count)):
            tasks = []
            for t in range(self.r.randint(1, 3)):
                tcode = f"{lv_index}-{a + 1}-{t + 1}"
                skills = []
                for s in range(self.r.randint(2, 4)):
                    scode = f"{tcode}-{s + 1}"
                    skills.append(
                        {
                            "code": scode,
                            "name": self.pick(self.v.skill_names),
                            "requirements": self.items(
                                self.v.requirements, scode, "S", self.r.randint(1, 3)
                            ),
                            "knowledge": self.items(
                                self.v.knowledge, scode, "K", self.r.randint(1, 2)
                            ),
                        }
                    )
                tasks.append({"code": tcode, "name": self.pick(self.v.tasks), "skills": skills})
            areas.append({"name": name, "code": f"{lv_index}-{a + 1}", "tasks": tasks})
        return areas

    def function_work_areas(self, count: int) -> list[dict[str, Any]]:
        return [
            {
                "name": name,
                "tasks": [
                    {
                        "name": self.pick(self.v.tasks),
                        "requirements": [
                            {"text": t}
                            for t in self.sample(self.v.requirements, self.r.randint(2, 4))
                        ],
                        "knowledge": [
                            {"text": t} for t in self.sample(self.v.knowledge, self.r.randint(2, 4))
                        ],
                    }
                    for _ in range(self.r.randint(1, 3))
                ],
            }
            for name in self.sample(self.v.work_areas, count)
        ]

    def standard(
        self, cert: dict[str, Any], org: dict[str, Any], k: int, style: str
    ) -> dict[str, Any]:
        short = cert["short_name"]
        year = self.r.randrange(2019, 2026)
        name = f"{short}职业技能等级标准"
        d: dict[str, Any] = {"id": cert["id"], "name": name, "organization": org["id"]}
        if style == "function":
            d["code"] = f"T/CX {1000 + k}-{year}"
        d["version"] = f"{year} 1.0"
        d["published"] = dt.date(year, self.r.randint(1, 12), self.r.randint(1, 28)).isoformat()
        if style != "thin":
            t1, t2 = self.sample(self.v.tasks, 2)
            d["definition"] = (
                f"运用{short}相关的专业知识、方法和工具，完成{t1}、{t2}等工作任务的技能。"
            )
        d["summary"] = (
            f"《{name}》由{org['name']}在教育部指导下组织专家编写"
            f"（{year}年{self.r.randint(1, 12)}月），"
            f"以反映{self.v.fields[cert['field']]}相关行业当前技术水平及其对从业人员的能力要求为目标。\n\n"
            "标准采用功能分析法编写，由五个要素构成：工作领域、工作任务、职业技能、技能要求、知识要求。"
            f"职业技能分初级、中级、高级三个等级：初级证书持有者{self.pick(self.v.abilities)}，"
            f"中级证书持有者{self.pick(self.v.abilities)}，高级证书持有者{self.pick(self.v.abilities)}。"
        )
        d["structure"] = "function" if style == "function" else "work-area"
        levels = []
        hours = self.pick([(96, 224, 320), (64, 128, 192), (48, 96, 144), (80, 160, 240)])
        for i, lv in enumerate(cert["levels"]):
            level: dict[str, Any] = {"level": lv}
            if style == "full":
                level["training_hours"] = hours[i]
                level["majors"] = {
                    el: self.sample(pool, self.r.randint(2, 4))
                    for el, pool in self.v.majors.items()
                    if pool
                }
                level["goal"] = self.pick(self.v.goals)
                level["employment"] = self.pick(self.v.employments)
                level["abilities"] = self.sample(self.v.abilities, self.r.randint(2, 5))
                level["courses"] = self.pick(self.v.courses)
                level["work_areas"] = self.full_work_areas(i + 1, self.r.randint(3, 5))
            elif style == "function":
                level["duties"] = self.pick(self.v.duties)
                level["audience"] = self.sample(self.v.audiences, self.r.randint(2, 4))
                level["work_areas"] = self.function_work_areas(self.r.randint(3, 6))
            else:
                el = list(self.v.majors)[i % 3]
                level["majors"] = {el: self.sample(self.v.majors[el], 1)}
            levels.append(level)
        d["levels"] = levels
        if style == "function":
            d["work_areas"] = self.function_work_areas(3)
        elif style == "thin":
            d["work_areas"] = [{"name": w} for w in self.sample(self.v.work_areas, 5)]
        d["source"] = {"document": SOURCE_DOC, "heading": name}
        return d


def _period_end(r: random.Random, start: dt.date) -> dt.date:
    """5-7 working days (policy.yaml's minimum is 5) by the official calendar when the generator's
    calendar knows the year, else 9-11 calendar days."""
    try:
        sys.path.insert(0, str(REPO))
        from generator.workdays import last_of_working_days

        return last_of_working_days(start, r.randint(5, 7))
    except Exception:  # noqa: BLE001 - no calendar module, or a year it does not cover
        return start + dt.timedelta(days=r.randint(9, 11))


def _dates(start: dt.date, end: dt.date, n: int) -> list[dt.date]:
    if n <= 1:
        return [end][:n]
    step = (end - start).days / (n - 1)
    return [start + dt.timedelta(days=round(i * step)) for i in range(n)]


def site_src_refs(repo: Path = REPO) -> dict[str, list[str]]:
    """Entity ids that the hand-written pages in site_src/ link to, by kind (e.g. the open-data
    page's example `api/certificates/web-frontend.json`): the catalogue must have them."""
    refs: dict[str, list[str]] = {}
    pattern = re.compile(
        r"(certificates|organizations|standards|notices)/([a-z0-9]+(?:-[a-z0-9]+)*)(?:\.json|\.md|/)"
    )
    for p in sorted((repo / "site_src").rglob("*.md")):
        for kind, eid in pattern.findall(p.read_text(encoding="utf-8")):
            if eid != "index":
                refs.setdefault(kind, [])
                if eid not in refs[kind]:
                    refs[kind].append(eid)
    return refs


def generate(  # noqa: C901 (the generator's recipe, one kind of entity after another)
    *,
    certificates: int,
    organizations: int,
    notices: int,
    standards: int = 20,
    seed: int = 1,
    vocab: Vocabulary | None = None,
) -> Generated:
    if organizations < 1 and certificates > 0:
        raise ValueError("certificates need at least one organization")
    if notices < 1:
        raise ValueError("exam_forms.yaml names a notice: at least 1 notice is needed")
    g = _Gen(vocab or load_vocabulary(), seed)
    r = g.r
    orgs = g.organizations(organizations)
    org_by_id = {o["id"]: o for o in orgs}

    # Notice mix (the rest are policy documents; one of them is the real cost-cap notice).
    n_left = notices - 1
    n_ann = min(n_left, max(1 if certificates else 0, round(0.25 * notices)))
    n_conf = min(n_left - n_ann, round(0.20 * notices), max(n_ann - 1, 0))
    n_work = min(n_left - n_ann - n_conf, round(0.12 * notices)) if certificates else 0
    n_teacher = min(n_left - n_ann - n_conf - n_work, round(0.10 * notices)) if certificates else 0
    n_exit = (
        min(n_left - n_ann - n_conf - n_work - n_teacher, round(0.05 * notices))
        if certificates
        else 0
    )
    n_policy = n_left - n_ann - n_conf - n_work - n_teacher - n_exit

    # Certificates, split into announcement groups of uneven size (consecutive, so batches grow).
    names = g.certificate_names(certificates, site_src_refs().get("certificates", []))
    weights = [r.uniform(0.5, 1.5) for _ in range(n_ann)]
    total = sum(weights) or 1.0
    bounds = [0]
    acc = 0.0
    for w in weights:
        acc += w
        bounds.append(round(acc / total * certificates))
    groups = [list(range(bounds[i], bounds[i + 1])) for i in range(n_ann)]
    for grp in groups:  # no empty group
        if not grp and certificates:
            donor = max(range(n_ann), key=lambda j: len(groups[j]))
            grp.append(groups[donor].pop())
    groups = [sorted(gr) for gr in groups]
    n_batches = min(20, max(n_ann, 1))
    batch_of_group = [1 + i * n_batches // max(n_ann, 1) for i in range(n_ann)]

    # Organizations: every one gets a certificate first, the rest go to a few large ones.
    order = list(range(organizations))
    r.shuffle(order)
    weights_o = [1 / math.sqrt(rank + 1) for rank in range(organizations)]
    cert_org = [
        orgs[order[i]]["id"]
        if i < organizations
        else orgs[order[r.choices(range(organizations), weights_o)[0]]]["id"]
        for i in range(certificates)
    ]
    perm = list(range(certificates))
    r.shuffle(perm)  # spread the round-robin part over all groups
    cert_org = [cert_org[perm[i]] for i in range(certificates)]

    # Announcement dates: spread from 2019-03 to just after TODAY, so the last are open or upcoming.
    ann_dates = _dates(dt.date(2019, 3, 26), TODAY + dt.timedelta(days=4), n_ann)
    group_of = {}
    for gi, grp in enumerate(groups):
        for ci in grp:
            group_of[ci] = gi

    std_every = certificates // standards if standards and certificates else 0
    std_certs = {i * std_every + std_every // 2 for i in range(standards)} if std_every else set()
    certs: list[dict[str, Any]] = []
    ann_titles = [
        f"关于参与 1+X 证书制度试点第{cn_number(batch_of_group[i])}批"
        "职业教育培训评价组织和职业技能等级证书的公示公告"
        f"（第 {i + 1} 组）"
        for i in range(n_ann)
    ]
    for ci, (cid, short, fld, note) in enumerate(names):
        gi = group_of[ci]
        levels = r.choices(
            [["初级", "中级", "高级"], ["初级", "中级"], ["中级", "高级"]], [85, 10, 5]
        )[0]
        d: dict[str, Any] = {
            "id": cid,
            "name": f"{short}职业技能等级证书",
            "short_name": short,
            "organization": cert_org[ci],
            "batch": batch_of_group[gi],
            "levels": levels,
            "field": fld,
        }
        if note:
            d["field_note"] = note
        if ci in std_certs:
            d["standard"] = cid
        if r.random() < 0.05:
            cut = d["name"][:-1]
            d["name_restored"] = {
                "from": cut,
                "note": f"原表「职业技能等级证书名称」栏宽所限，名称被截断为「{cut}」；"
                f"按证书名称的统一格式补全为「{d['name']}」。",
            }
        if r.random() < 0.2:
            forms = g.v.forms
            split = r.choice([(50, 50), (40, 60), (30, 70), (100,)])
            part_names = ["理论考试", "实操考试"]
            d["exam"] = {
                "description": (
                    f"{short}职业技能初、中、高三个级别均为闭卷考试，包括"
                    f"{'理论考试和实操考试两部分' if len(split) == 2 else '一个部分'}，"
                    "成绩达到 60 分方可获得相应级别的证书。"
                ),
                "parts": [
                    {
                        "name": part_names[j],
                        "form": forms[j + r.randrange(len(forms) - 1)]
                        if j
                        else forms[r.randrange(2)],
                        "share": share,
                        "full_mark": 100,
                        "pass_mark": 60,
                        "description": g.pick(g.v.requirements),
                    }
                    for j, share in enumerate(split)
                ],
            }
        if "exam" in d and r.random() < 0.5:
            cap = sum(p["share"] / 100 * g.v.form_caps[p["form"]] for p in d["exam"]["parts"])
            d["fees"] = [
                {
                    "level": lv,
                    "amount": math.floor(cap * r.uniform(0.5, 1.0)),
                    "source": f"{org_by_id[cert_org[ci]]['name']}收费公示",
                    "date": f"{2020 + r.randrange(6)}-0{r.randint(1, 9)}-15",
                }
                for lv in levels
            ]
        if r.random() < 0.1:
            years = range(2020 + r.randrange(3), 2026)
            src = f"{org_by_id[cert_org[ci]]['name']}年度报告"
            d["outcomes"] = [
                {
                    "metric": "pass_rate",
                    "year": y,
                    "value": round(r.uniform(40, 95), 1),
                    "source": src,
                    "date": f"{y + 1}-03-01",
                }
                for y in years
            ] + [
                {
                    "metric": "issued",
                    "year": y,
                    "value": r.randrange(100, 20000),
                    "source": src,
                    "date": f"{y + 1}-03-01",
                }
                for y in years
            ]
        if r.random() < 0.4:
            h = r.choice([(96, 224, 320), (64, 128, 192), (48, 96, 144)])
            d["summary"] = (
                f"按《{short}职业技能等级标准》，本证书考核{g.pick(g.v.skill_names).removeprefix('能')}等技能。"
                f"初级证书持有者{g.pick(g.v.abilities)}，中级{g.pick(g.v.abilities)}，"
                f"高级{g.pick(g.v.abilities)}；"
                f"培训时间分别不少于 {h[0]}、{h[1]}、{h[2]} 标准课时（均含下级课时）。"
            )
        d["source"] = {
            "document": SOURCE_DOC,
            "heading": ann_titles[gi],
            "note": f"附件 1 第{cn_number(d['batch'])}批名单第 {groups[gi].index(ci) + 1} 项。",
        }
        certs.append(d)

    # Standards, owned by the certificate's organization; styles like the three real ones.
    stds = []
    for k, ci in enumerate(sorted(std_certs)):
        style = ("full", "full", "full", "function", "thin")[k % 5]
        stds.append(g.standard(certs[ci], org_by_id[certs[ci]["organization"]], k, style))
    std_of_cert = {s["id"] for s in stds}

    # Organization summaries and sources (from their first certificate's batch).
    first_cert: dict[str, dict[str, Any]] = {}
    for c in certs:
        first_cert.setdefault(c["organization"], c)
    for o in orgs:
        c = first_cert.get(o["id"])
        if c and r.random() < 0.3:
            o["summary"] = (
                f"第{cn_number(c['batch'])}批培训评价组织，组织编写《{c['short_name']}职业技能等级标准》"
                f"（{2019 + c['batch'] // 3}年{r.randint(1, 12)}月）。"
                f"其{c['short_name']}证书师资培训方案"
                f"经公示：每期 {r.choice((24, 40, 56))} 学时、{r.choice((3, 5, 7))} 天，"
                f"拟收费 {r.choice((2000, 2500, 3000))} 元/人。"
            )
        if c and r.random() < 0.05:
            o["outcomes"] = [
                {
                    "metric": "candidates",
                    "year": y,
                    "value": r.randrange(500, 50000),
                    "source": f"{o['name']}年度报告",
                    "date": f"{y + 1}-03-01",
                }
                for y in range(2021, 2026)
            ]
        if c:
            o["source"] = {
                "document": SOURCE_DOC,
                "heading": c["source"]["heading"],
                "note": f"第{cn_number(c['batch'])}批名单第 {r.randint(1, 80)} 项。",
            }

    # ---- notices
    ins = "教育部职业技术教育中心研究所"
    ins_prefix = dict(g.v.issuers).get(ins, "教职所")
    out_notices: list[dict[str, Any]] = []

    def contacts() -> list[dict[str, str]]:
        return [
            {
                "name": g.person(),
                "organization": ins,
                "phone": f"010-5855{r.randrange(6700, 6799)}",
                "email": "x-one@example.cn",
                "address": g.pick(g.v.addresses),
                "postcode": "100029",
            }
        ]

    def orgs_of(cert_ids: list[int]) -> list[str]:
        return list(dict.fromkeys(certs[i]["organization"] for i in cert_ids))

    def new_notice(
        date: dt.date,
        kind: str,
        title: str,
        summary: str,
        slug: str,
        *,
        issuer: str = ins,
        prefix: str = ins_prefix,
        precision: str = "day",
        **extra: Any,
    ) -> dict[str, Any]:
        num = g.doc_number(date.year)
        d = {
            "id": f"{date.year}-{num}-{slug}",
            "title": title,
            "doc_number": f"{prefix}〔{date.year}〕{num}号",
            "issuer": issuer,
            "date": {
                "day": date.isoformat(),
                "month": date.isoformat()[:7],
                "year": str(date.year),
            }[precision],
            "kind": kind,
        }
        d.update(extra)
        d["summary"] = summary
        kp = g.v.key_points.get(kind) or g.v.key_points.get("通知", [])
        if kp:
            d["key_points"] = d.pop("key_points", None) or g.sample(kp, r.randint(3, 7))
        d["_date"] = date
        out_notices.append(d)
        return d

    # the real cost-cap notice (exam_forms.yaml cites it), without references to real entities
    real = dict(g.v.cost_cap_notice) or {
        "id": COST_CAP_NOTICE,
        "title": "关于职业技能等级证书考核成本上限的公示",
        "issuer": ins,
        "date": "2019-11-25",
        "kind": "公示",
        "summary": "考核成本上限。",
        "period": {"start": "2019-11-25", "end": "2019-11-29"},
    }
    real.pop("related", None)
    real.pop("concerns", None)
    real["_date"] = (
        dt.date.fromisoformat(str(real["date"])[:10])
        if len(str(real["date"])) == 10
        else dt.date(2019, 11, 25)
    )
    out_notices.append(real)

    policies = []
    pol_dates = sorted(
        dt.date(2019, 1, 1) + dt.timedelta(days=r.randrange(0, (TODAY - dt.date(2019, 1, 1)).days))
        for _ in range(n_policy)
    )
    for i, date in enumerate(pol_dates):
        t = i % len(POLICY_TITLES)
        kind = POLICY_KINDS[t]
        province = g.pick(PROVINCES)
        title = POLICY_TITLES[t].format(
            year=date.year, province=province, n=cn_number(1 + i // len(POLICY_TITLES) % 9 + 1)
        )
        if t in (3, 6) or r.random() < 0.3:
            issuer, prefix = f"{province}教育厅", f"{province[:1]}教职成"
        else:
            issuer, prefix = g.pick(g.v.issuers)
        summaries = g.v.summaries.get(kind) or g.v.summaries["通知"]
        slug = {
            "通知": "notice",
            "办法": "measures",
            "意见": "opinions",
            "纪要": "minutes",
            "方案": "scheme",
        }[kind]
        precision = r.choices(["day", "month", "year"], [90, 6, 4])[0]
        earlier = [p["id"] for p in policies] + [COST_CAP_NOTICE] * (date > real["_date"])
        extra: dict[str, Any] = {}
        if earlier and r.random() < 0.7:
            extra["related"] = g.sample(earlier[-30:], r.randint(1, 3))
        policies.append(
            new_notice(
                date,
                kind,
                title,
                g.pick(summaries),
                slug,
                issuer=issuer,
                prefix=prefix,
                precision=precision,
                **extra,
            )
        )

    def policy_before(date: dt.date, k: int) -> list[str]:
        ids = [p["id"] for p in policies if p["_date"] < date]
        return g.sample(ids[-20:], k)

    anns = []
    for gi, grp in enumerate(groups):
        date = ann_dates[gi]
        end = _period_end(r, date)
        stds_here = [certs[i]["id"] for i in grp if certs[i]["id"] in std_of_cert]
        concerns: dict[str, list[str]] = {
            "organizations": orgs_of(grp),
            "certificates": [certs[i]["id"] for i in grp],
        }
        if stds_here:
            concerns["standards"] = stds_here
        n_o, n_c = len(concerns["organizations"]), len(grp)
        summary = (
            f"职教所受教育部委托持续招募培训评价组织，"
            f"经专家遴选产生 {n_o} 家培训评价组织的 {n_c} 个职业技能等级证书，"
            f"拟参与 1+X 证书制度试点，并将名单及标准向社会公示。汇编收录了名单，标准部分从略。"
        )
        fields_here = dict.fromkeys(g.v.fields[certs[i]["field"]].removesuffix("大类") for i in grp)
        kps = [
            f"拟参与试点的为 {n_o} 家培训评价组织的 {n_c} 个职业技能等级证书。",
            f"公示期为 {date.year}年{date.month}月{date.day}日"
            f"至{end.year}年{end.month}月{end.day}日。",
            f"招募期间共收到 {r.randint(150, 300)} 家单位提交的 {r.randint(300, 600)} 份有效申请。",
            f"名单覆盖{'、'.join(fields_here)}等领域。",
        ]
        extra = {
            "period": {"start": date.isoformat(), "end": end.isoformat()},
            "contacts": contacts(),
            "key_points": kps,
            "concerns": concerns,
        }
        rel = policy_before(date, r.randint(0, 2))
        if rel:
            extra["related"] = rel
        anns.append(
            new_notice(
                date,
                "公示",
                ann_titles[gi],
                summary,
                f"batch-{batch_of_group[gi]}-announcement",
                **extra,
            )
        )
        anns[-1]["source"] = {"document": SOURCE_DOC, "heading": ann_titles[gi]}

    closed = [
        a for a in anns if dt.date.fromisoformat(a["period"]["end"]) + dt.timedelta(days=30) < TODAY
    ]
    confs = []
    for a in closed[:n_conf]:
        end = dt.date.fromisoformat(a["period"]["end"])
        date = end + dt.timedelta(days=r.randint(10, 30))
        b = a["title"].split("第")[1].split("批")[0]
        c = a["concerns"]
        title = (
            f"关于确认参与 1+X 证书制度试点的第{b}批职业教育培训评价组织及职业技能等级证书的通知"
        )
        summary = (
            f"经公示无异议，确认第{b}批 {len(c['organizations'])} 家培训评价组织的 "
            f"{len(c['certificates'])} 个职业技能等级证书"
            f"参与 1+X 证书制度试点。名单与公示名单相同。"
        )
        confs.append(
            new_notice(
                date,
                "确认",
                title,
                summary,
                "confirmation",
                concerns={k: list(v) for k, v in c.items() if k != "standards"},
                related=[a["id"]] + policy_before(date, r.randint(0, 2)),
            )
        )
    n_spare = n_conf - len(confs)  # too few closed announcements: the rest become 通知 below

    for i in range(n_work + n_spare):
        base = g.pick(confs or anns)
        date = base["_date"] + dt.timedelta(days=r.randint(20, 120))
        picked = g.sample(base["concerns"]["certificates"], r.randint(3, 12))
        title = f"关于做好第{cn_number(1 + i % 20)}批 1+X 证书制度试点工作的通知"
        summary = (
            "为推进 1+X 证书制度试点，教育部职业教育与成人教育司就有关证书的试点院校遴选、"
            "师资培训、"
            "考核站点建设和经费保障等工作作出部署，请各地教育行政部门按要求组织实施。"
        )
        new_notice(
            date,
            "通知",
            title,
            summary,
            "pilot-work",
            issuer="教育部职业教育与成人教育司",
            prefix=dict(g.v.issuers).get("教育部职业教育与成人教育司", "教职成司函"),
            concerns={"certificates": picked},
            related=[base["id"]],
        )

    for _ in range(n_teacher):
        ci = r.randrange(certificates)
        c = certs[ci]
        date = min(
            ann_dates[group_of[ci]] + dt.timedelta(days=r.randint(40, 200)),
            TODAY + dt.timedelta(days=r.randint(-30, 10)),
        )
        end = _period_end(r, date)
        o = org_by_id[c["organization"]]
        title = f"关于{c['short_name']}职业技能等级证书师资培训方案的公示"
        summary = (
            f"{o['name']}报送的{c['short_name']}证书师资培训方案经审核，"
            f"现予公示：每期 {r.choice((24, 40))} 学时，"
            f"拟收费 {r.choice((2000, 3000))} 元/人。"
        )
        new_notice(
            date,
            "公示",
            title,
            summary,
            "teacher-training",
            period={"start": date.isoformat(), "end": end.isoformat()},
            contacts=contacts(),
            concerns={"organizations": [o["id"]], "certificates": [c["id"]]},
            related=[anns[group_of[ci]]["id"]],
        )

    old = [c for c in confs if c["_date"] + dt.timedelta(days=200) < TODAY] or confs or anns
    for i in range(n_exit):
        base = g.pick(old)
        date = min(
            base["_date"] + dt.timedelta(days=r.randint(200, 700)), TODAY - dt.timedelta(days=1)
        )
        picked = g.sample(base["concerns"]["certificates"], r.randint(1, 3))
        title = (
            f"关于部分职业技能等级证书退出 1+X 证书制度试点的公告"
            f"（{date.year}年第{cn_number(1 + i % 9)}号）"
        )
        summary = (
            "根据证书监督管理办法，经培训评价组织申请并经评估，"
            "下列职业技能等级证书退出 1+X 证书制度试点，已取得的证书继续有效。"
        )
        idx = {c["id"]: c for c in certs}
        new_notice(
            date,
            "退出",
            title,
            summary,
            "withdrawal",
            concerns={
                "organizations": list(dict.fromkeys(idx[p]["organization"] for p in picked)),
                "certificates": picked,
            },
            related=[base["id"]],
        )

    for d in out_notices:
        d.setdefault("source", {"document": SOURCE_DOC, "heading": d["title"]})
        del d["_date"]
    return Generated(organizations=orgs, certificates=certs, standards=stds, notices=out_notices)


# --------------------------------------------------------------------------- output


def _dump(path: Path, kind: str, label: str, data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    path.write_text(f"# {kind}: {label}\n{text}", encoding="utf-8")


def write_root(  # noqa: C901 (one file kind after another)
    out: Path, gen: Generated, *, repo: Path = REPO, force: bool = False
) -> Path:
    """Write OUT as a buildable ROOT; return its catalogue folder."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        if not force:
            raise SystemExit(f"{out} is not empty (use --force to replace it)")
        for name in ("catalogue", "site_src", "mkdocs.yml"):
            p = out / name
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
    cat = out / "catalogue"
    for sub in ("organizations", "certificates", "standards", "notices"):
        (cat / sub).mkdir(parents=True, exist_ok=True)
    # fields.yaml, exam_forms.yaml and whatever other singleton files the real catalogue has
    # (majors.yaml: standards may only name majors listed there; policy.yaml).
    for f in sorted((repo / "catalogue").glob("*.yaml")):
        shutil.copy2(f, cat / f.name)
    policy = cat / "policy.yaml"
    if policy.is_file():  # it lists real notices accepted with short 公示 periods: keep ours only
        doc = _yaml(policy) or {}
        ids = {n["id"] for n in gen.notices}
        if "accepted_short_announcements" in doc:
            kept = [i for i in doc["accepted_short_announcements"] if i in ids]
            if kept:
                doc["accepted_short_announcements"] = kept
            else:
                del doc["accepted_short_announcements"]
        policy.write_text(
            "# policy: copied from the real catalogue, without notices this catalogue lacks\n"
            + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
    for kind, folder, items, label in (
        ("organization", "organizations", gen.organizations, "name"),
        ("certificate", "certificates", gen.certificates, "name"),
        ("standard", "standards", gen.standards, "name"),
        ("notice", "notices", gen.notices, "title"),
    ):
        for d in items:
            _dump(cat / folder / f"{d['id']}.yaml", kind, d[label], d)
    shutil.copytree(repo / "site_src", out / "site_src")
    shutil.copy2(repo / "mkdocs.yml", out / "mkdocs.yml")
    have = {
        "certificates": gen.certificates,
        "organizations": gen.organizations,
        "standards": gen.standards,
        "notices": gen.notices,
    }
    for kind, ids in site_src_refs(repo).items():
        missing = sorted(set(ids) - {d["id"] for d in have[kind]})
        if missing:
            print(
                f"warning: site_src links to {kind} {', '.join(missing)}, "
                "which this catalogue lacks; "
                "a strict build may fail",
                file=sys.stderr,
            )
    verify = out / "site_src" / "verify" / "index.md"
    if not verify.exists():  # the nav names it; another engineer's page may not be in yet
        verify.parent.mkdir(parents=True, exist_ok=True)
        verify.write_text(
            "---\ntitle: 证书核验\n---\n\n# 证书核验\n\n（基准测试用的占位页。）\n",
            encoding="utf-8",
        )
    return cat


def verify_catalogue(cat: Path) -> Any:
    sys.path.insert(0, str(REPO))
    from generator.validate import load_catalogue

    return load_catalogue(cat)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "out", type=Path, help="folder to write (becomes a ROOT: catalogue/, site_src/, mkdocs.yml)"
    )
    p.add_argument("--certificates", type=int, default=2000)
    p.add_argument("--organizations", type=int, default=300)
    p.add_argument("--notices", type=int, default=500)
    p.add_argument("--standards", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--force", action="store_true", help="replace catalogue/, site_src/, mkdocs.yml in OUT"
    )
    p.add_argument("--no-verify", action="store_true", help="skip the load_catalogue check")
    a = p.parse_args(argv)
    gen = generate(
        certificates=a.certificates,
        organizations=a.organizations,
        notices=a.notices,
        standards=a.standards,
        seed=a.seed,
    )
    cat = write_root(a.out, gen, force=a.force)
    print(
        f"wrote {len(gen.organizations)} organizations, {len(gen.certificates)} certificates, "
        f"{len(gen.standards)} standards, {len(gen.notices)} notices into {cat}"
    )
    if not a.no_verify:
        c = verify_catalogue(cat)
        print(
            f"load_catalogue: valid ({len(c.organizations)} organizations, "
            f"{len(c.certificates)} certificates, "
            f"{len(c.standards)} standards, {len(c.notices)} notices)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
