"""An entity's standing follows from the notices that name it: 公示 → 确认 → 退出, with dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from maintainer_fixtures import lifecycle_catalogue

from generator.lifecycle import Standing, standing
from generator.render.pages import render_pages
from generator.validate import load_catalogue


@pytest.fixture(scope="module")
def cat(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return load_catalogue(lifecycle_catalogue(tmp_path_factory.mktemp("lifecycle") / "catalogue"))


@pytest.mark.parametrize(
    ("today", "web_dev", "tax"),
    [
        ("2025-09-25", Standing.UPCOMING, Standing.UPCOMING),  # the 公示 is announced, not yet open
        ("2025-09-26", Standing.ANNOUNCED, Standing.ANNOUNCED),  # its first day
        ("2025-10-10", Standing.ANNOUNCED, Standing.ANNOUNCED),  # its last day
        ("2025-10-11", Standing.AWAITING, Standing.AWAITING),  # over, no confirmation yet
        ("2025-11-03", Standing.CONFIRMED, Standing.CONFIRMED),  # the 确认 names both
        ("2026-03-01", Standing.CONFIRMED, Standing.CONFIRMED),
        ("2026-03-02", Standing.CONFIRMED, Standing.WITHDRAWN),  # the 退出 names tax only
    ],
)
def test_certificate_standing_follows_the_notices(
    cat, today: str, web_dev: Standing, tax: Standing
) -> None:  # type: ignore[no-untyped-def]
    day = dt.date.fromisoformat(today)
    assert standing(cat, "certificates", "web-dev", day).standing is web_dev
    assert standing(cat, "certificates", "tax", day).standing is tax


def test_exit_names_the_notice_and_its_date(cat) -> None:  # type: ignore[no-untyped-def]
    result = standing(cat, "organizations", "other-org", dt.date(2026, 3, 2))
    assert result.standing is Standing.WITHDRAWN
    assert result.since is not None and result.since.id == "2026-3-exit"
    assert result.since.date == dt.date(2026, 3, 2)


def test_a_later_confirmation_outranks_an_earlier_exit(tmp_path: Path) -> None:
    root = lifecycle_catalogue(tmp_path / "catalogue")
    again = (root / "notices" / "2025-10-confirmation.yaml").read_text(encoding="utf-8")
    again = (
        again.replace("2025-10-confirmation", "2026-7-readmission")
        .replace("2025-11-03", "2026-07-01")
        .replace("related: [2025-9-announcement]", "related: [2026-3-exit]")
    )
    (root / "notices" / "2026-7-readmission.yaml").write_text(again, encoding="utf-8")
    cat = load_catalogue(root)
    assert standing(cat, "certificates", "tax", dt.date(2026, 6, 30)).standing is Standing.WITHDRAWN
    assert standing(cat, "certificates", "tax", dt.date(2026, 7, 1)).standing is Standing.CONFIRMED


def test_entity_pages_show_withdrawn_with_the_date(cat) -> None:  # type: ignore[no-untyped-def]
    pages = {p.path: p.content for p in render_pages(cat, today=dt.date(2026, 3, 2))}
    for path in ("certificates/tax.md", "organizations/other-org.md"):
        page = pages[path]
        assert '<span class="xcert-standing xcert-standing--withdrawn">已退出</span>' in page, path
        assert '<span class="xcert-standing-date">2026年3月2日</span>' in page, path
    assert (
        '<span class="xcert-standing xcert-standing--confirmed">已确认</span>'
        '<span class="xcert-standing-date">2025年11月3日</span>' in pages["certificates/web-dev.md"]
    )


def test_a_standing_from_a_period_carries_the_period_for_the_browser(cat) -> None:  # type: ignore[no-untyped-def]
    page = {p.path: p.content for p in render_pages(cat, today=dt.date(2025, 10, 1))}[
        "certificates/web-dev.md"
    ]
    assert (
        '<span class="xcert-standing xcert-standing--open" data-period-start="2025-09-26" '
        'data-period-end="2025-10-10">公示中</span>'
    ) in page
