"""Fixture catalogues and repositories for the maintainers' tests (publishing, periods, review)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path


def _root_conftest():  # type: ignore[no-untyped-def]
    """tests/conftest.py by path: `import conftest` means whichever conftest.py pytest loaded
    last."""
    spec = importlib.util.spec_from_file_location(
        "xcert_tests_conftest", Path(__file__).parents[1] / "conftest.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_root = _root_conftest()
ASSETS, REPO, copy_repo, run_xcert = _root.ASSETS, _root.REPO, _root.copy_repo, _root.run_xcert

VALID = ASSETS / "catalogue" / "valid"
LIFECYCLE = ASSETS / "lifecycle"


def lifecycle_catalogue(dest: Path) -> Path:
    """The valid fixture catalogue plus a 公示, a 确认 and a 退出 (tests/assets/lifecycle/)."""
    shutil.copytree(VALID, dest)
    for notice in sorted(LIFECYCLE.glob("*.yaml")):
        shutil.copy(notice, dest / "notices" / notice.name)
    return dest


def site_repo(dest: Path, catalogue: Path | None = None) -> Path:
    """A buildable repository: the project's site_src/ and mkdocs.yml around a catalogue."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "site_src", dest / "site_src")
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    if catalogue is None:
        lifecycle_catalogue(dest / "catalogue")
    else:
        shutil.copytree(catalogue, dest / "catalogue")
    return dest
