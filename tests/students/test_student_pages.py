"""The students' pages in real Chromium: compare, finder, charts."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _compare_ids(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.wait_for_selector("#xcert-compare[data-ready=true]")
    return [
        h.split("/")[-2]
        for h in page.eval_on_selector_all(
            ".xcert-compare-table thead th a", "els => els.map(e => e.getAttribute('href'))"
        )
    ]


def test_compare_three_certificates_from_the_ui_survives_reload_and_sharing(
    page, site_url, browser
) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{site_url}/compare/")
    page.wait_for_selector("#xcert-compare[data-ready=true]")
    for name in (
        "Web 前端开发职业技能等级证书",
        "物流管理职业技能等级证书",
        "老年照护职业技能等级证书",
    ):
        page.fill("#xcert-compare-input", name)
        page.click(".xcert-compare-picker button[type=submit]")
    assert _compare_ids(page) == ["web-frontend", "logistics-management", "elderly-care"]
    assert page.url.endswith("/compare/?c=web-frontend,logistics-management,elderly-care")
    rows = page.eval_on_selector_all(
        ".xcert-compare-table tbody tr", "rs => rs.map(r => [r.className, r.cells[0].textContent])"
    )
    assert ["xcert-diff", "培训评价组织"] in rows  # organizations differ
    assert ["", "试点批次"] in rows  # all three are batch 1
    shared = page.url
    page.reload()
    assert _compare_ids(page) == ["web-frontend", "logistics-management", "elderly-care"]
    other = browser.new_context().new_page()  # a friend opening the shared link: no local storage
    other.goto(shared)
    assert _compare_ids(other) == ["web-frontend", "logistics-management", "elderly-care"]
    cap_row = other.eval_on_selector_all(
        ".xcert-compare-table tbody tr", "rs => rs.map(r => r.textContent)"
    )
    assert any("考核成本上限" in r and "300 元/人次" in r for r in cap_row)
    other.context.close()


def test_add_to_compare_button_on_a_certificate_page_fills_the_compare_page(page, site_url) -> None:  # type: ignore[no-untyped-def]
    for cert in ("web-frontend", "logistics-management"):
        page.goto(f"{site_url}/certificates/{cert}/")
        page.click("button.xcert-compare-add")
    page.goto(f"{site_url}/compare/")
    assert _compare_ids(page) == ["web-frontend", "logistics-management"]


def test_finder_for_higher_vocational_software_technology_lists_web_frontend(
    page, site_url
) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{site_url}/finder/")
    page.wait_for_selector("#xcert-finder[data-ready=true]")
    page.check("input[name=edu][value=高职]")
    page.fill("#xcert-finder-major", "软件技术")
    page.click("#xcert-finder button[type=submit]")
    items = page.eval_on_selector_all(
        "#xcert-finder-results li", "els => els.map(e => e.dataset.certificate)"
    )
    assert items == ["web-frontend"]
    assert "衔接等级：初级、中级、高级" in page.inner_text("#xcert-finder-results")


def test_finder_says_plainly_when_a_major_has_no_certificate_at_that_level(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{site_url}/finder/?edu=本科&major=软件技术")
    page.wait_for_selector("#xcert-finder[data-ready=true]")
    text = page.inner_text("#xcert-finder-results")
    assert "目前还没有证书的标准把本科“软件技术”专业列为衔接专业" in text


def test_field_page_shows_a_chart_with_its_source_and_a_table(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{site_url}/fields/electronic-information/")
    img = page.locator("img.xcert-chart").first
    assert img.get_attribute("alt") == "本领域各批次试点证书数"
    assert page.evaluate("img => img.naturalWidth", img.element_handle()) > 0
    assert "来源：" in page.inner_text("article")
    assert page.locator("table:has-text('第三批')").count() >= 1


def test_compare_says_in_words_what_the_catalogue_does_not_hold(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(
        f"{site_url}/compare/?c=web-frontend,sports-nutrition-consulting,logistics-management"
    )
    page.wait_for_selector("#xcert-compare[data-ready=true]")
    cells = page.eval_on_selector_all(
        ".xcert-compare-table tbody tr",
        "rs => rs.map(r => [r.cells[0].textContent, "
        "...[...r.cells].slice(1).map(c => c.textContent)])",
    )
    rows = {r[0]: r[1:] for r in cells}
    assert not [r for r in cells if any(v.strip() in ("—", "") for v in r[1:])]
    # No standard: the per-level rows say so once; a standard without the value says that.
    assert rows["培训学时"][1:] == ["本目录未收录", "标准未列出"]
    assert rows["考核方式"][1] == "本目录未收录"
    assert rows["考核成本上限"][1] == "本目录未收录考核方式，无从计算"
    assert rows["衔接高职专业"][0].startswith("初级：计算机应用技术")
    assert rows["状态"] == [
        "已确认（教职所〔2019〕89号，2019-04-15）",
        "已公示，待确认（教职所〔2019〕341号公示；本目录尚未收录确认通知）",
        "已确认（教职所〔2019〕89号，2019-04-15）",
    ]


def _finder(page, site_url: str, words: str, edu: str = "高职") -> tuple[str, dict[str, list[str]]]:  # type: ignore[no-untyped-def]
    page.goto(f"{site_url}/finder/?edu={edu}")
    page.wait_for_selector("#xcert-finder[data-ready=true]")
    page.fill("#xcert-finder-major", words)
    page.click("#xcert-finder button[type=submit]")
    page.wait_for_selector("#xcert-finder-results[data-matched]")
    groups = page.eval_on_selector_all(
        "#xcert-finder-results ul[data-kind]",
        "uls => uls.map(u => [u.dataset.kind, "
        "[...u.querySelectorAll('a')].map(a => a.getAttribute('href'))])",
    )
    found: dict[str, list[str]] = {}
    for kind, hrefs in groups:
        found.setdefault(kind, []).extend(hrefs)
    return page.inner_text("#xcert-finder-results"), found


def test_finder_matches_a_certificate_and_standard_name_and_says_so(page, site_url) -> None:  # type: ignore[no-untyped-def]
    text, found = _finder(page, site_url, "物流管理")
    assert "没有名为“物流管理”的专业。与“物流管理”有关的有：" in text
    assert "名称含“物流管理”的证书（1 个）" in text
    assert found["certificate"][0].endswith("/certificates/logistics-management/")
    assert [h.split("/")[-2] for h in found["standard"]] == ["logistics-management"]


def test_finder_matches_nursing_to_certificates_that_serve_it(page, site_url) -> None:  # type: ignore[no-untyped-def]
    text, found = _finder(page, site_url, "护理专业")
    certs = {h.split("/")[-2] for h in found["certificate"]}
    assert {
        "maternal-infant-care",
        "pet-care-grooming",
        "elderly-care",
        "dementia-elderly-care",
    } <= certs
    assert "名称含“护理”的证书" in text
    assert "关键词或所服务专业中提到“护理”的证书" in text


def test_finder_offers_a_similar_major_and_a_field(page, site_url) -> None:  # type: ignore[no-untyped-def]
    text, found = _finder(page, site_url, "电子信息", edu="本科")
    assert any(h.endswith("/fields/electronic-information/") for h in found["field"])
    assert "电子信息工程" in text  # a major whose name contains the words
    page.click("#xcert-finder-results ul[data-kind=major] a")
    page.wait_for_selector("#xcert-finder-results:not([data-matched]) li[data-certificate]")
    assert page.input_value("#xcert-finder-major") == "电子信息工程"
    assert "专业可以考的证书" in page.inner_text("#xcert-finder-results")


def test_finder_says_when_nothing_matches(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{site_url}/finder/?edu=高职&major=钢琴调律")
    page.wait_for_selector("#xcert-finder-results[data-matched='']")
    text = page.inner_text("#xcert-finder-results")
    assert "也没有名称或说明中含“钢琴调律”的证书、标准或领域" in text


def test_text_the_scripts_write_has_no_space_between_chinese_characters(page, site_url) -> None:  # type: ignore[no-untyped-def]
    import re

    from generator.render.cjk import CJK

    stray = re.compile(f"[{CJK}][ \t]+[{CJK}]")
    for url, box in (
        (f"{site_url}/finder/?edu=高职&major=护理", "#xcert-finder-results[data-matched]"),
        (
            f"{site_url}/compare/?c=web-frontend,sports-nutrition-consulting",
            "#xcert-compare[data-ready=true] table",
        ),
    ):
        page.goto(url)
        page.wait_for_selector(box)
        # Chromium's innerText puts a tab between table cells and a newline between blocks.
        lines = re.split("[\t\n]", page.inner_text("article"))
        assert not [line for line in lines if stray.search(line)], url
