"""Build-time SVG bar charts: no server, no chart library, text escaped like everything else.

Each chart is a file beside the pages; the page shows it under a heading, with its source and date
and the same figures as a table, so nothing depends on seeing the picture. The picture itself
draws only the bars: its title and source are in <title> and <desc> (for a file opened alone)
rather than printed a second time beside the page's own caption.
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
    top = 8
    height = top + ROW * len(chart.values) + 8
    biggest = max(chart.values, default=0) or 1
    span = WIDTH - BAR_AREA_LEFT - 90
    rows = []
    for i, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        y = top + i * ROW
        w = max(1.0, span * value / biggest) if value > 0 else 0
        rows.append(
            f'<text x="{BAR_AREA_LEFT - 8}" y="{y + 17}" text-anchor="end">{_xml(label)}</text>'
            f'<rect x="{BAR_AREA_LEFT}" y="{y + 4}" width="{w:.1f}" height="{ROW - 10}" '
            f'fill="{PALETTE}"/>'
            f'<text x="{BAR_AREA_LEFT + w + 6:.1f}" y="{y + 17}">'
            f"{_xml(_fmt(value))}{_xml(chart.unit)}</text>"
        )
    about = f"来源：{chart.source}（{chart.date}）"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-label="{_xml(chart.title)}" '
        'font-family="Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, '
        'sans-serif" font-size="13">'
        f"<title>{_xml(chart.title)}</title><desc>{_xml(about)}</desc>"
        f'<rect width="100%" height="100%" fill="#fff"/>' + "".join(rows) + "</svg>\n"
    )
