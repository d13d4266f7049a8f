"""The holder's QR code: made from a basis when a large batch is issued, it is exactly segno's
code of the verify link; drawn as one SVG path of horizontal runs, it shows exactly those modules,
in the QR SVG and in the baked SVG alike."""

from __future__ import annotations

import random
import re

import pytest
import segno

from generator.credentials.formats.record import HASH_HEX_LENGTH
from generator.credentials.issuing import qr
from generator.credentials.issuing.holder import (
    Card,
    baked_svg,
    link_prefix,
    qr_svg,
    verify_link,
)

RUN = re.compile(r"M(\d+) (\d+)h(\d+)v1h-\3z")
SITES = ["https://xcert.example.org/", "https://certs.example.cn/1x/long/path/to/the/site/"]


def segno_modules(link: str) -> tuple[bytes, ...]:
    """segno's code of the link, asked as anyone would ask it (text, no mode given)."""
    code = segno.make_qr(link, error="m", mask=0, boost_error=False)
    return tuple(bytes(row) for row in code.matrix)


def random_hash(rng: random.Random) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(HASH_HEX_LENGTH))


@pytest.mark.parametrize("site", SITES)
def test_codes_from_the_basis_are_segnos(site: str) -> None:
    rng = random.Random(site)
    basis = qr.LinkBasis.make(link_prefix(site).encode(), HASH_HEX_LENGTH)
    for record_hash in ["0" * HASH_HEX_LENGTH, "f" * HASH_HEX_LENGTH] + [
        random_hash(rng) for _ in range(25)
    ]:
        link = verify_link(record_hash, site_url=site)
        assert basis.fits(link.encode())
        assert basis.matrix(link.encode()) == segno_modules(link), link


def dark_modules(svg: bytes) -> set[tuple[int, int]]:
    (d,) = re.findall(r'd="([^"]*)"', svg.decode("utf-8"))
    assert RUN.sub("", d) == ""  # nothing but runs
    return {(int(r) - 4, int(c) - 4 + k) for c, r, w in RUN.findall(d) for k in range(int(w))}


def test_the_qr_path_draws_exactly_the_encoded_modules() -> None:
    for i, site in enumerate([*SITES, "https://证书.example.cn/"]):
        link = verify_link(f"{i:x}" * HASH_HEX_LENGTH, site_url=site)
        matrix = segno.make_qr(link, error="m", mask=0).matrix
        expected = {(r, c) for r, row in enumerate(matrix) for c, on in enumerate(row) if on}
        assert dark_modules(qr_svg(link)) == expected
        card = Card(
            "张三", "Web 前端开发职业技能等级证书", "中级", "某机构", "2025年5月30日", "N-1", link
        )
        assert dark_modules(baked_svg(card, b"{}").split(b"]]>", 1)[1]) == expected
