"""The open data (/api/*.json, verify/catalogue.json) and the feeds (Atom, iCalendar) of the
injected site keep every payload as data: valid JSON and XML whose values are exactly the text
the catalogue holds, never escaped twice, cut, or turned into markup."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import icalendar
import pytest

from hostile.conftest import InjectedSite

MARKER = re.compile(r"X\d{3}")
ATOM = "{http://www.w3.org/2005/Atom}"
TEXT_CONSTRUCTS = {f"{ATOM}{t}" for t in ("title", "subtitle", "summary", "content", "rights")}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def _whole_values(texts: list[str], injected: InjectedSite) -> set[str]:
    """The markers found; fails when a marker is not followed by its whole injected text."""
    by_marker = {v.split(" ", 1)[0]: v for v in injected.injector.values.values()}
    found = set()
    for text in texts:
        for marker in MARKER.findall(text):
            assert by_marker[marker] in text, f"{marker} is altered in {text[:200]!r}"
            found.add(marker)
    return found


def _not_json(constant: str) -> None:
    pytest.fail(f"{constant} is not JSON")


def test_open_data_holds_the_payloads_as_exact_values(injected: InjectedSite) -> None:
    files = [p for p in (injected.site / "api").rglob("*.json") if "schemas" not in p.parts]
    files.append(injected.site / "verify" / "catalogue.json")
    texts = []
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_not_json)
        texts += list(_strings(data))
    found = _whole_values(texts, injected)
    # Names, titles, issuers, document numbers, standards' tables: at least those are open data.
    assert len(found) > 60


def test_the_atom_feed_holds_the_payloads_as_text(injected: InjectedSite) -> None:
    feed = ET.parse(injected.site / "notices" / "feed.xml").getroot()
    texts = []
    for element in feed.iter():
        if element.tag in TEXT_CONSTRUCTS:  # Atom text constructs are text unless typed html
            assert element.get("type", "text") == "text", f"{element.tag} is {element.get('type')}"
        texts.append(element.text or "")
    found = _whole_values(texts, injected)
    titles = [e.findtext(f"{ATOM}title") or "" for e in feed.iter(f"{ATOM}entry")]
    assert len(titles) == 3 and all(MARKER.match(t) for t in titles)
    assert found


def test_the_calendar_holds_the_payloads_as_text(injected: InjectedSite) -> None:
    calendar = icalendar.Calendar.from_ical(
        (injected.site / "notices" / "periods.ics").read_bytes()
    )
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1  # the one 公示 with a period
    texts = [str(events[0].get(k)) for k in ("SUMMARY", "DESCRIPTION")]
    assert len(_whole_values(texts, injected)) >= 3
