"""Pages say in sentences what the catalogue knows: a certificate's organization, batch, field,
levels, the notice that announced it and its period, its standing explained, the organization's
other certificates and related ones; and the data added from the seeds is on the pages."""

from __future__ import annotations

from pathlib import Path

from visible_text import page_text

from generator.validate import load_catalogue

REPO = Path(__file__).resolve().parents[2]


def test_a_certificate_page_says_what_the_catalogue_knows_in_sentences(built_site: Path) -> None:
    text = page_text(built_site, "certificates/web-frontend")
    assert (
        "Web 前端开发职业技能等级证书由工业和信息化部教育与考试中心开发和颁发，是 1+X 证书制度试点"
        "第一批的证书，归入电子信息大类，设初级、中级、高级三个等级。"
        "考核依据《Web 前端开发职业技能等级标准》。"
    ) in text
    assert (
        "（职教所〔2019〕67号）于 2019年3月26日至2019年3月31日公示了这份名单；"
        "《关于确认参与1+X证书制度试点的首批职业教育培训评价组织及职业技能等级证书的通知》"
        "（教职所〔2019〕89号）于 2019年4月15日确认。"
    ) in text


def test_a_third_batch_certificate_explains_why_it_is_still_awaiting(built_site: Path) -> None:
    cat = load_catalogue(REPO / "catalogue")
    third = [c.id for c in cat.certificates.values() if c.batch == 3]
    assert len(third) == 77
    for cert_id in third:
        text = page_text(built_site, f"certificates/{cert_id}")
        assert (
            "（教职所〔2019〕341号）于 2019年12月27日至2020年1月2日公示了这份名单；"
            "本目录尚未收录确认通知"
        ) in text, cert_id
    org = page_text(built_site, "organizations/huawei")
    assert "本目录尚未收录确认通知" in org
    assert "本目录收录了它的 2 个职业技能等级证书（第三批）" in org


def test_a_certificate_page_lists_the_organizations_other_and_related_certificates(
    built_site: Path,
) -> None:
    text = page_text(built_site, "certificates/network-system-construction-operation")
    assert "华为技术有限公司的其他证书 智能计算平台应用开发职业技能等级证书：第三批" in text
    # Related certificates come from other organizations of the same field, closest first: the
    # ones that share keywords or words of the name (网络, 运维) before the rest.
    related = text.split("电子信息大类的其他证书", 2)[2].split("相关公告")[0]
    assert "网络安全运维职业技能等级证书：中科软科技股份有限公司" in related
    assert "华为技术有限公司" not in related
    assert "Web 前端开发" not in related
    assert "本领域其他组织的证书共 21 个，以上是与本证书名称或关键词最接近的 8 个" in related
    alone = page_text(built_site, "certificates/sports-nutrition-consulting")
    assert "本目录只收录了该组织的这一个证书。" in alone


def test_the_credit_rule_and_integration_are_on_the_majors_and_certificate_pages(
    built_site: Path,
) -> None:
    majors = page_text(built_site, "majors")
    assert (
        "按《职业技能等级标准开发指南（试行）》，每个证书一般计 8 个学分，可有 30% 的柔性。"
        in majors
    )
    for rule in ("标准对应", "内容融合", "教学统筹", "评价同步", "成果互换"):
        assert rule in majors
    assert "符合条件的院校按程序申请设立为考核站点，配合培训评价组织实施证书考核。" in majors
    assert "《1+X 证书制度试点的意义与任务》（无锡职业技术学院讲座幻灯片，2021年3月16日）" in majors
    cert = page_text(built_site, "certificates/logistics-management")
    assert "每个证书一般计 8 个学分，可有 30% 的柔性（见书证融通）" in cert


def test_the_teacher_training_plans_are_on_the_137_notice(built_site: Path) -> None:
    text = page_text(built_site, "notices/2019-137-teacher-training-announcement")
    assert "北京中物联物流采购培训中心于 2019年6月10日制定" in text
    assert "第 8 期 8月19日—23日 高级 面授 120 人 3000 元 待定" in text
    assert "第 5 期 7月29日—8月2日 中级" in text
    assert "方案未列出各期的时间和地点。" in text  # the Web 前端开发 plan has no classes
    assert "每期教师班预计招收 50 至 60 名" in text


