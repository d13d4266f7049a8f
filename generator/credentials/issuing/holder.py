"""The files a holder receives besides the record JSON: the QR code of the verify link, and the
certificate as an Open Badges 3.0 *baked* image, an SVG and a PNG that show the certificate as a
person reads it and carry the signed record inside (OB 3.0 §5.3 "Baked Badge"):

- SVG: `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"` on the root, and directly after
  the `<svg>` tag one `<openbadges:credential>` whose body is the record's JSON in CDATA;
- PNG: one uncompressed `iTXt` chunk with keyword `openbadgecredential` holding the JSON.

The verify page (site_src/assets/verify/baked.js) takes either image like the JSON file.
"""

from __future__ import annotations

import datetime as dt
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from generator import china_time
from generator.credentials.issuing.qr import link_matrix

OB_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
PNG_KEYWORD = b"openbadgecredential"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
_SVG_FONT = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"


class BakeError(ValueError):
    """An image that does not carry exactly one credential where OB 3.0 baking puts it."""


@dataclass(frozen=True)
class Card:
    """What the certificate shows, as printed."""

    holder: str
    certificate: str
    level: str
    organization: str
    issue_date: str
    number: str
    link: str | None  # the verify link (needs the site's address)


def chinese_date(iso: str) -> str:
    """2024-06-28 → 2024年6月28日, as certificates print it."""
    return china_time.chinese_date(dt.date.fromisoformat(iso))


def verify_link(record_hash: str, *, site_url: str) -> str:
    """The link printed on a certificate; it carries the record hash, never the name."""
    return f"{link_prefix(site_url)}{record_hash}"


def link_prefix(site_url: str) -> str:
    """What every verify link of the site starts with (the record hash follows)."""
    return f"{site_url.rstrip('/')}/verify/#r="


@lru_cache(maxsize=2)
def _qr_path(link: str) -> tuple[int, str]:
    """(modules a side with the 4-module quiet zone, the dark modules as one SVG path in module
    units: a rectangle per horizontal run, which is 2-3 times fewer than one per module)."""
    matrix = link_matrix(link)
    starts, runs = _path_pieces(len(matrix))
    parts: list[str] = []
    add = parts.append
    for row, at in zip(matrix, starts, strict=True):
        x = 0
        for run in row.split(b"\x00"):  # the runs of dark modules, empty between light ones
            if run:
                w = len(run)
                add(at[x])
                add(runs[w])
                x += w + 1
            else:
                x += 1
    return len(matrix) + 8, "".join(parts)


@lru_cache(maxsize=4)
def _path_pieces(side: int) -> tuple[list[list[str]], list[str]]:
    """The path's pieces for a code of `side` modules, formatted once rather than for each of a
    code's hundreds of runs: [row][column] the move to a run's start, [width] the run."""
    starts = [[f"M{x + 4} {y + 4}" for x in range(side)] for y in range(side)]
    return starts, [f"h{w}v1h-{w}z" for w in range(side + 1)]


def _qr_svg_group(link: str, x: int, y: int, size: int) -> str:
    """The QR code on a white square of `size` at (x, y)."""
    n, d = _qr_path(link)
    return (
        f'<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" shape-rendering="crispEdges" '
        f'transform="translate({x} {y}) scale({size / n:.4f})" d="{d}"/>'
    )


def qr_svg(link: str) -> bytes:
    """The QR code alone, 4 pixels a module."""
    n = _qr_path(link)[0]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{4 * n}" height="{4 * n}" '
        f'viewBox="0 0 {4 * n} {4 * n}">{_qr_svg_group(link, 0, 0, 4 * n)}</svg>\n'
    ).encode("ascii")


def _lines(card: Card) -> list[tuple[str, str]]:
    return [
        ("证书编号", card.number),
        ("发证机构", card.organization),
        ("发证日期", card.issue_date),
    ]


def baked_svg(card: Card, record: bytes) -> bytes:
    """The certificate as an SVG with the signed record baked in."""
    text = record.decode("utf-8").replace("]]>", "]]]]><![CDATA[>")
    e = escape
    rows = "".join(
        f'<text x="80" y="{430 + 44 * i}" font-size="24" fill="#333">{e(k)}：{e(v)}</text>'
        for i, (k, v) in enumerate(_lines(card))
    )
    qr = _qr_svg_group(card.link, 760, 380, 180) if card.link else ""
    hint = "扫码或上传本图片核验" if card.link else "上传本图片核验"
    svg = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="{OB_NAMESPACE}" '
        'viewBox="0 0 1000 640" width="1000" height="640">'
        f"<openbadges:credential><![CDATA[{text}]]></openbadges:credential>"
        f"<title>{e(card.certificate)}（{e(card.level)}）· {e(card.holder)}</title>"
        f'<g font-family="{_SVG_FONT}">'
        '<rect x="0" y="0" width="1000" height="640" fill="#fffdf7"/>'
        '<rect x="20" y="20" width="960" height="600" fill="none" stroke="#8a1c1c" '
        'stroke-width="6"/>'
        '<text x="500" y="110" font-size="44" text-anchor="middle" fill="#8a1c1c" '
        'font-weight="bold">职业技能等级证书</text>'
        f'<text x="500" y="180" font-size="30" text-anchor="middle" fill="#222">'
        f"{e(card.certificate)}（{e(card.level)}）</text>"
        f'<text x="80" y="300" font-size="26" fill="#555">持证人</text>'
        f'<text x="80" y="360" font-size="52" fill="#111" font-weight="bold">'
        f"{e(card.holder)}</text>"
        f"{rows}{qr}"
        f'<text x="850" y="590" font-size="18" text-anchor="middle" fill="#555">{hint}</text>'
        "</g></svg>\n"
    )
    return svg.encode("utf-8")


