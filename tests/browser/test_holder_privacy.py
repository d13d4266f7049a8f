"""Privacy of holders: a batch issued with full resident ID numbers publishes none of them, and no
issued record is listed where a visitor or a crawler could enumerate it: the sitemap, the search
index, the feeds, the open data or any page. A record is found only by someone who has both its
number and its holder's name (test_accessibility.py finds one that way, with the keyboard).

The site is the one the browser tests share (_site_tour.published_site); every file is read as
bytes, gzip files (the sitemap's copy, Pagefind's index) unpacked first.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from _site_tour import ISSUED_CSV, ISSUED_HOLDERS, published_site

RESIDENT_ID = re.compile(rb"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# Where a visitor or a crawler can list what the site holds.
LISTINGS = ("*.html", "sitemap.xml*", "*.xml", "*.ics", "api/**/*.json", "pagefind/**/*")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return published_site(tmp_path_factory)


def resident_ids(data: bytes) -> set[str]:
    """Full resident ID numbers in `data`: 18 characters whose check digit is right."""
    found = set()
    for match in RESIDENT_ID.findall(data):
        text = match.decode().upper()
        total = sum(int(d) * w for d, w in zip(text, WEIGHTS, strict=False))
        if text[17] == "10X98765432"[total % 11]:
            found.add(text)
    return found


def published(site: Path, patterns: tuple[str, ...] = ("**/*",)) -> Iterator[tuple[str, bytes]]:
    seen = set()
    for pattern in patterns:
        for path in sorted(site.glob(pattern)):
            if path.is_file() and path not in seen:
                seen.add(path)
                data = path.read_bytes()
                if data[:2] == b"\x1f\x8b":
                    data = gzip.decompress(data)
                yield str(path.relative_to(site)), data


def test_the_scan_recognises_the_issued_numbers() -> None:
    assert resident_ids(ISSUED_CSV.encode()) == {national_id for *_, national_id in ISSUED_HOLDERS}


def test_no_full_resident_id_number_in_any_published_file(site: Path) -> None:
    found = {name: ids for name, data in published(site) if (ids := resident_ids(data))}
    assert found == {}


def test_no_issued_record_is_listed_anywhere(site: Path) -> None:
    needles = [
        text.encode()
        for number, name, _ in ISSUED_HOLDERS
        for text in (number, number.lower(), name)
    ]
    listed = {
        name: [n.decode() for n in needles if n in data] for name, data in published(site, LISTINGS)
    }
    assert {name: hits for name, hits in listed.items() if hits} == {}
    assert any(name.startswith("pagefind/") for name, _ in published(site, LISTINGS))
