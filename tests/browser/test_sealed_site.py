"""A batch issued through the command line into a scratch git repository, then built: no file git
would commit and no file of the site holds a holder's name or certificate number (as UTF-8 or as
a JSON escape), and in Chromium the number + name look-up finds every record. The holder's baked
SVG and PNG certificates verify on the page like the JSON; an image without a record, or with an
altered one, does not."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, TODAY, copy_repo, run_xcert

pytestmark = pytest.mark.browser
HOLDERS = (
    ("GX-2025-000101", "韦秀英"),
    ("GX-2025-000102", "覃·阿依古丽"),
    ("GX-2025-000103", "黄志强"),
)
ENV = {
    "XCERT_PASSPHRASE": "org passphrase, long enough",
    "XCERT_ROOT_PASSPHRASE": "root passphrase, long",
}


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(repository, private store) after keys, one issued batch and a build."""
    work = tmp_path_factory.mktemp("sealed")
    root = copy_repo(work / "repo")
    shutil.copy2(REPO / ".gitignore", root / ".gitignore")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as f:
        f.write("\nsite_url: https://xcert.example.org/\n")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    env = {**ENV, "XCERT_KEY_DIR": str(work / "keys"), "XCERT_STORE": str(work / "store")}
    csv = work / "batch.csv"
    csv.write_text(
        "证书编号,姓名,证书,等级,发证日期,身份证号\n"
        + "".join(
            f"{n},{name},web-frontend,中级,2025-06-30,110101199003074514\n" for n, name in HOLDERS
        ),
        encoding="utf-8",
    )
    steps = (
        ("keys", "init-root", "--kdf", "min", "--repo", str(root)),
        ("keys", "add-org", "miit-etc", "--kdf", "min", "--repo", str(root)),
        ("issue", "--org", "miit-etc", "--png", "--repo", str(root), str(csv)),
        ("build", "--root", str(root), "--today", TODAY.isoformat()),
    )
    for step in steps:
        result = run_xcert(*step, env=env)
        assert result.returncode == 0, f"xcert {step[0]}: {result.stderr}"
    return root, work / "store"


def secrets() -> list[bytes]:
    """Each holder's name and number as UTF-8 and as JSON's ASCII escapes."""
    out = []
    for number, name in HOLDERS:
        for text in (number, name):
            out += [text.encode(), json.dumps(text).strip('"').encode()]
    return out


def leaks(data: bytes) -> list[bytes]:
    return [s for s in secrets() if s in data]


def test_no_file_git_would_commit_names_a_holder(issued: tuple[Path, Path]) -> None:
    root, store = issued
    listed = subprocess.run(
        ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    files = [root / os.fsdecode(p) for p in listed if p]
    assert any("batches" in str(p) for p in files), "the sealed batch is to be committed"
    found = {str(p.relative_to(root)): leaks(p.read_bytes()) for p in files if p.is_file()}
    assert {k: v for k, v in found.items() if v} == {}
    # The store has them (it is the organization's copy), outside the repository.
    assert len(list(store.glob("miit-etc/batches/*/records/*.json"))) == len(HOLDERS)


def test_the_site_names_no_holder(issued: tuple[Path, Path]) -> None:
    site = issued[0] / "site"
    found = {
        str(p.relative_to(site)): leaks(p.read_bytes()) for p in site.rglob("*") if p.is_file()
    }
    assert {k: v for k, v in found.items() if v} == {}


def _open(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/verify/")
    page.wait_for_selector("#xv-fingerprint")


def _verdict(page) -> str:  # type: ignore[no-untyped-def]
    page.wait_for_selector("#xv-result[data-verdict]")
    verdict = page.get_attribute("#xv-result", "data-verdict")
    page.evaluate("document.getElementById('xv-result').removeAttribute('data-verdict')")
    return str(verdict)


def test_number_and_name_find_every_issued_record(
    page,
    serve,  # type: ignore[no-untyped-def]
    issued: tuple[Path, Path],
) -> None:
    _open(page, serve(issued[0] / "site"))
    for number, name in HOLDERS:
        page.fill("#xv-number", number)
        page.fill("#xv-name", name)
        page.click("#xv-lookup button")
        assert _verdict(page) == "valid", (number, name)
    page.fill("#xv-name", "韦秀")
    page.click("#xv-lookup button")
    assert _verdict(page) == "not-found"


def test_baked_certificates_verify_like_the_json(
    page,
    serve,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    issued: tuple[Path, Path],
) -> None:
    root, store = issued
    holder = next(store.glob("miit-etc/batches/*/holder"))
    _open(page, serve(root / "site"))
    for suffix in (".svg", ".png"):
        page.set_input_files("#xv-file", str(holder / f"{HOLDERS[0][0]}{suffix}"))
        assert _verdict(page) == "valid", suffix
    svg = (holder / f"{HOLDERS[0][0]}.svg").read_text(encoding="utf-8")
    altered = tmp_path / "altered.svg"
    # The holder's name changed, in the picture and in the record it carries.
    altered.write_text(svg.replace(HOLDERS[0][1], "韦秀芳"), encoding="utf-8")
    page.set_input_files("#xv-file", str(altered))
    assert _verdict(page) == "altered"
    png = (holder / f"{HOLDERS[0][0]}.png").read_bytes()
    altered_png = tmp_path / "altered.png"
    altered_png.write_bytes(png.replace("中级".encode(), "高级".encode(), 1))
    page.set_input_files("#xv-file", str(altered_png))
    assert _verdict(page) == "altered"
    plain = tmp_path / "plain.svg"
    plain.write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', encoding="utf-8")
    page.set_input_files("#xv-file", str(plain))
    assert _verdict(page) != "valid"
    assert "没有内嵌的证书记录" in page.inner_text("#xv-result")
