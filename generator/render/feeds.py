"""Follow the notices: an Atom feed (feedgen) and an iCalendar file of 公示 periods (icalendar).

Both are written into the docs tree beside the notices index (notices/feed.xml,
notices/periods.ics). They hold no build time: every timestamp comes from the notices
themselves, so two builds of the same catalogue give the same bytes. With the site's address
(`site_url`) their links are absolute, as feed readers and calendars need: they keep the feed or
the event, not the page it came from. Without it the feed's links are relative to the feed.
"""

from __future__ import annotations

import datetime as dt

import icalendar
from feedgen.feed import FeedGenerator

from generator import workdays
from generator.china_time import CHINA_TZ
from generator.models import Catalogue, Notice
from generator.render.page import Page

FEED_PATH = "notices/feed.xml"
CALENDAR_PATH = "notices/periods.ics"
SITE_NAME = "1+X 证书公开目录"


def _moment(day: dt.date) -> dt.datetime:
    """Midnight in Beijing: notices are dated by the Beijing calendar."""
    return dt.datetime.combine(day, dt.time(), tzinfo=CHINA_TZ)


def _period_text(n: Notice) -> str:
    assert n.period is not None
    p = n.period
    days = workdays.working_days_or_none(p.start, p.end)
    counted = f"，{days} 个工作日" if days is not None else ""
    natural = (p.end - p.start).days + 1
    return f"公示期：{p.start.isoformat()} 至 {p.end.isoformat()}（{natural} 个自然日{counted}）"


def _notices_url(site_url: str | None) -> str:
    """The address of notices/: absolute when the site's address is known, else relative to
    notices/feed.xml (empty)."""
    return f"{site_url.rstrip('/')}/notices/" if site_url else ""


def atom_feed(cat: Catalogue, site_url: str | None = None) -> bytes:
    """Every notice, newest first, each linking to its page (notices/<id>/)."""
    notices_url = _notices_url(site_url)
    notices = cat.notices_newest_first()
    fg = FeedGenerator()
    fg.id("urn:xcert:notices")
    fg.title(f"{SITE_NAME}：公示公告与通知")
    fg.subtitle("1+X 证书制度试点的公示公告与通知")
    fg.author({"name": SITE_NAME})
    fg.link(href=f"{notices_url}feed.xml", rel="self", type="application/atom+xml")
    fg.link(href=notices_url or "./", rel="alternate", type="text/html")
    fg.language("zh-CN")
    fg.updated(_moment(notices[0].date) if notices else _moment(dt.date(2019, 1, 1)))
    for n in notices:
        e = fg.add_entry(order="append")
        e.id(f"urn:xcert:notice:{n.id}")
        e.title(f"{n.title}（{n.doc_number}）" if n.doc_number else n.title)
        e.link(href=f"{notices_url}{n.id}/", rel="alternate", type="text/html")
        e.author({"name": n.issuer})
        e.published(_moment(n.date))
        e.updated(_moment(n.date))
        e.category(term=n.kind.value)
        e.summary("\n\n".join([n.summary] + ([_period_text(n)] if n.period else [])))
    return bytes(fg.atom_str(pretty=True))


def _by_period_start(n: Notice) -> tuple[dt.date, str]:
    assert n.period is not None
    return n.period.start, n.id


def period_calendar(cat: Catalogue, site_url: str | None = None) -> bytes:
    """One all-day event per notice period: it opens on the first day and closes after the last.
    With the site's address each event carries its notice page's URL (also in the description,
    which every calendar shows)."""
    notices_url = _notices_url(site_url)
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//xcert//{SITE_NAME}//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{SITE_NAME}：公示期")
    with_period = sorted((n for n in cat.notices.values() if n.period), key=_by_period_start)
    for n in with_period:
        assert n.period is not None
        ev = icalendar.Event()
        ev.add("uid", f"{n.id}@xcert.notices")
        ev.add("dtstamp", _moment(n.date).astimezone(dt.UTC))
        ev.add("dtstart", n.period.start)
        ev.add(
            "dtend", n.period.end + dt.timedelta(days=1)
        )  # DTEND of an all-day event is exclusive
        ev.add("summary", f"{n.kind.value}：{n.title}")
        lines = [_period_text(n), f"发布单位：{n.issuer}"]
        if n.doc_number:
            lines.append(f"文号：{n.doc_number}")
        if notices_url:
            lines.append(f"详情：{notices_url}{n.id}/")
            ev.add("url", f"{notices_url}{n.id}/", parameters={"VALUE": "URI"})
        ev.add("description", "\n".join(lines))
        ev.add("categories", [n.kind.value])
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)
    return bytes(cal.to_ical())


def feed_pages(cat: Catalogue, site_url: str | None = None) -> list[Page]:
    return [
        Page(FEED_PATH, atom_feed(cat, site_url).decode("utf-8")),
        Page(CALENDAR_PATH, period_calendar(cat, site_url).decode("utf-8")),
    ]
