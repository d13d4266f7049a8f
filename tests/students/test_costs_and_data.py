"""Cost caps, the fee check, the finder index and the open-data API."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import ASSETS, REPO
from jsonschema import Draft202012Validator

from generator.models import Exam, ExamForm, ExamPart
from generator.render.api import SCHEMAS, render_api
from generator.validate import load_catalogue

PAPER, COMPUTER = ExamForm("paper", "纸笔考试", 200), ExamForm("computer", "机考", 300)
PRACTICAL, SPECIAL = (
    ExamForm("practical", "一般实操", 500),
    ExamForm("practical-special", "特殊实操", 700),
)


@pytest.mark.parametrize(
    ("parts", "cap"),
    [
        ([(PAPER, 100)], 200),
        ([(COMPUTER, 100)], 300),
        ([(PRACTICAL, 100)], 500),
        ([(SPECIAL, 100)], 700),
        ([(COMPUTER, 50), (COMPUTER, 50)], 300),
        ([(PAPER, 40), (PRACTICAL, 60)], 380),
        ([(PAPER, 30), (SPECIAL, 70)], 550),
        ([(PAPER, 33.3), (COMPUTER, 33.3), (SPECIAL, 33.4)], 400.3),  # 66.6 + 99.9 + 233.8
    ],
)
def test_cost_cap_is_the_share_weighted_average_of_the_forms(
    parts: list[tuple[ExamForm, float]], cap: float
) -> None:
    exam = Exam(
        parts=tuple(ExamPart(name=f"p{i}", form=f, share=s) for i, (f, s) in enumerate(parts))
    )
    assert exam.cost_cap == cap


def test_cap_explanation_shows_the_weighting() -> None:
    exam = Exam(parts=(ExamPart("理论", PAPER, 40), ExamPart("实操", PRACTICAL, 60)))
    assert exam.cost_cap_explanation == "按各部分分值占比加权：200 × 40% + 500 × 60% = 380 元/人次"


def test_the_shipped_cost_caps_come_from_the_catalogue_data() -> None:
    cat = load_catalogue(REPO / "catalogue")
    assert {f.id: f.cap for f in cat.exam_forms.values()} == {
        "paper": 200,
        "computer": 300,
        "practical": 500,
        "practical-special": 700,
    }
    assert cat.certificates["web-frontend"].exam is not None
    assert cat.certificates["web-frontend"].exam.cost_cap == 300


def test_an_approved_exception_allows_a_fee_above_the_cap(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "catalogue"
    shutil.copytree(ASSETS / "catalogue" / "valid", root)
    case = (ASSETS / "catalogue" / "invalid" / "fee-above-cost-cap.yaml").read_text(
        encoding="utf-8"
    )
    case += "fee_exception:\n  reference: 教职所〔2020〕1号\n  note: 特殊设备考核经批准。\n"
    (root / "certificates" / "fee-above-cost-cap.yaml").write_text(case, encoding="utf-8")
    cat = load_catalogue(root)
    assert cat.certificates["fee-above-cost-cap"].fee_exception is not None


def test_finder_index_links_higher_vocational_software_technology_to_web_frontend() -> None:
    cat = load_catalogue(REPO / "catalogue")
    links = [
        x for x in cat.major_links() if x.major.name == "软件技术" and x.education.value == "高职"
    ]
    assert {x.certificate.id for x in links} == {"web-frontend"}
    assert {x.level.value for x in links} == {"初级", "中级", "高级"}


def test_every_major_named_in_a_standard_has_a_page_entry() -> None:
    cat = load_catalogue(REPO / "catalogue")
    named = {
        n
        for s in cat.standards.values()
        for lv in s.levels
        for ns in lv.majors.values()
        for n in ns
    }
    assert named == {m.name for m in cat.majors.values()}


@pytest.mark.parametrize(
    "root", [REPO / "catalogue", ASSETS / "catalogue" / "valid"], ids=["shipped", "fixture"]
)
def test_api_files_match_their_published_schemas(root: Path) -> None:
    pages = {
        p.path: json.loads(p.content)
        for p in render_api(load_catalogue(root), today=dt.date(2026, 11, 30))
    }
    validators = {
        p.name.split(".")[0]: Draft202012Validator(json.loads(p.read_text(encoding="utf-8")))
        for p in SCHEMAS.glob("*.schema.json")
    }
    checked = 0
    for path, data in pages.items():
        parts = path.split("/")
        if len(parts) == 3 and parts[1] in (
            "certificates",
            "organizations",
            "standards",
            "notices",
        ):
            validators[parts[1][:-1]].validate(data)
            checked += 1
    for c in pages["api/certificates.json"]["certificates"]:
        validators["certificate"].validate(c)
    validators["majors"].validate(pages["api/majors.json"])
    assert checked >= 7
    assert "api/schemas/certificate.schema.json" in pages


def test_api_reports_fees_caps_and_outcomes_per_level() -> None:
    pages = {
        p.path: json.loads(p.content)
        for p in render_api(
            load_catalogue(ASSETS / "catalogue" / "valid"), today=dt.date(2019, 3, 28)
        )
    }
    cert = pages["api/certificates/web-dev.json"]
    junior = cert["levels"][0]
    assert (
        junior["level"] == "初级" and junior["cost_cap"] == 400 and junior["fee"]["amount"] == 380
    )
    assert cert["levels"][1]["fee"] is None
    assert [o["value"] for o in cert["outcomes"] if o["metric"] == "pass_rate"] == [62.5, 70]
    assert cert["status"] == "公示中"
