"""Constants with one home: the id spelling the schemas and the code agree on, China's calendar."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from generator.china_time import today_in_china
from generator.slug import SLUG_PATTERN, is_slug

SCHEMAS = Path(__file__).resolve().parents[1] / "catalogue" / "schemas"


def _id_patterns(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["pattern"]] if "a-z0-9" in str(node.get("pattern", "")) else []
        return found + [p for v in node.values() for p in _id_patterns(v)]
    if isinstance(node, list):
        return [p for v in node for p in _id_patterns(v)]
    return []


def test_every_schema_spells_ids_as_the_code_does() -> None:
    patterns = {
        p
        for f in SCHEMAS.glob("*.schema.json")
        for p in _id_patterns(json.loads(f.read_text(encoding="utf-8")))
    }
    assert patterns, "no id pattern found in the schemas"
    # JSON Schema spells the same group without the non-capturing marker.
    assert patterns == {"^" + SLUG_PATTERN.replace("(?:", "(") + "$"}


def test_a_slug_is_lower_case_words_joined_by_single_hyphens() -> None:
    assert is_slug("web-frontend-2")
    for bad in ("Web", "web--frontend", "-web", "web-", "web_front", "web\n", "网页", ""):
        assert not is_slug(bad), bad
    assert re.fullmatch(SLUG_PATTERN, "a-1")


def test_today_in_china_turns_over_at_midnight_in_beijing_not_utc() -> None:
    before = dt.datetime(2026, 11, 29, 15, 59, tzinfo=dt.UTC)  # 23:59 in Beijing
    after = dt.datetime(2026, 11, 29, 16, 0, tzinfo=dt.UTC)  # 00:00 the next day
    assert today_in_china(before) == dt.date(2026, 11, 29)
    assert today_in_china(after) == dt.date(2026, 11, 30)
