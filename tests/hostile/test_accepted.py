"""What looks hostile but is fine: YAML 1.1 look-alikes in text fields stay the text written,
CRLF and byte-order marks change nothing, and notices that cite each other in a circle build."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import run_xcert

from generator.validate import load_catalogue
from hostile._inject import SKELETON
from hostile.conftest import ASSETS, InjectedSite

ACCEPTED = ASSETS / "accepted"


def test_yaml_look_alikes_stay_text_and_line_endings_do_not_matter(tmp_path: Path) -> None:
    root = tmp_path / "catalogue"
    shutil.copytree(SKELETON, root)
    shutil.copytree(ACCEPTED, root, dirs_exist_ok=True)
    result = run_xcert("check", "--catalogue", str(root))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "catalogue/ is valid: 5 organizations, 2 certificates, 1 standards, 4 notices\n"
    )
    cat = load_catalogue(root)
    notice = cat.notices["date-looking-title"]
    assert (notice.title, notice.doc_number, notice.date.isoformat()) == (
        "2019-03-26",
        "2019-03-26",
        "2019-03-26",
    )
    org = cat.organizations["number-looking-text"]
    assert (org.name, tuple(org.aliases)) == ("1e3", ("0o10", "1_000x", "12:30:61", ".5e"))
    assert cat.organizations["crlf-no-bom"].summary == "第一行\n第二行\n"
    assert cat.organizations["bom-no-crlf"].name == "字节顺序标记"


def test_notices_citing_each_other_in_a_circle_build_and_link(injected: InjectedSite) -> None:
    # tests/assets/hostile/skeleton: first-batch ↔ first-batch-confirmed, cost-caps → both.
    # A notice citing itself is refused (tests/assets/hostile/catalogue/related-self.yaml).
    first = (injected.site / "notices" / "first-batch" / "index.html").read_text(encoding="utf-8")
    confirmed = (injected.site / "notices" / "first-batch-confirmed" / "index.html").read_text(
        encoding="utf-8"
    )
    assert 'href="../first-batch-confirmed/"' in first
    assert 'href="../first-batch/"' in confirmed