def test_the_web_frontend_standard_shows_its_qualities_and_glossary(built_site: Path) -> None:
    text = page_text(built_site, "standards/web-frontend")
    assert "职业素养要求 类别 内容 职业道德 自觉遵守中国软件行业基本公约。" in text
    assert "学习意识" in text
    assert "名词解释 HTML：超文本标记语言" in text
    assert "SVG：可缩放矢量图形" in text


def test_the_logistics_standard_records_its_five_corrections(built_site: Path) -> None:
    cat = load_catalogue(REPO / "catalogue")
    std = cat.standards["logistics-management"]
    assert len(std.corrections) == 9  # the five below, the rest English commas in Chinese
    assert sum("英文词" in c.reason or "换行" in c.reason for c in std.corrections) == 5
    texts = std.texts()
    assert all(c.corrected in texts for c in std.corrections)
    assert not any(" and " in t or "international" in t for t in texts)
    page = page_text(built_site, "standards/logistics-management")
    assert "原文中有 9 处排版错误，本页已改正" in page
    assert (
        "国内和 international 的运输法律、法规和规章的知识 国内和国际的运输法律、法规和规章的知识"
        in page
    )


def test_the_dates_and_notices_checked_against_the_seeds(built_site: Path) -> None:
    cat = load_catalogue(REPO / "catalogue")
    platform = cat.notices["2020-4-platform-trial-operation"]
    assert (platform.date.isoformat(), platform.date_precision) == ("2020-01-11", "day")
    plan = cat.notices["2019-24-skills-upgrading-action-plan"]
    assert (plan.doc_number, plan.date.isoformat()) == ("国办发〔2019〕24号", "2019-05-18")
    assert plan.title == "国务院办公厅关于印发职业技能提升行动方案（2019—2021年）的通知"
    assert "2020年1月11日" in page_text(built_site, "notices/2020-4-platform-trial-operation")
    note = page_text(built_site, "notices/2019-67-first-batch-announcement")
    assert "关于文号：原文文号印作“职教所〔2019〕67号”" in note


def test_a_chart_title_and_source_are_printed_once(built_site: Path) -> None:
    text = page_text(built_site, "fields/electronic-information").split("本领域共", 1)[1]  # no TOC
    assert text.count("本领域各批次试点证书数") == 1  # the heading; the table says 数值
    assert text.count("来源：本目录收录的试点公告") == 1
    svg = (built_site / "charts" / "fields-electronic-information-batches.svg").read_text(
        encoding="utf-8"
    )
    assert "<title>本领域各批次试点证书数</title>" in svg and "<desc>来源：" in svg
    assert ">来源：" not in svg.split("</desc>", 1)[1]  # not drawn a second time in the picture


def test_the_new_data_is_in_the_open_data_too(built_site: Path) -> None:
    import json

    notice = json.loads(
        (built_site / "api" / "notices" / "2019-137-teacher-training-announcement.json").read_text(
            encoding="utf-8"
        )
    )
    plans = {p["certificate"]: p for p in notice["training_plans"]}
    assert plans["web-frontend"]["classes"] == []
    eighth = plans["logistics-management"]["classes"][7]
    assert eighth == {
        "number": 8,
        "start": "2019-08-19",
        "end": "2019-08-23",
        "level": "高级",
        "form": "面授",
        "fee": 3000,
        "size": 120,
        "place": "待定",
    }
    std = json.loads(
        (built_site / "api" / "standards" / "web-frontend.json").read_text(encoding="utf-8")
    )
    assert len(std["glossary"]) == 36 and std["professional_qualities"][0]["category"] == "职业道德"
    logistics = json.loads(
        (built_site / "api" / "standards" / "logistics-management.json").read_text(encoding="utf-8")
    )
    assert len(logistics["corrections"]) == 9
