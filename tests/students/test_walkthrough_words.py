"""What a visitor reads on pages found wanting in a walkthrough of the built site: no table of
dashes where the standard gives nothing, and no heading repeated in the sentence after it."""

from __future__ import annotations

import re
from pathlib import Path

from visible_text import page_text

from generator.validate import load_catalogue

REPO = Path(__file__).resolve().parents[2]


def test_a_standard_without_hours_or_majors_is_said_in_words_not_a_table_of_dashes(
    built_site: Path,
) -> None:
    text = page_text(built_site, "certificates/logistics-management")
    assert "《物流管理职业技能等级标准》原文未给出各等级的培训学时和衔接专业" in text
    assert "衔接中职专业" not in text
    # A standard that gives them keeps its table.
    assert "衔接中职专业" in page_text(built_site, "certificates/web-frontend")


def test_a_level_s_duties_are_not_introduced_twice(built_site: Path) -> None:
    text = page_text(built_site, "standards/logistics-management")
    assert "主要职责：根据作业流程的规定，完成仓储" in text
    assert "主要职责：主要职责" not in text


def test_an_organization_s_other_name_is_explained_in_plain_words(built_site: Path) -> None:
    text = page_text(built_site, "organizations/langfang-zhongke-building-innovation")
    assert "本站把括号内的名称列为它的又称" in text
    assert "别名" not in text


def test_no_standard_has_an_english_comma_inside_chinese(built_site: Path) -> None:
    cat = load_catalogue(REPO / "catalogue")
    for std in cat.standards.values():
        texts = std.texts()
        assert not [t for t in texts if re.search(r"[\u4e00-\u9fff], ?[\u4e00-\u9fff]", t)]
    page = page_text(built_site, "standards/logistics-management")
    assert "能确定盘点策略，选择盘点方式" in page
    page = page_text(built_site, "standards/web-frontend")
    assert "原文中有 4 处排版错误，本页已改正" in page
    assert "能熟练使用 Webpack 分析项目结构，并将 JavaScript 模块" in page


def test_a_standard_number_printed_as_a_placeholder_is_explained(built_site: Path) -> None:
    text = page_text(built_site, "standards/logistics-management")
    assert "T/CFLP XXXX-201X（原文如此，未填具体编号）" in text
