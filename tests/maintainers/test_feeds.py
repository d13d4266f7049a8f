"""The Atom feed of notices and the iCalendar file of 公示 periods parse, and are repeatable."""

from __future__ import annotations

import datetime as dt

import feedparser
import icalendar
import pytest
from maintainer_fixtures import lifecycle_catalogue

from generator.render.feeds import CALENDAR_PATH, FEED_PATH
from generator.render.pages import render_pages
from generator.validate import load_catalogue


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    cat = load_catalogue(lifecycle_catalogue(tmp_path_factory.mktemp("feeds") / "catalogue"))
    return {p.path: p.content for p in render_pages(cat, today=dt.date(2025, 10, 1))}


def test_atom_feed_lists_every_notice_newest_first(pages: dict[str, str]) -> None:
    feed = feedparser.parse(
        pages[FEED_PATH].encode("utf-8"),
        response_headers={
            "content-location": "https://example.cn/notices/feed.xml",
            "content-type": "application/atom+xml",
        },
    )
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == "1+X 证书公开目录：公示公告与通知"
    ids = [e.id for e in feed.entries]
    assert ids == [
        "urn:xcert:notice:2026-3-exit",
        "urn:xcert:notice:2025-10-confirmation",
        "urn:xcert:notice:2025-9-announcement",
        "urn:xcert:notice:cost-caps",
        "urn:xcert:notice:first-batch",
    ]
    announcement = feed.entries[2]
    assert announcement.title == "关于第五批职业技能等级证书的公示（职教所〔2025〕9号）"
    assert announcement.link == "https://example.cn/notices/2025-9-announcement/"
    assert announcement.author == "教育部职业技术教育中心研究所"
    assert announcement.published_parsed[:3] == (
        2025,
        9,
        25,
    )  # midnight in Beijing is 16:00 UTC the day before
    assert "公示期：2025-09-26 至 2025-10-10（15 个自然日，6 个工作日）" in announcement.summary
    assert [t.term for t in announcement.tags] == ["公示"]


def test_calendar_has_each_period_as_an_all_day_event(pages: dict[str, str]) -> None:
    cal = icalendar.Calendar.from_ical(pages[CALENDAR_PATH])
    events = list(cal.walk("VEVENT"))
    assert [str(e["UID"]) for e in events] == [
        "first-batch@xcert.notices",
        "cost-caps@xcert.notices",
        "2025-9-announcement@xcert.notices",
    ]
    ev = events[2]
    assert ev.decoded("DTSTART") == dt.date(2025, 9, 26)
    assert ev.decoded("DTEND") == dt.date(
        2025, 10, 11
    )  # exclusive: the period closes after 10 October
    assert str(ev["SUMMARY"]) == "公示：关于第五批职业技能等级证书的公示"
    assert "6 个工作日" in str(ev["DESCRIPTION"])
    assert pages[CALENDAR_PATH].count("\r\n") > 10  # RFC 5545 line endings


def test_feeds_depend_only_on_the_catalogue(
    tmp_path_factory: pytest.TempPathFactory, pages: dict[str, str]
) -> None:
    cat = load_catalogue(lifecycle_catalogue(tmp_path_factory.mktemp("again") / "catalogue"))
    later = {p.path: p.content for p in render_pages(cat, today=dt.date(2026, 11, 30))}
    assert later[FEED_PATH] == pages[FEED_PATH]
    assert later[CALENDAR_PATH] == pages[CALENDAR_PATH]
