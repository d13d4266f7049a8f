"""The page kinds of the site, and how to visit one in Chromium until its script has done its work.

Shared by the privacy, CSP, accessibility and mobile tests, which visit every kind in one browser.
Each kind is opened in the state a visitor sees: search with results, compare with a selection,
the finder with a major, the verify page with a DEMO record checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import TODAY, copy_repo, once_per_run, run_xcert

DEMO_PASSPHRASE = (
    "xcert-demo-passphrase"  # published on purpose: generator/credentials/issuing/demo.py
)

# A batch issued with full resident ID numbers (valid check digits): the site must publish none.
ISSUED_HOLDERS = (
    ("DEMO-2024-900001", "隐私测试甲", "110101199003074514"),
    ("DEMO-2024-900002", "隐私测试乙", "320102198512300015"),
)
ISSUED_CSV = "证书编号,姓名,证书,等级,发证日期,身份证号\n" + "".join(
    f"{number},{name},web-frontend,中级,2024-10-01,{national_id}\n"
    for number, name, national_id in ISSUED_HOLDERS
)


def published_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as deployed, built once per session (the test modules share it): the shipped
    catalogue with the DEMO records (so the verify page has something to check) and ISSUED_CSV,
    issued through the command line."""
    if id(tmp_path_factory) not in _BUILT:
        folder = once_per_run(tmp_path_factory, "published-site", _build)
        _BUILT[id(tmp_path_factory)] = folder / "repo" / "site"
    return _BUILT[id(tmp_path_factory)]


def published_url(tmp_path_factory: pytest.TempPathFactory, serve) -> str:  # type: ignore[no-untyped-def]
    """The published site on one local HTTP server for the session (conftest's `serve`)."""
    if id(serve) not in _SERVED:
        _SERVED[id(serve)] = serve(published_site(tmp_path_factory))
    return _SERVED[id(serve)]


_BUILT: dict[int, Path] = {}
_SERVED: dict[int, str] = {}


def _build(work: Path) -> None:
    root, keys = copy_repo(work / "repo"), work / "demo-keys"
    steps = (
        ("demo", "--repo", str(root), "--key-dir", str(keys)),
        (
            "issue",
            "--org",
            "demo",
            "--key",
            str(keys / "demo-1.xcert-key"),
            "--repo",
            str(root),
            str(_write(work / "batch.csv", ISSUED_CSV)),
        ),
        ("build", "--root", str(root), "--today", TODAY.isoformat()),
    )
    for step in steps:
        result = run_xcert(*step, env={"XCERT_PASSPHRASE": DEMO_PASSPHRASE})
        assert result.returncode == 0, f"xcert {step[0]}: {result.stderr}"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# Collects Content-Security-Policy violations from the first script on: the browser reports them
# as events on the document (a console message alone can be missed).
CSP_COLLECTOR = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "(inline)"}`
    + ` in ${e.sourceFile || e.documentURI}:${e.lineNumber}`);
});
"""


@dataclass(frozen=True)
class Kind:
    name: str
    path: str
    ready: str = ""  # what shows that the page's script has done its work
    press: str = ""  # a control to press first


KINDS = (
    Kind("home", "/"),
    Kind("certificates", "/certificates/"),
    Kind("certificate", "/certificates/web-frontend/"),
    Kind("organizations", "/organizations/"),
    Kind("organization", "/organizations/miit-etc/"),
    Kind("standards", "/standards/"),
    Kind("standard", "/standards/web-frontend/"),
    Kind("notices", "/notices/"),
    Kind("notice", "/notices/2019-341-third-batch-announcement/"),
    Kind("fields", "/fields/"),
    Kind("field", "/fields/electronic-information/"),
    Kind("majors", "/majors/"),
    Kind("major", "/majors/software-technology/"),
    Kind("finder", "/finder/?edu=高职&major=软件技术", ready="#xcert-finder-results li"),
    Kind(
        "compare",
        "/compare/?c=web-frontend,logistics-management,elderly-care",
        ready="table.xcert-compare-table",
    ),
    Kind("search", "/search/?q=养老", ready="#xcert-search .pagefind-ui__result-link"),
    Kind("open-data", "/open-data/"),
    Kind(
        "verify",
        "/verify/",
        press="#xv-demo button:has-text('有效的样例')",
        ready="#xv-result[data-verdict=valid]",
    ),
    Kind("404", "/404.html"),
)
KIND_IDS = [k.name for k in KINDS]


def visit(page, base: str, kind: Kind, *, settle: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Open the page kind and wait until it shows what a visitor came for; `settle` also waits
    until the network is quiet (no request for 500 ms), so late requests are seen too."""
    page.goto(base + kind.path)
    if kind.press:
        page.click(kind.press, timeout=15_000)
    if kind.ready:
        page.wait_for_selector(kind.ready, timeout=20_000)
    if settle:
        page.wait_for_load_state("networkidle")


def same_origin(url: str, base: str) -> bool:
    """The site itself, or data the page made (data:, blob:)."""
    return urlsplit(url).scheme in ("data", "blob") or url == base or url.startswith(base + "/")
