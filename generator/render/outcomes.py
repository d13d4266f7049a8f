"""Which charts each page shows, from outcome figures and from the catalogue itself."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from generator.models import Catalogue, Outcome, OutcomeMetric
from generator.render.charts import Chart
from generator.render.pages import BATCH_NAMES


def _by_metric(owner: str, outcomes: Iterable[Outcome]) -> list[Chart]:
    groups: dict[OutcomeMetric, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[o.metric].append(o)
    charts = []
    for metric in OutcomeMetric:
        items = sorted(groups.get(metric, ()), key=lambda o: (o.year or 0, o.level.value if o.level else ""))
        if not items:
            continue
        labels = tuple(" ".join(x for x in (str(o.year) if o.year else "", o.level.value if o.level else "") if x)
                       or o.date.isoformat() for o in items)
        sources = "；".join(dict.fromkeys(o.source for o in items))
        charts.append(Chart(
            slug=f"{owner}-{metric.value.replace('_', '-')}", title=f"{items[0].label}（按年份）",
            unit=items[0].shown_unit, labels=labels, values=tuple(o.value for o in items),
            source=sources, date=max(o.date for o in items).isoformat()))
    return charts


def certificate_charts(cat: Catalogue, cert_id: str) -> list[Chart]:
    return _by_metric(f"certificates-{cert_id}", cat.certificates[cert_id].outcomes)


def organization_charts(cat: Catalogue, org_id: str) -> list[Chart]:
    return _by_metric(f"organizations-{org_id}", cat.organizations[org_id].outcomes)


def holders(cat: Catalogue, cert_id: str) -> float | None:
    """Holders of a certificate: the sum of its published 'issued' figures, if any."""
    issued = [o.value for o in cat.certificates[cert_id].outcomes if o.metric is OutcomeMetric.ISSUED]
    return sum(issued) if issued else None


def field_charts(cat: Catalogue, field_id: str, today: str) -> list[Chart]:
    certs = sorted((c for c in cat.certificates.values() if c.field == field_id), key=lambda c: c.id)
    per_batch: dict[int, int] = defaultdict(int)
    for c in certs:
        per_batch[c.batch] += 1
    charts = [Chart(
        slug=f"fields-{field_id}-batches", title="本领域各批次试点证书数", unit=" 个",
        labels=tuple(BATCH_NAMES.get(b, f"第{b}批") for b in sorted(per_batch)),
        values=tuple(float(per_batch[b]) for b in sorted(per_batch)),
        source="本目录收录的试点公告", date=today)]
    counted = [(c, holders(cat, c.id)) for c in certs]
    with_holders = sorted(((c, h) for c, h in counted if h is not None), key=lambda x: (-x[1], x[0].id))
    if with_holders:
        sources = "；".join(dict.fromkeys(o.source for c, _ in with_holders for o in c.outcomes
                                         if o.metric is OutcomeMetric.ISSUED))
        latest = max(o.date for c, _ in with_holders for o in c.outcomes if o.metric is OutcomeMetric.ISSUED)
        charts.append(Chart(
            slug=f"fields-{field_id}-holders", title="本领域证书持证人数", unit=" 人",
            labels=tuple(c.short_name for c, _ in with_holders), values=tuple(h for _, h in with_holders),
            source=sources, date=latest.isoformat()))
    return charts
