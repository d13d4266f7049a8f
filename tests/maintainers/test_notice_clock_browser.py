"""In Chromium, with the browser's clock moved: a page built before the period is right on every
day.

The notice is written with `xcert new`, the site built with --today before the period opens, and
the page read at the start day, the end day and the day after (in Beijing time).
"""

from __future__ import annotations

import datetime as dt

import pytest
from maintainer_fixtures import copy_repo, run_xcert

pytestmark = pytest.mark.browser

BEIJING = dt.timezone(dt.timedelta(hours=8))
NOTICE = "/notices/2025-9-announcement/"
CERTIFICATE = "/certificates/ui-design/"


@pytest.fixture(scope="module")
def early_site(tmp_path_factory: pytest.TempPathFactory, serve) -> str:  # type: ignore[no-untyped-def]
    root = copy_repo(tmp_path_factory.mktemp("clock"))
    made = run_xcert(
        "new",
        "notice",
        "--catalogue",
        str(root / "catalogue"),
        "--title",
        "关于第五批职业技能等级证书的公示",
        "--doc-number",
        "职教所〔2025〕9号",
        "--date",
        "2025-09-26",
        "--start",
        "2025-09-26",
        "--end",
        "2025-10-10",
        "--summary",
        "公示第五批名单。",
        "--certificate",
        "ui-design",
        "--organization",
        "tencent-cloud-beijing",
        "--contact-name",
        "李四",
        "--contact-phone",
        "010-58556712",
        "--contact-email",
        "objections@example.cn",
    )
    assert made.returncode == 0, made.stderr
    built = run_xcert("build", "--root", str(root), "--today", "2025-09-01")
    assert built.returncode == 0, built.stderr
    return serve(root / "site")  # type: ignore[no-any-return]


def _read(page, url: str, when: dt.datetime) -> dict[str, object]:  # type: ignore[no-untyped-def]
    page.clock.set_fixed_time(when)
    page.goto(url)
    return page.evaluate("""() => {
        const q = (s) => document.querySelector(s);
        const objection = q('.xcert-objection');
        return {
            badge: q('.md-content .xcert-status')?.textContent,
            badgeClass: q('.md-content .xcert-status')?.className,
            note: q('.md-content .xcert-period-note')?.textContent,
            noteShown: q('.md-content .xcert-period-note')?.checkVisibility() ?? false,
            objectionShown: objection ? objection.checkVisibility() : null,
            standing: q('.md-content .xcert-standing')?.textContent,
        };
    }""")


@pytest.mark.parametrize(
    ("when", "badge", "note", "objection"),
    [
        # The day it was built: the browser says what the build said.
        (dt.datetime(2025, 9, 1, 9, 0, tzinfo=BEIJING), "未开始", "25 天后开始", True),
        (dt.datetime(2025, 9, 26, 8, 0, tzinfo=BEIJING), "公示中", "剩 15 天", True),  # start day
        (
            dt.datetime(2025, 10, 10, 23, 30, tzinfo=BEIJING),
            "公示中",
            "今天截止",
            True,
        ),  # end day, late
        (dt.datetime(2025, 10, 11, 0, 30, tzinfo=BEIJING), "已结束", "", False),  # the day after
    ],
)
def test_notice_page_follows_the_readers_clock(
    page,
    early_site: str,
    when: dt.datetime,
    badge: str,  # type: ignore[no-untyped-def]
    note: str,
    objection: bool,
) -> None:
    state = _read(page, early_site + NOTICE, when)
    assert state["badge"] == badge
    assert state["note"] == note and state["noteShown"] == bool(note)
    assert state["objectionShown"] is objection
    status = {"未开始": "upcoming", "公示中": "open", "已结束": "closed"}[badge]
    assert f"xcert-status--{status}" in str(state["badgeClass"])


def test_objection_box_shows_contact_in_writing_within_the_period(page, early_site: str) -> None:  # type: ignore[no-untyped-def]
    page.clock.set_fixed_time(dt.datetime(2025, 9, 30, 10, 0, tzinfo=BEIJING))
    page.goto(early_site + NOTICE)
    box = page.locator(".xcert-objection")
    assert box.is_visible()
    text = box.inner_text()
    assert "公示期内" in text and "书面、实名" in text and "2025年10月10日" in text
    assert "李四" in text and "010-58556712" in text
    assert box.locator('a[href="mailto:objections@example.cn"]').count() == 1
    # Prominent: above the notice's details table.
    assert box.bounding_box()["y"] < page.locator(".md-content table").first.bounding_box()["y"]


@pytest.mark.parametrize(
    ("when", "standing"),
    [
        (dt.datetime(2025, 9, 26, 12, 0, tzinfo=BEIJING), "公示中"),
        (dt.datetime(2025, 10, 11, 12, 0, tzinfo=BEIJING), "已公示，待确认"),
    ],
)
def test_certificate_standing_follows_the_clock_too(
    page,
    early_site: str,
    when: dt.datetime,  # type: ignore[no-untyped-def]
    standing: str,
) -> None:
    assert _read(page, early_site + CERTIFICATE, when)["standing"] == standing


def test_notices_index_badges_follow_the_clock(page, early_site: str) -> None:  # type: ignore[no-untyped-def]
    page.clock.set_fixed_time(dt.datetime(2025, 10, 9, 12, 0, tzinfo=BEIJING))
    page.goto(early_site + "/notices/")
    row = page.locator("tr", has=page.locator('a[href$="2025-9-announcement/"]'))
    assert row.locator(".xcert-status").inner_text() == "公示中"
    assert row.locator(".xcert-period-note").inner_text() == "剩 2 天"
    feed = page.locator('a[href="feed.xml"]')
    assert feed.count() == 1 and page.locator('a[href="periods.ics"]').count() == 1
    response = page.request.get(early_site + "/notices/feed.xml")
    assert response.ok and b"urn:xcert:notice:2025-9-announcement" in response.body()
