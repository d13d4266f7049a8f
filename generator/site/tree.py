"""Assemble the generated docs tree: hand-written pages from site_src/ plus the rendered pages.

The tree is plain Markdown with front matter, a theme overrides folder and an mkdocs.yml, so any
mkdocs-compatible renderer can build it; nothing depends on a plugin.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from generator.errors import BuildError
from generator.render.cjk import join_lines
from generator.render.page import Page

OVERRIDES = "overrides"


def _refuse_links(site_src: Path) -> None:
    """A symbolic link in site_src/ (from a pull request) could publish any file of the machine
    that builds the site; hand-written pages are plain files."""
    links = sorted(p for p in site_src.rglob("*") if p.is_symlink())
    if links:
        names = ", ".join(str(p.relative_to(site_src.parent)) for p in links)
        raise BuildError(f"symbolic links are not allowed in site_src/: {names}")


def write_tree(
    *,
    work: Path,
    site_src: Path,
    pages: list[Page],
    base_config: Path,
    extra: dict[str, Any],
    site_url: str | None = None,
) -> Path:
    """Write `work`/docs, `work`/overrides and `work`/mkdocs.yml; return the config path.
    `site_url`, when known, is the site's address as the build resolved it."""
    _refuse_links(site_src)
    docs = work / "docs"
    docs.mkdir(parents=True)
    for item in sorted(site_src.iterdir()):
        if item.name == OVERRIDES or item.name.startswith("."):
            continue
        target = docs / item.name
        if item.is_dir():
            shutil.copytree(item, target)
        else:
            shutil.copy2(item, target)
    # Hand-written pages wrap Chinese lines too; generated pages are joined as they render.
    for md in sorted(docs.rglob("*.md")):
        md.write_text(join_lines(md.read_text(encoding="utf-8")), encoding="utf-8")
    if (site_src / OVERRIDES).is_dir():
        shutil.copytree(site_src / OVERRIDES, work / OVERRIDES)
    for page in pages:
        path = docs / page.path
        if path.exists():
            raise BuildError(f"site_src/{page.path} would be overwritten by a generated page")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.content, encoding="utf-8")
    config = yaml.safe_load(base_config.read_text(encoding="utf-8"))
    if config.get("use_directory_urls", True) is not True:
        # Generated lists of links are HTML with the addresses written out (render/pages.py).
        raise BuildError(f"{base_config.name}: the generated pages need use_directory_urls: true")
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config.setdefault("theme", {})["custom_dir"] = OVERRIDES
    config.setdefault("extra", {}).update(extra)
    if site_url:
        config["site_url"] = site_url
    out = work / "mkdocs.yml"
    out.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out
