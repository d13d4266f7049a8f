"""Rendering: each page kind carries its facts, and catalogue text is always escaped."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import markdown
import pytest
from conftest import ASSETS, REPO

from generator.render.pages import render_pages
from generator.validate import load_catalogue

VALID = ASSETS / "catalogue" / "valid"


def _pages(root: Path = VALID, today: dt.date = dt.date(2019, 3, 28)) -> dict[str, str]:
    return {p.path: p.content for p in render_pages(load_catalogue(root), today=today)}


def _html(md_text: str) -> str:
    body = md_text.split("---\n", 2)[2]
    return markdown.markdown(body, extensions=["tables", "attr_list", "admonition"])


def _event_handler_attributes(html: str) -> list[str]:
    """Attributes like onclick= on any element: the sign that text became markup."""
    from html.parser import HTMLParser

    found: list[str] = []

    class _Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend(name for name, _ in attrs if name.startswith("on"))

    _Parser().feed(html)
    return found


def test_every_entity_gets_a_page_at_its_slug() -> None:
    pages = _pages()
    for path in (
        "index.md",
        "certificates/index.md",
        "certificates/web-dev.md",
        "certificates/tax.md",
        "organizations/index.md",
        "organizations/test-org.md",
        "standards/index.md",
        "standards/web-dev.md",
        "notices/index.md",
        "notices/first-batch.md",
        "notices/cost-caps.md",
    ):
        assert path in pages


def test_certificate_page_links_organization_standard_and_notices() -> None:
    html = _html(_pages()["certificates/web-dev.md"])
    assert 'href="../organizations/test-org.md"' in html
    assert 'href="../standards/web-dev.md"' in html
    assert 'href="../notices/first-batch.md"' in html
    assert "400 元/人次" in html  # 300 × 50% + 500 × 50%
    assert "计算机应用" in html and "软件技术" in html and "软件工程" in html


def test_certificate_status_follows_the_notice_period() -> None:
    during = _pages(today=dt.date(2019, 3, 28))["certificates/web-dev.md"]
    after = _pages(today=dt.date(2019, 4, 1))["certificates/web-dev.md"]
    assert "xcert-standing--open" in during and "公示中" in during
    assert "已公示，待确认" in after


def test_notice_index_is_newest_first_with_period_badges() -> None:
    page = _pages(today=dt.date(2019, 11, 30))["notices/index.md"]
    assert page.index("cost-caps") < page.index("first-batch")
    assert 'data-period-start="2019-11-26" data-period-end="2019-12-02">公示中' in page
    assert 'data-period-start="2019-03-26" data-period-end="2019-03-31">已结束' in page


def test_standard_page_shows_each_level_with_requirement_codes() -> None:
    html = _html(_pages()["standards/web-dev.md"])
    assert 'id="level-1"' in html
    assert "1-1-1-S1" in html and "1-1-1-K1" in html
    assert "<th>工作领域</th>" in html and "<th>职业技能</th>" in html


def test_organization_page_lists_its_certificates_and_restored_name() -> None:
    page = _pages()["organizations/test-org.md"]
    assert "certificates/web-dev.md" in page
    assert "测试培训评价组织有限" in page  # the name as printed in the source


def test_script_in_a_title_is_shown_as_text(tmp_path: Path) -> None:
    root = tmp_path / "catalogue"
    shutil.copytree(VALID, root)
    org = root / "organizations" / "other-org.yaml"
    org.write_text(
        'id: other-org\nname: "<script>alert(1)</script>"\n'
        'summary: "<img src=x onerror=alert(1)> [x](javascript:alert(1)) {: onclick=alert(1) }"\n',
        encoding="utf-8",
    )
    pages = _pages(root)
    for path in ("organizations/other-org.md", "organizations/index.md", "certificates/tax.md"):
        html = _html(pages[path])
        assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<img" not in html
        assert "javascript:" not in html
        assert not _event_handler_attributes(html)


def test_front_matter_keeps_yaml_special_characters_inert(tmp_path: Path) -> None:
    root = tmp_path / "catalogue"
    shutil.copytree(VALID, root)
    cert = root / "certificates" / "tax.yaml"
    cert.write_text(
        cert.read_text(encoding="utf-8").replace(
            "name: 智能财税职业技能等级证书", 'name: "x\\n---\\ntitle: injected: [1]"'
        ),
        encoding="utf-8",
    )
    page = _pages(root)["certificates/tax.md"]
    import yaml

    meta = yaml.safe_load(page.split("---\n", 2)[1])
    assert meta["title"] == "x\n---\ntitle: injected: [1]"


def test_rendering_is_repeatable() -> None:
    assert _pages() == _pages()


def test_pages_rendered_by_two_processes_are_the_pages_one_renders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from generator.render import pages as pages_module

    cat = load_catalogue(REPO / "catalogue")
    today = dt.date(2026, 11, 30)
    one = render_pages(cat, today=today, site_url="https://example.org/")
    monkeypatch.setattr(pages_module, "_PARALLEL_FROM", 0)  # the shipped catalogue is small
    two = render_pages(cat, today=today, site_url="https://example.org/", workers=2)
    assert [p.path for p in two] == [p.path for p in one]
    assert two == one
