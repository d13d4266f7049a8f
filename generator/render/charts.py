"""Build-time SVG bar charts: no server, no chart library, text escaped like everything else.

Each chart is a file beside the pages; the page shows it with its source and date and the same
figures as a table, so nothing depends on seeing the picture.
"""
from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape as _xml

WIDTH = 560
BAR_AREA_LEFT = 150
ROW = 28
PALETTE = "#3f51b5"


@dataclass(frozen=True)
class Chart:
    slug: str  # file name without extension
    title: str
    unit: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    source: str
    date: str

    @property
    def path(self) -> str:
        return f"charts/{self.slug}.svg"


def _fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def render_svg(chart: Chart) -> str:
    """A horizontal bar chart; bars scale to the largest value."""
    top = 40
    height = top + ROW * len(chart.values) + 36
    biggest = max(chart.values, default=0) or 1
    span = WIDTH - BAR_AREA_LEFT - 90
    rows = []
    for i, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        y = top + i * ROW
        w = max(1.0, span * value / biggest) if value > 0 else 0
        rows.append(
            f'<text x="{BAR_AREA_LEFT - 8}" y="{y + 17}" text-anchor="end">{_xml(label)}</text>'
            f'<rect x="{BAR_AREA_LEFT}" y="{y + 4}" width="{w:.1f}" height="{ROW - 10}" fill="{PALETTE}"/>'
            f'<text x="{BAR_AREA_LEFT + w + 6:.1f}" y="{y + 17}">{_xml(_fmt(value))}{_xml(chart.unit)}</text>')
    footer = f"来源：{chart.source}（{chart.date}）"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-label="{_xml(chart.title)}" '
        f'font-family="Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif" font-size="13">'
        f"<title>{_xml(chart.title)}</title>"
        f'<rect width="100%" height="100%" fill="#fff"/>'
        f'<text x="12" y="24" font-size="15" font-weight="bold">{_xml(chart.title)}</text>'
        + "".join(rows)
        + f'<text x="12" y="{height - 12}" font-size="11" fill="#616161">{_xml(footer)}</text></svg>\n')
