"""The holder's QR code, drawn as one SVG path of horizontal runs, shows exactly the modules
segno encodes for the verify link: in the QR SVG and in the baked SVG alike."""

from __future__ import annotations

import re

import segno

from generator.credentials.issuing.holder import Card, baked_svg, qr_svg, verify_link

RUN = re.compile(r"M(\d+) (\d+)h(\d+)v1h-\3z")


def dark_modules(svg: bytes) -> set[tuple[int, int]]:
    (d,) = re.findall(r'd="([^"]*)"', svg.decode("utf-8"))
    assert RUN.sub("", d) == ""  # nothing but runs
    return {(int(r) - 4, int(c) - 4 + k) for c, r, w in RUN.findall(d) for k in range(int(w))}


def test_the_qr_path_draws_exactly_the_encoded_modules() -> None:
    for i, site in enumerate(["https://xcert.example.org/", "https://证书.example.cn/x/y/"]):
        link = verify_link(f"{i:x}" * 64, site_url=site)
        matrix = segno.make_qr(link, error="m", mask=0).matrix
        expected = {(r, c) for r, row in enumerate(matrix) for c, on in enumerate(row) if on}
        assert dark_modules(qr_svg(link)) == expected
        card = Card(
            "张三", "Web 前端开发职业技能等级证书", "中级", "某机构", "2025年5月30日", "N-1", link
        )
        assert dark_modules(baked_svg(card, b"{}").split(b"]]>", 1)[1]) == expected
