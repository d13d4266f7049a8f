"""Each invalid catalogue file gives exactly the message and location paired with it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ASSETS, REPO

from generator.errors import CatalogueErrors
from generator.models import Level, NoticeKind
from generator.validate import load_catalogue

VALID = ASSETS / "catalogue" / "valid"
INVALID = sorted((ASSETS / "catalogue" / "invalid").glob("*.yaml"))


def _kind(case: Path) -> str:
    first = case.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")
    return first.split("kind:", 1)[1].strip()


@pytest.mark.parametrize("case", INVALID, ids=[c.stem for c in INVALID])
def test_invalid_file_reports_message_and_location(case: Path, tmp_path: Path) -> None:
    root = tmp_path / "catalogue"
    shutil.copytree(VALID, root)
    shutil.copy(case, root / _kind(case) / case.name)
    with pytest.raises(CatalogueErrors) as info:
        load_catalogue(root)
    expected = case.with_suffix(".expected").read_text(encoding="utf-8").rstrip("\n")
    assert info.value.render() == expected


def test_all_errors_are_reported_in_one_run(tmp_path: Path) -> None:
    root = tmp_path / "catalogue"
    shutil.copytree(VALID, root)
    for name in ("unknown-organization", "period-ends-before-start", "duplicate-key"):
        case = ASSETS / "catalogue" / "invalid" / f"{name}.yaml"
        shutil.copy(case, root / _kind(case) / case.name)
    with pytest.raises(CatalogueErrors) as info:
        load_catalogue(root)
    assert len(info.value.errors) == 3
    assert str(info.value) == "3 errors in catalogue/"


def test_duplicate_ids_across_files_are_reported(tmp_path: Path) -> None:
    root = tmp_path / "catalogue"
    shutil.copytree(VALID, root)
    text = (root / "organizations" / "other-org.yaml").read_text(encoding="utf-8")
    (root / "organizations" / "copy.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueErrors) as info:
        load_catalogue(root)
    messages = [str(e) for e in info.value.errors]
    assert any("id 'other-org' does not match the file name 'copy.yaml'" in m for m in messages)
    assert any("duplicate organization id 'other-org'" in m for m in messages)


def test_valid_fixture_builds_typed_models() -> None:
    cat = load_catalogue(VALID)
    cert = cat.certificates["web-dev"]
    assert cert.levels == (Level.JUNIOR, Level.MIDDLE, Level.SENIOR)
    assert cert.exam is not None and cert.exam.cost_cap == 400
    assert cat.notices["first-batch"].kind is NoticeKind.ANNOUNCEMENT
    assert cat.certificates_of("test-org") == [cert]


def test_unquoted_and_quoted_dates_read_the_same() -> None:
    cat = load_catalogue(VALID)
    # cost-caps.yaml writes its date unquoted, first-batch.yaml quoted.
    assert cat.notices["cost-caps"].date.isoformat() == "2019-11-26"
    assert cat.notices["first-batch"].date.isoformat() == "2019-03-26"


def test_shipped_catalogue_is_complete() -> None:
    cat = load_catalogue(REPO / "catalogue")
    batches = [c.batch for c in cat.certificates.values()]
    assert (batches.count(1), batches.count(2), batches.count(3), batches.count(4)) == (
        6,
        10,
        77,
        1,
    )
    names = [o.name for o in cat.organizations.values()]
    assert len(names) == len(set(names)), "one record per organization"
    assert {"web-frontend", "logistics-management", "practical-english"} <= set(cat.standards)
    assert any(n.doc_number == "教职所〔2019〕341号" for n in cat.notices.values())
    restored = [o for o in cat.organizations.values() if o.name_restored]
    assert restored and all(o.name.endswith("公司") for o in restored)


def _loaded_entities(root: Path) -> list[tuple[str, object]]:
    from generator.load import load_yaml_file
    from generator.validate.catalogue import ENTITY_DIRS

    out = []
    for folder, kind in ENTITY_DIRS.items():
        for path in sorted((root / folder).glob("*.yaml")):
            out.append((kind, load_yaml_file(path)))
    return out


def test_fast_schema_path_and_jsonschema_agree_on_every_fixture() -> None:
    from generator.load import load_yaml_file
    from generator.validate.schema import _valid_fast, validator

    cases = _loaded_entities(REPO / "catalogue") + _loaded_entities(VALID)
    for case in INVALID:
        try:
            cases.append((_kind(case)[:-1], load_yaml_file(case)))
        except Exception:  # not loadable YAML: the schema never sees it
            continue
    assert len(cases) > 200
    for kind, data in cases:
        assert _valid_fast(kind, data) == validator(kind).is_valid(data), (kind, data)


def _drop_field(path: Path, field: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [ln for ln in lines if not ln.startswith(f"{field}:")]
    assert len(kept) == len(lines) - 1, f"{path.name} has no one-line {field}"
    path.write_text("".join(kept), encoding="utf-8")


def test_an_entity_that_fails_validation_gives_one_error_not_one_per_reference(
    tmp_path: Path,
) -> None:
    root = tmp_path / "catalogue"
    shutil.copytree(REPO / "catalogue", root)
    named_by = [
        p
        for p in (root / "notices").glob("*.yaml")
        if "web-frontend" in p.read_text(encoding="utf-8")
    ]
    assert len(named_by) >= 2  # notices that name the certificate
    _drop_field(root / "certificates" / "web-frontend.yaml", "name")
    with pytest.raises(CatalogueErrors) as info:
        load_catalogue(root)
    assert info.value.render() == (
        "catalogue/certificates/web-frontend.yaml:3:1: name: "
        "missing required field 'name'\n1 error in catalogue/"
    )


def test_references_to_failed_entities_of_every_kind_are_not_reported(tmp_path: Path) -> None:
    root = tmp_path / "catalogue"
    shutil.copytree(VALID, root)
    _drop_field(root / "organizations" / "test-org.yaml", "name")  # certificates, standards name it
    _drop_field(root / "standards" / "web-dev.yaml", "name")  # the certificate names it
    _drop_field(root / "notices" / "cost-caps.yaml", "title")  # exam_forms.yaml names it
    with pytest.raises(CatalogueErrors) as info:
        load_catalogue(root)
    files = sorted(e.location.file for e in info.value.errors)
    assert files == [
        "catalogue/notices/cost-caps.yaml",
        "catalogue/organizations/test-org.yaml",
        "catalogue/standards/web-dev.yaml",
    ], info.value.render()


def test_a_reference_to_a_file_that_does_not_exist_is_still_reported(tmp_path: Path) -> None:
    root = tmp_path / "catalogue"
    shutil.copytree(VALID, root)
    _drop_field(root / "certificates" / "web-dev.yaml", "name")
    notice = root / "notices" / "first-batch.yaml"
    text = notice.read_text(encoding="utf-8")
    notice.write_text(
        text.replace("certificates: [web-dev]", "certificates: [web-dev, no-such]"),
        encoding="utf-8",
    )
    with pytest.raises(CatalogueErrors) as info:
        load_catalogue(root)
    messages = [str(e) for e in info.value.errors]
    assert len(messages) == 2, info.value.render()
    assert "missing required field 'name'" in messages[0]
    assert "concerns.certificates[1]: unknown certificate 'no-such'" in messages[1]
