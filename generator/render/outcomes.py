"""Which charts each page shows: from outcome figures, from the catalogue itself, and from the
counts of published certificate records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from generator.models import Catalogue, IssuedCount, IssuedRecords, Level, Outcome, OutcomeMetric
from generator.render.charts import Chart
from generator.render.page import batch_name


def _by_metric(owner: str, outcomes: Iterable[Outcome]) -> list[Chart]:
    groups: dict[OutcomeMetric, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[o.metric].append(o)
    charts = []
    for metric in OutcomeMetric:
        items = sorted(
            groups.get(metric, ()), key=lambda o: (o.year or 0, o.level.value if o.level else "")
        )
        if not items:
            continue
        labels = tuple(
            " ".join(
                x for x in (str(o.year) if o.year else "", o.level.value if o.level else "") if x
            )
            or o.date.isoformat()
            for o in items
        )
        sources = "；".join(dict.fromkeys(o.source for o in items))
        charts.append(
            Chart(
                slug=f"{owner}-{metric.value.replace('_', '-')}",
                title=f"{items[0].label}（按年份）",
                unit=items[0].shown_unit,
                labels=labels,
                values=tuple(o.value for o in items),
                source=sources,
                date=max(o.date for o in items).isoformat(),
            )
        )
    return charts


def certificate_charts(cat: Catalogue, cert_id: str) -> list[Chart]:
    return _by_metric(f"certificates-{cert_id}", cat.certificates[cert_id].outcomes)


def organization_charts(cat: Catalogue, org_id: str) -> list[Chart]:
    return _by_metric(f"organizations-{org_id}", cat.organizations[org_id].outcomes)


def holders(cat: Catalogue, cert_id: str) -> float | None:
    """Holders of a certificate: the sum of its published 'issued' figures, if any."""
    issued = [
        o.value for o in cat.certificates[cert_id].outcomes if o.metric is OutcomeMetric.ISSUED
    ]
    return sum(issued) if issued else None


def field_charts(cat: Catalogue, field_id: str, today: str) -> list[Chart]:
    certs = sorted(
        (c for c in cat.certificates.values() if c.field == field_id), key=lambda c: c.id
    )
    per_batch: dict[int, int] = defaultdict(int)
    for c in certs:
        per_batch[c.batch] += 1
    charts = [
        Chart(
            slug=f"fields-{field_id}-batches",
            title="本领域各批次试点证书数",
            unit=" 个",
            labels=tuple(batch_name(b) for b in sorted(per_batch)),
            values=tuple(float(per_batch[b]) for b in sorted(per_batch)),
            source="本目录收录的试点公告",
            date=today,
        )
    ]
    counted = [(c, holders(cat, c.id)) for c in certs]
    with_holders = sorted(
        ((c, h) for c, h in counted if h is not None), key=lambda x: (-x[1], x[0].id)
    )
    if with_holders:
        sources = "；".join(
            dict.fromkeys(
                o.source
                for c, _ in with_holders
                for o in c.outcomes
                if o.metric is OutcomeMetric.ISSUED
            )
        )
        latest = max(
            o.date for c, _ in with_holders for o in c.outcomes if o.metric is OutcomeMetric.ISSUED
        )
        charts.append(
            Chart(
                slug=f"fields-{field_id}-holders",
                title="本领域证书持证人数",
                unit=" 人",
                labels=tuple(c.short_name for c, _ in with_holders),
                values=tuple(h for _, h in with_holders),
                source=sources,
                date=latest.isoformat(),
            )
        )
    return charts


# Counts derived from the published signed records (publish.py), as opposed to the figures an
# organization declares. Under the DEMO root they are demonstration data and say so everywhere.
RECORDS_SOURCE = "本站发布的已签名证书记录（构建时逐份验证签名后计数）"
DEMO_RECORDS_SOURCE = "DEMO 演示记录（由 DEMO 根密钥签发，不是真实的颁证数据）"


def records_source(issued: IssuedRecords) -> str:
    return DEMO_RECORDS_SOURCE if issued.demo else RECORDS_SOURCE


def _records_title(title: str, issued: IssuedRecords) -> str:
    return f"DEMO 演示数据：{title}" if issued.demo else title


def _as_of(issued: IssuedRecords, today: str) -> str:
    return issued.as_of.isoformat() if issued.as_of else today


@dataclass(frozen=True)
class IssuedYear:
    """One row of a certificate's table of issued certificates."""

    year: int | None  # None: the row of totals
    # 初级, 中级, 高级: every level, since a record outlives its level's removal from the catalogue
    per_level: tuple[int, ...]
    total: int
    revoked: int


def issued_years(issued: IssuedRecords, cert_id: str) -> list[IssuedYear]:
    """A row per issue year, then the totals; empty when no record of the certificate exists."""
    levels = [lv.value for lv in Level]
    years: dict[int, dict[str, IssuedCount]] = defaultdict(dict)
    for count in issued.of(cert_id):
        years[count.year][count.level] = count
    rows = []
    for year in sorted(years):
        mine = years[year]
        rows.append(
            IssuedYear(
                year=year,
                per_level=tuple(mine[lv].issued if lv in mine else 0 for lv in levels),
                total=sum(c.issued for c in mine.values()),
                revoked=sum(c.revoked for c in mine.values()),
            )
        )
    if rows:
        rows.append(
            IssuedYear(
                year=None,
                per_level=tuple(sum(col) for col in zip(*(r.per_level for r in rows), strict=True)),
                total=sum(r.total for r in rows),
                revoked=sum(r.revoked for r in rows),
            )
        )
    return rows


def issued_chart(cat: Catalogue, cert_id: str, issued: IssuedRecords, today: str) -> Chart | None:
    """Issued certificates per year and level, one bar each."""
    counts = issued.of(cert_id)
    if not counts or cert_id not in cat.certificates:
        return None
    return Chart(
        slug=f"certificates-{cert_id}-issued-records",
        title=_records_title("已颁发证书数（按年份、等级）", issued),
        unit=" 份",
        labels=tuple(f"{c.year}年 {c.level}" for c in counts),
        values=tuple(float(c.issued) for c in counts),
        source=records_source(issued),
        date=_as_of(issued, today),
    )


def field_issued_chart(
    cat: Catalogue, field_id: str, issued: IssuedRecords, today: str
) -> Chart | None:
    """A field's certificates by the number of certificates issued (holders), largest first."""
    totals = [(c, issued.total(c.id)) for c in cat.certificates.values() if c.field == field_id]
    ranked = sorted(((c, n) for c, n in totals if n > 0), key=lambda x: (-x[1], x[0].id))
    if not ranked:
        return None
    return Chart(
        slug=f"fields-{field_id}-issued-records",
        title=_records_title("本领域各证书已颁发证书数", issued),
        unit=" 份",
        labels=tuple(c.short_name for c, _ in ranked),
        values=tuple(float(n) for _, n in ranked),
        source=records_source(issued),
        date=_as_of(issued, today),
    )
