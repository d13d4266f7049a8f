"""The parts of the record format that make it interoperable: the site's DIDs and their documents,
status lists at their URLs with sealed revocation details, random indexes, the site address
(DEMO default, production error), and the versioned JSON-LD context."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _scenarios import A2, AGREEMENT, ROOT, SITE, SITE_URL, record, registry, status_list
from conftest import REPO, run_xcert

from generator.credentials.formats.context import context_bytes
from generator.credentials.formats.did import did_documents
from generator.credentials.formats.proof import parse_proof
from generator.credentials.formats.site import DEMO_SITE_URL, Site, SiteUrlError
from generator.credentials.formats.status import LIST_LENGTH, open_detail
from generator.credentials.issuing.sealed import allocate
from generator.credentials.site_url import SiteUrlMissingError, resolve_site


def test_site_addresses_become_did_web_dids() -> None:
    site = Site.parse("https://Example.org:8443/xcert")
    assert site.url == "https://example.org:8443/xcert/"
    assert site.did == "did:web:example.org%3A8443:xcert"
    assert site.org_did("acme") == "did:web:example.org%3A8443:xcert:organizations:acme"
    assert site.root_did == "did:web:example.org%3A8443:xcert:keys"
    assert site.did_document_path(site.org_did("acme")) == "organizations/acme/did.json"
    assert site.did_document_path(site.root_did) == "keys/did.json"
    assert site.status_list_url("acme", 2) == "https://example.org:8443/xcert/status/acme/2.json"
    assert site.parse_status_list_url(site.status_list_url("acme", 2)) == ("acme", 2)
    assert site.split_method(site.key_method("acme", "acme-3")) == ("acme", "acme-3")
    assert site.split_method("did:web:other.example:organizations:acme#acme-3") is None


@pytest.mark.parametrize(
    "text",
    [
        "ftp://x.org/",
        "https://x.org/?q=1",
        "https://x.org/#a",
        "https://x.org/a b/",
        "example.org",
        "",
    ],
)
def test_a_bad_site_address_is_refused(text: str) -> None:
    with pytest.raises(SiteUrlError, match="not a site address"):
        Site.parse(text)


def test_did_documents_list_every_key_the_registry_gives_past_and_present() -> None:
    reg = registry()  # acme: a retired key, a revoked key, the current key
    docs = did_documents(reg)
    assert set(docs) == {SITE.root_did, SITE.org_did("acme"), SITE.org_did("beta")}
    for org in reg.organizations:
        doc = docs[SITE.org_did(org.org_id)]
        methods = [SITE.key_method(org.org_id, k.key_id) for k in org.keys]
        assert [m["id"] for m in doc["verificationMethod"]] == methods == doc["assertionMethod"]
        assert [m["publicKeyMultibase"] for m in doc["verificationMethod"]] == [
            k.public_key_multibase for k in org.keys
        ]
        assert {m["controller"] for m in doc["verificationMethod"]} == {doc["id"]}
        assert {m["type"] for m in doc["verificationMethod"]} == {"Multikey"}
    root = docs[SITE.root_did]["verificationMethod"]
    assert root == [
        {
            "id": SITE.root_method,
            "type": "Multikey",
            "controller": SITE.root_did,
            "publicKeyMultibase": ROOT.public_key_multibase,
        }
    ]


def test_the_status_list_carries_bits_only_and_the_detail_opens_only_with_the_record() -> None:
    status = status_list()  # index 5 revoked 2024-08-15, 考试违规
    signed = json.dumps(
        status.signed_document(signer=A2, key_id="acme-2", issuer_name="x"), ensure_ascii=False
    )
    details = json.dumps(status.details_document(), ensure_ascii=False)
    for text in (signed, details):
        assert "考试违规" not in text and "2024-08-15" not in text
    revoked = parse_proof(
        record(signer=A2, created="2024-07-01T00:00:00Z", index=5, name="王五")
    ).signature
    other = parse_proof(record(signer=A2, created="2024-07-01T00:00:00Z", index=0)).signature
    rev = status.revocation(5, signature=revoked)
    assert rev is not None and (rev.date, rev.reason) == ("2024-08-15", "考试违规")
    assert status.revocation(5, signature=other) is None
    # Moved to another place, the sealed detail does not open.
    sealed = status.sealed[5]
    assert open_detail(sealed, signature=revoked, list_url=status.list_id, index=6) is None
    assert (
        open_detail(sealed, signature=revoked, list_url=SITE.status_list_url("acme", 2), index=5)
        is None
    )


def test_indexes_are_drawn_at_random_never_twice_and_fill_a_list_before_the_next() -> None:
    first = allocate({}, 1000)
    assert len(set(first)) == 1000 and {n for n, _ in first} == {1}
    assert sorted(i for _, i in first) != list(range(1000))
    more = allocate({1: {i for _, i in first}}, 1000)
    assert not set(first) & set(more)
    nearly_full = {1: set(range(LIST_LENGTH - 3))}
    spill = allocate(nearly_full, 5)
    assert sorted(n for n, _ in spill) == [1, 1, 1, 2, 2]
    assert {i for n, i in spill if n == 1} == {LIST_LENGTH - 3, LIST_LENGTH - 2, LIST_LENGTH - 1}


def test_a_demo_without_site_url_uses_the_demo_address(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("XCERT_SITE_URL", raising=False)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    assert resolve_site(tmp_path, demo=True).url == DEMO_SITE_URL
    with pytest.raises(SiteUrlMissingError, match="set site_url in mkdocs.yml"):
        resolve_site(tmp_path, demo=False)
    (tmp_path / "mkdocs.yml").write_text("site_url: https://x.example/a\n", encoding="utf-8")
    assert resolve_site(tmp_path, demo=False).url == "https://x.example/a/"


def test_a_production_build_without_site_url_says_what_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real registry, no site_url: the build stops and names the setting."""
    repo = tmp_path / "repo"
    (repo / "keys").mkdir(parents=True)
    (repo / "keys" / "registry.json").write_bytes(
        (AGREEMENT / "repo" / "keys" / "registry.json").read_bytes()
    )
    monkeypatch.delenv("XCERT_SITE_URL", raising=False)
    for name in ("catalogue", "site_src"):
        (repo / name).symlink_to(REPO / name)
    (repo / "mkdocs.yml").write_bytes((REPO / "mkdocs.yml").read_bytes())
    run = run_xcert("build", "--root", str(repo))
    assert run.returncode == 1
    assert "set site_url in mkdocs.yml" in run.stderr and "XCERT_SITE_URL" in run.stderr
    assert not (repo / "site").exists()
    run = run_xcert(
        "build", "--root", str(repo), env={"XCERT_SITE_URL": "https://elsewhere.example/"}
    )
    assert run.returncode == 1
    assert f"signed for {SITE_URL}" in run.stderr and "xcert keys set-site" in run.stderr


def test_the_context_is_protected_versioned_and_defines_every_xcert_term() -> None:
    context = json.loads(context_bytes())["@context"]
    assert context["@protected"] is True and context["@version"] == 1.1
    used: set[str] = set()

    def keys(value: object) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                used.add(k)
                keys(v)
        elif isinstance(value, list):
            for v in value:
                keys(v)

    for case in ("valid", "certificate-revoked"):
        keys(json.loads((AGREEMENT / "cases" / f"{case}.json").read_text(encoding="utf-8")))
    keys(json.loads((AGREEMENT / "repo" / "keys" / "registry.json").read_text(encoding="utf-8")))
    defined = set(context) | set(context["XcertSite"]["@context"])
    ours = {
        "certificateNumber",
        "issueDate",
        "examDate",
        "examSite",
        "nationalIdMasked",
        "certificate",
        "certificateName",
        "level",
        "batch",
        "organization",
        "version",
        "demo",
        "root",
        "organizations",
        "keys",
        "fingerprint",
        "revokedAt",
        "revocationReason",
    }
    assert ours <= used  # the agreement registry has a revoked key
    assert ours <= defined
