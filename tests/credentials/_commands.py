"""The credential commands as the command-line tests run them: an organization's keys made with
`xcert keys`, and CSV batches to issue. The scratch repository is the `scratch` fixture."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, run_xcert

PASS = {
    "XCERT_PASSPHRASE": "org passphrase, long enough",
    "XCERT_ROOT_PASSPHRASE": "root passphrase, long",
}


def setup_org(repo: Path, env: dict[str, str]) -> None:
    """The root key and organization miit-etc's key, at the fastest key derivation."""
    for args in (("init-root",), ("add-org", "miit-etc")):
        r = run_xcert("keys", *args, "--kdf", "min", cwd=repo, env=env)
        assert r.returncode == 0, r.stderr


def write_batch(path: Path, *levels: str, encoding: str = "utf-8-sig") -> Path:
    """A batch of miit-etc's web-frontend certificates, one row a level."""
    rows = [
        f"MIIT-2025-{i:06d},赵{i},web-frontend,{level},2025-01-02"
        for i, level in enumerate(levels, 1)
    ]
    path.write_text(
        "证书编号,姓名,证书,等级,发证日期\n" + "\n".join(rows) + "\n", encoding=encoding
    )
    return path


def copy_site_sources(repo: Path) -> None:
    """The checkout's site sources (site_src/, mkdocs.yml) into the scratch repository, so that
    `xcert build` runs there."""
    shutil.copytree(REPO / "site_src", repo / "site_src")
    shutil.copy2(REPO / "mkdocs.yml", repo / "mkdocs.yml")