@lru_cache(maxsize=4)
def _font(size: int) -> object:
    from PIL import ImageFont

    for path in _FONTS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _itxt(keyword: bytes, text: bytes) -> bytes:
    # keyword, NUL, compression flag 0, method 0, empty language tag and translated keyword.
    body = keyword + b"\x00\x00\x00\x00\x00" + text
    chunk = b"iTXt" + body
    return len(body).to_bytes(4, "big") + chunk + zlib.crc32(chunk).to_bytes(4, "big")


def bake_png(png: bytes, record: bytes) -> bytes:
    """`png` with one `openbadgecredential` iTXt chunk holding `record`, right after IHDR."""
    if not png.startswith(_PNG_SIGNATURE):
        raise BakeError("not a PNG file")
    ihdr_end = 8 + 8 + int.from_bytes(png[8:12], "big") + 4
    return png[:ihdr_end] + _itxt(PNG_KEYWORD, record) + png[ihdr_end:]


def baked_png(card: Card, record: bytes) -> bytes:
    """The certificate drawn as a PNG (Pillow, a CJK font when one is installed), baked."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1000, 640), "#fffdf7")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 980, 620), outline="#8a1c1c", width=6)

    def put(xy: tuple[int, int], text: str, size: int, fill: str, anchor: str = "ls") -> None:
        draw.text(xy, text, font=_font(size), fill=fill, anchor=anchor)  # type: ignore[arg-type]

    put((500, 110), "职业技能等级证书", 44, "#8a1c1c", "ms")
    put((500, 180), f"{card.certificate}（{card.level}）", 30, "#222", "ms")
    put((80, 300), "持证人", 26, "#555")
    put((80, 360), card.holder, 52, "#111")
    for i, (k, v) in enumerate(_lines(card)):
        put((80, 430 + 44 * i), f"{k}：{v}", 24, "#333")
    if card.link:
        matrix = link_matrix(card.link)
        n = len(matrix) + 8
        cell = 180 / n
        draw.rectangle((760, 380, 940, 560), fill="#fff")
        for r, row in enumerate(matrix):
            for c, on in enumerate(row):
                if on:
                    x0, y0 = 760 + (c + 4) * cell, 380 + (r + 4) * cell
                    draw.rectangle((x0, y0, x0 + cell - 0.01, y0 + cell - 0.01), fill="#000")
    put((850, 590), "扫码或上传本图片核验" if card.link else "上传本图片核验", 18, "#555", "ms")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=6)
    return bake_png(buffer.getvalue(), record)


def holder_files(card: Card, record: bytes, *, png: bool = False) -> Iterator[tuple[str, bytes]]:
    """(suffix, bytes) of the holder's files beside `<number>.json`."""
    if card.link:
        yield ".qr.svg", qr_svg(card.link)
    yield ".svg", baked_svg(card, record)
    if png:
        yield ".png", baked_png(card, record)


def extract_png(png: bytes) -> bytes:
    """The credential text of a baked PNG (the first `openbadgecredential` iTXt chunk)."""
    if not png.startswith(_PNG_SIGNATURE):
        raise BakeError("not a PNG file")
    pos = 8
    while pos + 8 <= len(png):
        length = int.from_bytes(png[pos : pos + 4], "big")
        kind = png[pos + 4 : pos + 8]
        body = png[pos + 8 : pos + 8 + length]
        if kind == b"iTXt":
            keyword, _, rest = body.partition(b"\x00")
            if keyword == PNG_KEYWORD:
                if rest[:1] != b"\x00":
                    raise BakeError("the credential chunk is compressed (OB 3.0 forbids it)")
                _lang, _, rest = rest[2:].partition(b"\x00")
                _translated, _, text = rest.partition(b"\x00")
                return text
        if kind == b"IEND":
            break
        pos += 12 + length
    raise BakeError("the PNG carries no openbadgecredential chunk")
