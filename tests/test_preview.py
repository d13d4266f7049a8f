"""`xcert serve`'s incremental rebuild gives the full build's site, byte for byte, after a series
of edits; it rebuilds only the pages an edit changes; a broken edit leaves the site as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TODAY, copy_repo

from generator.errors import CatalogueErrors
from generator.site.build import BuildOptions, build_site
from generator.site.preview import Preview

NOTICE = "catalogue/notices/2019-67-first-batch-announcement.yaml"
CERTIFICATE = "catalogue/certificates/web-frontend.yaml"


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _pages(paths: tuple[str, ...] | None) -> list[str]:
    """Of the files `settle` applied, the pages and charts (data files and feeds are its own)."""
    assert paths is not None
    return [p for p in paths if p.endswith((".md", ".svg"))]


def _edit(root: Path, rel: str, old: str, new: str) -> Path:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.fixture()
def preview(tmp_path: Path) -> Preview:
    root = copy_repo(tmp_path / "repo")
    opts = BuildOptions(root=root, out=tmp_path / "site", today=TODAY)
    p = Preview(opts, tree=tmp_path / ".site.serve-tree")
    assert p.full().full
    return p


def test_a_series_of_edits_gives_the_full_builds_site(preview: Preview, tmp_path: Path) -> None:
    root = preview.opts.root
    edits = [
        (
            NOTICE,
            "\ntitle: 关于参与 1+X 证书制度试点的首批",
            "\ntitle: 关于参与 1+X 证书制度试点的第一批",
        ),
        (CERTIFICATE, "初级证书持有者具有静态网页开发能力", "初级证书持有者能开发静态网页"),
        # The period moves, so statuses change on pages that do not show the notice's text.
        (
            NOTICE,
            "start: '2019-03-26'\n  end: '2019-03-31'",
            "start: '2026-11-01'\n  end: '2026-12-31'",
        ),
    ]
    for rel, old, new in edits:
        update = preview.update([_edit(root, rel, old, new)])
        assert not update.full and update.changed
        assert _pages(preview.settle()) == []  # the quick update changed every page it had to
    # A related notice edited twice, the second edit undoing the first.
    for old, new in (
        ("“1+X”证书制度试点工作政策梳理", "“1+X”证书制度试点政策梳理"),
        ("“1+X”证书制度试点政策梳理", "“1+X”证书制度试点工作政策梳理"),
    ):
        assert not preview.update([_edit(root, NOTICE, old, new)]).full
    preview.reindex()
    reference = tmp_path / "reference"
    build_site(BuildOptions(root=root, out=reference, today=TODAY))
    served, built = _files(preview.opts.out), _files(reference)
    assert sorted(k for k in served.keys() | built.keys() if served.get(k) != built.get(k)) == []


def test_a_notice_title_edit_rebuilds_only_the_pages_that_show_it(preview: Preview) -> None:
    title = "\ntitle: 关于参与 1+X 证书制度试点的首批"
    update = preview.update([_edit(preview.opts.root, NOTICE, title, title + "（改）")])
    assert not update.full
    changed = set(update.changed)
    assert "notices/2019-67-first-batch-announcement.md" in changed
    assert "notices/index.md" in changed
    assert len(changed) < 0.2 * len(preview.pages)
    settled = preview.settle()
    assert _pages(settled) == [] and "api/notices.json" in (settled or ())
    page = preview.opts.out / "notices" / "2019-67-first-batch-announcement" / "index.html"
    assert "试点的首批（改）职业教育培训评价组织" in page.read_text(encoding="utf-8")


def test_a_broken_edit_raises_with_its_place_and_keeps_the_site(preview: Preview) -> None:
    before = _files(preview.opts.out)
    path = _edit(preview.opts.root, CERTIFICATE, "name: Web 前端开发职业技能等级证书", "name:")
    with pytest.raises(CatalogueErrors) as info:
        preview.update([path])
    assert "catalogue/certificates/web-frontend.yaml:4:" in info.value.render()
    assert _files(preview.opts.out) == before
    fixed = _edit(preview.opts.root, CERTIFICATE, "name:\n", "name: Web 前端开发职业技能等级证书\n")
    assert not preview.update([fixed]).full


def test_a_new_page_or_a_change_outside_the_catalogue_takes_a_full_build(preview: Preview) -> None:
    root = preview.opts.root
    copy = root / "catalogue" / "notices" / "2026-copy.yaml"
    text = (root / NOTICE).read_text(encoding="utf-8")
    copy.write_text(
        text.replace("id: 2019-67-first-batch-announcement", "id: 2026-copy"), encoding="utf-8"
    )
    assert preview.update([copy]).full
    assert (preview.opts.out / "notices" / "2026-copy" / "index.html").is_file()
    assert preview.update([root / "site_src" / "index.md"]).full
