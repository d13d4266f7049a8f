"""A notice page at build time: status and days left by its period, working days, the objection
box."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from maintainer_fixtures import lifecycle_catalogue

from generator.models import Period, PeriodStatus
from generator.render.pages import render_pages
from generator.validate import load_catalogue

NOTICE = "notices/2025-9-announcement.md"
DATA = 'data-period-start="2025-09-26" data-period-end="2025-10-10"'


@pytest.fixture(scope="module")
def cat(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return load_catalogue(lifecycle_catalogue(tmp_path_factory.mktemp("periods") / "catalogue"))


def _page(cat, today: str, path: str = NOTICE) -> str:  # type: ignore[no-untyped-def]
    pages = {p.path: p.content for p in render_pages(cat, today=dt.date.fromisoformat(today))}
    return pages[path]


@pytest.mark.parametrize(
    ("today", "status", "note"),
    [
        ("2025-09-25", PeriodStatus.UPCOMING, "1 天后开始"),
        ("2025-09-26", PeriodStatus.OPEN, "剩 15 天"),  # the start day counts
        ("2025-10-10", PeriodStatus.OPEN, "今天截止"),  # the end day is still open
        ("2025-10-11", PeriodStatus.CLOSED, ""),  # the day after
    ],
)
def test_period_status_and_days_left(today: str, status: PeriodStatus, note: str) -> None:
    period = Period(dt.date(2025, 9, 26), dt.date(2025, 10, 10))
    day = dt.date.fromisoformat(today)
    assert period.status(day) is status
    assert period.note(day) == note


@pytest.mark.parametrize(
    ("today", "css", "label", "note"),
    [
        ("2025-09-26", "open", "公示中", "剩 15 天"),
        ("2025-10-10", "open", "公示中", "今天截止"),
        ("2025-10-11", "closed", "已结束", ""),
    ],
)
def test_notice_page_badge_and_note(cat, today: str, css: str, label: str, note: str) -> None:  # type: ignore[no-untyped-def]
    page = _page(cat, today)
    assert f'<span class="xcert-status xcert-status--{css}" {DATA}>{label}</span>' in page
    hidden = "" if note else " hidden"
    assert f'<span class="xcert-period-note" {DATA}{hidden}>{note}</span>' in page


def test_notice_page_counts_the_period_in_working_days(cat) -> None:  # type: ignore[no-untyped-def]
    page = _page(cat, "2025-09-26")
    assert "| 公示期 | 2025年9月26日至2025年10月10日（15 个自然日，6 个工作日） |" in page


def test_objection_box_is_prominent_while_open_and_hidden_after(cat) -> None:  # type: ignore[no-untyped-def]
    open_page = _page(cat, "2025-10-10")
    box = open_page[open_page.index('<div class="admonition warning xcert-objection"') :]
    box = box[: box.index("</div>")]
    assert box.startswith(f'<div class="admonition warning xcert-objection" {DATA}>')
    assert (
        "公示期内" in box
        and "<strong>2025年10月10日</strong>" in box
        and "<strong>书面、实名</strong>" in box
    )
    assert "联系人：李四（教育部职业技术教育中心研究所），电话 010-58556712" in box
    assert '<a href="mailto:objections@example.cn">objections@example.cn</a>' in box
    assert "地址：北京市朝阳区惠新东街4号（邮编 100029）" in box
    # It comes before the notice's details, right under the status.
    assert open_page.index("xcert-objection") < open_page.index("| 项目 | 内容 |")
    closed = _page(cat, "2025-10-11")
    assert f'<div class="admonition warning xcert-objection" {DATA} hidden>' in closed
    # Notices that are not a 公示 have no objection box.
    assert "xcert-objection" not in _page(cat, "2025-11-03", "notices/2025-10-confirmation.md")


def test_period_beyond_the_calendar_says_the_count_is_pending(tmp_path: Path) -> None:
    root = lifecycle_catalogue(tmp_path / "catalogue")
    notice = root / "notices" / "2025-9-announcement.yaml"
    notice.write_text(
        notice.read_text(encoding="utf-8").replace(
            'period: {start: "2025-09-26", end: "2025-10-10"}',
            'period: {start: "2099-01-05", end: "2099-01-11"}',
        ),
        encoding="utf-8",
    )
    page = _page(load_catalogue(root), "2099-01-05")
    assert "（7 个自然日，工作日数待官方节假日安排公布后计算）" in page


def test_notices_index_links_the_feed_and_the_calendar(cat) -> None:  # type: ignore[no-untyped-def]
    page = _page(cat, "2025-09-26", "notices/index.md")
    assert (
        "[公告订阅源（Atom）](feed.xml)" in page
        and "[公示期日历（iCalendar）](periods.ics)" in page
    )
