"""The full build: complete site, repeatable bytes, atomic replacement, one build at a time."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from conftest import REPO, TODAY, copy_repo, run_xcert

from generator.site.swap import build_lock
from generator.validate import load_catalogue


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_full_build_has_a_page_for_every_entity(built_site: Path) -> None:
    cat = load_catalogue(REPO / "catalogue")
    for kind, items in (
        ("certificates", cat.certificates),
        ("organizations", cat.organizations),
        ("standards", cat.standards),
        ("notices", cat.notices),
    ):
        for entity_id in items:
            assert (built_site / kind / entity_id / "index.html").is_file(), f"{kind}/{entity_id}"
    assert (built_site / "pagefind" / "pagefind.js").is_file()
    assert (built_site / "search" / "index.html").is_file()


def test_no_page_loads_anything_from_another_origin(built_site: Path) -> None:
    pattern = re.compile(r'(?:src|href)="(?:https?:)?//', re.IGNORECASE)
    for html in built_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, html
        for tag in re.findall(r"<(?:script|link|img|iframe)[^>]*>", text):
            if 'rel="canonical"' in tag:
                continue  # the page's own address (site_url), named, never fetched
            assert not pattern.search(tag), f"{html}: {tag}"


def test_entity_pages_stay_out_of_the_navigation(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "certificates/web-frontend/" not in home.split('class="md-content"')[0]


def test_two_builds_of_the_same_inputs_are_byte_identical(tmp_path: Path) -> None:
    root = copy_repo(tmp_path / "repo")
    for out in ("a", "b"):
        result = run_xcert(
            "build", "--root", str(root), "--out", str(tmp_path / out), "--today", TODAY.isoformat()
        )
        assert result.returncode == 0, result.stderr
    assert _tree_digest(tmp_path / "a") == _tree_digest(tmp_path / "b")


def test_a_failed_build_leaves_the_previous_site_intact(tmp_path: Path) -> None:
    root = copy_repo(tmp_path / "repo")
    assert run_xcert("build", "--root", str(root), "--today", TODAY.isoformat()).returncode == 0
    before = _tree_digest(root / "site")
    cert = root / "catalogue" / "certificates" / "web-frontend.yaml"
    cert.write_text(
        cert.read_text(encoding="utf-8").replace("organization: miit-etc", "organization: nobody"),
        encoding="utf-8",
    )
    result = run_xcert("build", "--root", str(root), "--today", TODAY.isoformat())
    assert result.returncode == 1
    assert "catalogue/certificates/web-frontend.yaml:" in result.stderr
    assert "unknown organization 'nobody'" in result.stderr
    assert _tree_digest(root / "site") == before
    assert not list(root.glob(".site.build-*")), "no temporary build folder is left behind"


def test_a_broken_hand_written_page_fails_the_build_and_keeps_the_site(tmp_path: Path) -> None:
    root = copy_repo(tmp_path / "repo")
    assert run_xcert("build", "--root", str(root), "--today", TODAY.isoformat()).returncode == 0
    before = _tree_digest(root / "site")
    (root / "site_src" / "broken.md").write_text(
        "# 坏链接\n\n[去哪](no-such-page.md)\n", encoding="utf-8"
    )
    result = run_xcert("build", "--root", str(root), "--today", TODAY.isoformat())
    assert result.returncode == 1
    assert "no-such-page.md" in result.stderr
    assert _tree_digest(root / "site") == before


def test_a_second_build_at_the_same_time_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    root = copy_repo(tmp_path / "repo")
    with build_lock(root / ".site.lock"):
        result = run_xcert("build", "--root", str(root), "--today", TODAY.isoformat())
    assert result.returncode == 1
    assert "another build is running" in result.stderr
    assert not (root / "site").exists()


def test_notice_status_depends_on_the_today_option(tmp_path: Path) -> None:
    root = copy_repo(tmp_path / "repo")
    out = tmp_path / "site"
    assert (
        run_xcert(
            "build", "--root", str(root), "--out", str(out), "--today", "2019-12-28"
        ).returncode
        == 0
    )
    page = (out / "notices" / "2019-341-third-batch-announcement" / "index.html").read_text(
        encoding="utf-8"
    )
    assert ">公示中</span>" in page


def test_a_symbolic_link_in_site_src_fails_the_build(tmp_path: Path) -> None:
    root = copy_repo(tmp_path / "repo")
    (root / "site_src" / "secret.md").symlink_to("/etc/hostname")
    result = run_xcert("build", "--root", str(root), "--today", TODAY.isoformat())
    assert result.returncode == 1
    assert "symbolic links are not allowed in site_src/: site_src/secret.md" in result.stderr
    assert not (root / "site").exists()
