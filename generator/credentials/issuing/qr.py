"""The QR code of a verify link (segno, byte mode, error level M, mask 0), a row of modules a bytes
(1 = dark).

segno is pure Python: about 1.1 ms a code, as much as a tenth of the look-up key's derivation,
so issuing a large batch takes the codes from a basis made once instead. With the version, error
level and mask fixed, a QR code is an affine function of its data bits over GF(2): the data
codewords are the bits in order (a fixed length gives a fixed header and padding), the
Reed-Solomon codewords are linear in them (addition in GF(256) is XOR), and placement, masking and
the format and version information are fixed. So for links that differ only in their last
`length` characters (the record hash after a run's fixed site address), the code of a link is
the code of a base link XOR the changes that each of its differing bits makes, each change
encoded once by segno. tests/credentials/test_holder_files.py checks the result against segno.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import segno

_BITS = 7  # links are ASCII


def encode(data: bytes) -> tuple[bytes, ...]:
    """The code of `data`, by segno. A fixed mask skips segno's mask evaluation (6x faster);
    every reader decodes any mask."""
    code = segno.make_qr(data, error="m", mask=0, mode="byte", boost_error=False)
    return tuple(bytes(row) for row in code.matrix)


def _flat(rows: tuple[bytes, ...]) -> int:
    return int.from_bytes(b"".join(rows), "big")


@dataclass(frozen=True)
class LinkBasis:
    """Codes of the links `prefix` + `length` ASCII characters."""

    prefix: bytes
    length: int
    side: int
    base: int  # the code of prefix + "0" * length, flattened
    changes: tuple[tuple[int, ...], ...]  # [position][bit]: what flipping it changes

    @classmethod
    def make(cls, prefix: bytes, length: int) -> LinkBasis:
        zero = bytearray(prefix + b"0" * length)
        rows = encode(bytes(zero))
        base = _flat(rows)
        changes = []
        for at in range(len(prefix), len(zero)):
            flips = []
            for bit in range(_BITS):
                zero[at] ^= 1 << bit
                flips.append(_flat(encode(bytes(zero))) ^ base)
                zero[at] ^= 1 << bit
            changes.append(tuple(flips))
        return cls(prefix, length, len(rows), base, tuple(changes))

    def fits(self, link: bytes) -> bool:
        return len(link) == len(self.prefix) + self.length and link.startswith(self.prefix)

    def matrix(self, link: bytes) -> tuple[bytes, ...]:
        code = self.base
        for flips, byte in zip(self.changes, link[len(self.prefix) :], strict=True):
            diff = byte ^ 0x30
            bit = 0
            while diff:
                if diff & 1:
                    code ^= flips[bit]
                diff >>= 1
                bit += 1
        flat = code.to_bytes(self.side * self.side, "big")
        return tuple(flat[i : i + self.side] for i in range(0, len(flat), self.side))


_bases: list[LinkBasis] = []


def prepare(prefix: str, length: int) -> None:
    """Make the basis for links `prefix` + `length` ASCII characters (about 0.25 s for a 32-digit
    hash), for this process and the workers it forks afterwards."""
    data = prefix.encode("ascii")
    if not any(b.prefix == data and b.length == length for b in _bases):
        _bases.append(LinkBasis.make(data, length))


@lru_cache(maxsize=2)  # the QR SVG, the baked SVG and PNG of one record share it
def link_matrix(link: str) -> tuple[bytes, ...]:
    data = link.encode("utf-8")
    basis = next((b for b in _bases if data.isascii() and b.fits(data)), None)
    return basis.matrix(data) if basis else encode(data)
