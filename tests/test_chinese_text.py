"""The text visitors read is clean Chinese: no stray spaces, no file or field names, sources cited
by title and 文号, one quotation style, and no developer pages among the published files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from visible_text import page_text, visible_text

from generator.render.cjk import CJK, join_lines

_STRAY = re.compile(f"[{CJK}][ \t\r\n]+[{CJK}]")
# A date with white space inside it: "2019 年 3 月 26 日", "2019年 3月", "3 月 31 日", "每月 12 日"
# (a duration such as "3 年以上" is no date: only four-digit years count).
_SPACED_DATE = re.compile(
    r"\d{4}\s+年|年\s+\d{1,2}\s*月|\d{1,2}\s+月\s*\d{1,2}\s*日|月\s*\d{1,2}\s+日"
)


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_a_line_break_between_chinese_characters_is_joined_and_nothing_else_is() -> None:
    source = (
        "---\ntitle: 标题\n---\n\n# 标题\n\n可以考取一个或多个\n职业技能等级证书，按照\n"
        "**职业技能等级标准**开发。\nEnglish words\nstay apart.\n\n- 列表项\n- 第二项\n\n"
        "| 表头 |\n|---|\n| 单元格 |\n\n```\n代码\n不动\n```\n"
    )
    joined = join_lines(source)
    assert "可以考取一个或多个职业技能等级证书，按照**职业技能等级标准**开发。" in joined
    assert "English words\nstay apart." in joined
    assert "- 列表项\n- 第二项" in joined
    assert "| 表头 |\n|---|\n| 单元格 |" in joined
    assert "代码\n不动" in joined
    assert joined.startswith("---\ntitle: 标题\n---\n")


def test_the_scan_finds_a_stray_space_and_ignores_blocks_badges_and_hidden_text() -> None:
    assert _STRAY.search(visible_text("<p>经过公示， 接受社会监督</p>"))
    clean = (
        "<p>经过公示，</p><p>接受监督</p><div hidden>隐藏 文字</div>"
        "<p>公示期 <span class='xcert-status'>已结束</span></p><script>var a='甲 乙'</script>"
    )
    assert not _STRAY.search(visible_text(clean))


def test_the_scan_finds_a_date_with_spaces_and_leaves_durations_alone() -> None:
    for spaced in ("2019 年 3 月 26 日", "2019年 3 月", "至 3 月 31 日", "每月12 日", "2020 年"):
        assert _SPACED_DATE.search(spaced), spaced
    for clean in ("2019年3月26日至3月31日", "满 3 年以上", "2024年 3 份", "共 9 期"):
        assert not _SPACED_DATE.search(clean), clean


def _printed_originals() -> list[str]:
    """The original texts a standard's correction table quotes as printed (spaces and all)."""
    out = []
    for path in (REPO / "catalogue" / "standards").glob("*.yaml"):
        standard = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += [c["printed"] for c in standard.get("corrections", ())]
    return out


def test_no_built_page_has_a_space_between_two_chinese_characters_or_inside_a_date(
    built_site: Path,
) -> None:
    quoted = _printed_originals()
    found = {}
    for page in _pages(built_site):
        text = visible_text(page.read_text(encoding="utf-8"))
        hits = [
            text[max(0, m.start() - 8) : m.end() + 8].replace("\x00", "|")
            for m in _STRAY.finditer(text)
        ]
        for original in quoted:
            text = text.replace(original, "")
        hits += [
            text[max(0, m.start() - 8) : m.end() + 8].replace("\x00", "|")
            for m in _SPACED_DATE.finditer(text)
        ]
        if hits:
            found[str(page.relative_to(built_site))] = hits[:3]
    assert not found, found


def test_citations_never_show_a_file_name_or_a_field_name(built_site: Path) -> None:
    leaks = re.compile(r"\d{3}_[0-9a-f]{16}|\.txt\b|name_restored|work_areas|field_note")
    found = {}
    for page in _pages(built_site):
        hit = leaks.search(visible_text(page.read_text(encoding="utf-8")))
        if hit:
            found[str(page.relative_to(built_site))] = hit.group(0)
    assert not found, found


def test_a_source_is_cited_by_the_title_and_document_number(built_site: Path) -> None:
    text = page_text(built_site, "certificates/sports-nutrition-consulting")
    assert (
        "来源：《关于参与 1+X 证书制度试点第三批职业教育培训评价组织和职业技能等级证书的"
        "公示公告》（教职所〔2019〕341号）附件 1 第三批名单第"
    ) in text
    web = page_text(built_site, "certificates/web-frontend")
    assert (
        "（职教所〔2019〕67号）附件 1 首批名单第 2 项。"
        "首批确认通知（教职所〔2019〕89号）所列名单相同。"
    ) in web


def test_editor_notes_stay_in_the_catalogue(built_site: Path) -> None:
    notice = page_text(built_site, "notices/2019-341-third-batch-announcement")
    assert "name_restored" not in notice
    assert "本目录已补全，并在相应证书和组织页上注明原文的写法" in notice
    elderly = page_text(built_site, "certificates/elderly-care")
    assert "本目录以前者为组织记录" not in elderly
    assert "同时列出中国社会福利与养老服务协会和北京中福长者文化科技有限公司" in elderly


@pytest.mark.parametrize("folder", ["assets/vendor", "r"])
def test_data_folders_hold_no_page_for_visitors(built_site: Path, folder: str) -> None:
    assert not list((built_site / folder).rglob("*.html"))
    assert not list((built_site / folder).rglob("README*"))


def test_one_quotation_style_across_the_site(built_site: Path) -> None:
    corner = {
        str(p.relative_to(built_site))
        for p in _pages(built_site)
        if re.search("[「」]", visible_text(p.read_text(encoding="utf-8")))
    }
    assert not corner


def test_the_home_page_title_names_the_site_once(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", home)
    assert title and title.group(1) == "1+X 职业技能等级证书公开目录"
