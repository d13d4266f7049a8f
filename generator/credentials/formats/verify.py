"""Verdicts on a certificate record: a result form (`verification_result`, used by the CLI and
mirrored by the verify page) and a raising form (`verify_record`, used by the build).

Checks, in order: JSON → an xcert record → well-formed proof and subject → key in the registry and
belonging to the issuer → signature → key valid when it signed → not revoked → already valid.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from generator.credentials.formats._time import parse_timestamp
from generator.credentials.formats.errors import (
    CredentialError,
    StatusListError,
    StatusListMissingError,
)
from generator.credentials.formats.jcs import CanonicalizationError
from generator.credentials.formats.jsontext import JSONTextError, parse_json
from generator.credentials.formats.multibase import decode_public_multikey
from generator.credentials.formats.proof import ProofFormatError, parse_proof, signature_matches
from generator.credentials.formats.record import (
    CertificateRecord,
    RecordFormatError,
    is_record,
    parse_record,
)
from generator.credentials.formats.registry import KeyEntry, Registry
from generator.credentials.formats.status import Revocation, StatusList

# A proof created this far in the future still counts as now (clocks differ).
CLOCK_SKEW = dt.timedelta(minutes=5)


class Verdict(enum.StrEnum):
    VALID = "valid"
    NOT_A_RECORD = "not-a-record"
    MALFORMED = "malformed"
    ALTERED = "altered"
    UNKNOWN_KEY = "unknown-key"
    KEY_REVOKED_BEFORE_ISSUE = "key-revoked-before-issue"
    KEY_NOT_VALID_AT_ISSUE = "key-not-valid-at-issue"
    CERTIFICATE_REVOKED = "certificate-revoked"
    NOT_YET_VALID = "not-yet-valid"
    STATUS_UNAVAILABLE = "status-unavailable"


# The page (site_src/assets/verify/verify.js) words its verdicts identically; a test checks it.
MESSAGES: dict[str, str] = {
    "valid": "有效：记录真实、未被改动，签发密钥在签发时有效，证书未被撤销。",
    "not-object": "这不是证书记录文件：内容不是一个 JSON 对象。",
    "not-credential": "这不是证书记录文件：它不是本站签发的职业技能等级证书记录。",
    "invalid-json": "文件已损坏或不是 JSON 文本，无法核验。",
    "malformed": "文件格式不对（{detail}），无法作为证书记录核验。",
    "key-not-in-registry": "签发密钥不在本站的密钥登记册中，无法确认签发机构。",
    "key-of-other-organization": "签发密钥不属于记录上写明的签发机构。",
    "signature-mismatch": "签名不符：记录内容在签发后被改动过，或签名是伪造的。",
    "key-revoked-before-issue": (
        "签发所用的密钥在签发之前（{revoked_at}）已被吊销，原因：{why}。此记录不可信。"
    ),
    "key-not-valid-at-issue": "签发时间（{created}）不在该密钥的有效期内，此记录不可信。",
    "certificate-revoked": "证书已被撤销：撤销日期 {date}，原因：{why}。",
    "not-yet-valid": "证书尚未生效：生效时间为 {valid_from}。",
    "status-list-missing": "无法取得撤销状态列表，不能确认证书是否已被撤销。",
    "status-list-invalid": "撤销状态列表无法核验（{detail}），不能确认证书是否已被撤销。",
}


@dataclass(frozen=True)
class VerificationResult:
    """A verdict, the reason code that refines it, and the Chinese sentence shown to people."""

    verdict: Verdict
    reason: str
    message: str
    record: CertificateRecord | None = None
    key: KeyEntry | None = None
    revocation: Revocation | None = None
    proof_created: str | None = None  # the proof's `created`, once the signature has held

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.VALID


class RecordVerificationError(CredentialError):
    """A record did not verify; carries the full result."""

    def __init__(self, result: VerificationResult) -> None:
        self.result = result
        super().__init__(f"{result.verdict}: {result.message}")


# Reads the status list with the given id: the verified list, or the error saying why not
# (StatusListMissingError when there is none). generator.credentials.repo reads the repository's.
StatusListLoader = Callable[[str], "StatusList | StatusListError"]


class Trust:
    """What records are judged against: the registry and the organizations' status lists."""

    def __init__(self, registry: Registry, *, load_list: StatusListLoader | None = None) -> None:
        self.registry = registry
        self._load_list = load_list  # lists not added are read on demand
        self._lists: dict[str, StatusList | StatusListError] = {}

    def add_status_list(self, status_list: StatusList) -> None:
        self._lists[status_list.list_id] = status_list

    def status_list(self, list_id: str) -> StatusList:
        """The verified list; raises StatusListError when missing or not verifiable."""
        if list_id not in self._lists:
            self._lists[list_id] = (
                self._load_list(list_id)
                if self._load_list is not None
                else StatusListMissingError(f"no status list {list_id}")
            )
        found = self._lists[list_id]
        if isinstance(found, StatusListError):
            raise found
        return found


def _result(
    verdict: Verdict,
    reason: str,
    *,
    record: CertificateRecord | None = None,
    key: KeyEntry | None = None,
    revocation: Revocation | None = None,
    template: str | None = None,
    **params: Any,
) -> VerificationResult:
    message = MESSAGES[template or reason].format(**params)
    return VerificationResult(verdict, reason, message, record, key, revocation)


def _malformed(code: str) -> VerificationResult:
    return _result(Verdict.MALFORMED, code, template="malformed", detail=DETAILS[code])


DETAILS = {
    "no-proof": "没有签名",
    "unsupported-proof": "签名类型不是 eddsa-jcs-2022",
    "bad-proof-purpose": "签名用途不对",
    "bad-verification-method": "签名密钥写法不对",
    "bad-created": "签名时间缺失或写法不对",
    "bad-proof-value": "签名值写法不对",
    "bad-context": "@context 不对",
    "bad-issuer": "签发机构写法不对",
    "bad-valid-from": "生效时间缺失或写法不对",
    "bad-subject": "证书信息缺项或写法不对",
    "bad-status-entry": "撤销状态条目不对",
    "not-canonical": "含有无法规范化的数值或字符",
}


def verification_result(data: bytes | str, *, trust: Trust, now: dt.datetime) -> VerificationResult:
    """Judge one record file's bytes; never raises for bad input."""
    try:
        doc = parse_json(data)
    except JSONTextError:
        return _result(Verdict.MALFORMED, "invalid-json")
    if not isinstance(doc, dict):
        return _result(Verdict.NOT_A_RECORD, "not-object")
    if not is_record(doc):
        return _result(Verdict.NOT_A_RECORD, "not-credential")
    site = trust.registry.site
    try:
        parsed = parse_proof(doc)
        if site.split_method(parsed.verification_method) is None:
            raise ProofFormatError("bad-verification-method", "not a key of this site's DIDs")
        record = parse_record(doc, site=site)
    except (ProofFormatError, RecordFormatError) as e:
        return _malformed(e.code)

    key = trust.registry.key_for_method(parsed.verification_method)
    if key is None:
        return _result(Verdict.UNKNOWN_KEY, "key-not-in-registry", record=record)
    if key.organization != record.organization:
        return _result(Verdict.UNKNOWN_KEY, "key-of-other-organization", record=record, key=key)
    try:
        public_key = decode_public_multikey(key.public_key_multibase)
        if not signature_matches(parsed, public_key=public_key):
            return _result(Verdict.ALTERED, "signature-mismatch", record=record, key=key)
    except CanonicalizationError:
        return _malformed("not-canonical")

    created = parse_timestamp(parsed.created)
    problem = key.problem_at(created)
    if problem == "key-revoked-before-issue":
        return _result(
            Verdict.KEY_REVOKED_BEFORE_ISSUE,
            problem,
            record=record,
            key=key,
            revoked_at=key.revoked_at,
            why=key.revocation_reason,
        )
    if problem == "key-not-valid-at-issue":
        return _result(
            Verdict.KEY_NOT_VALID_AT_ISSUE, problem, record=record, key=key, created=parsed.created
        )

    result = status_result(
        status_list=record.status_list,
        status_index=record.status_index,
        valid_from=parse_timestamp(record.valid_from),
        created=created,
        trust=trust,
        now=now,
        record=record,
        key=key,
        signature=parsed.signature,
    )
    return replace(result, proof_created=parsed.created)


def status_result(
    *,
    status_list: str,
    status_index: int,
    valid_from: dt.datetime,
    created: dt.datetime,
    trust: Trust,
    now: dt.datetime,
    record: CertificateRecord | None = None,
    key: KeyEntry | None = None,
    signature: bytes | None = None,
) -> VerificationResult:
    """The checks that depend on the status lists and the clock, for a record whose signature
    and key window hold (`signature`, the record's, opens the sealed date and reason of a
    revocation). The build's verification cache keeps what came before, so it runs
    this part alone for a record it has verified in an earlier build."""
    try:
        status = trust.status_list(status_list)
        revoked = status.is_revoked(status_index)
    except StatusListMissingError:
        return _result(Verdict.STATUS_UNAVAILABLE, "status-list-missing", record=record, key=key)
    except StatusListError:
        return _result(
            Verdict.STATUS_UNAVAILABLE,
            "status-list-invalid",
            record=record,
            key=key,
            detail="列表签名或格式不对",
        )
    if revoked:
        rev = status.revocation(status_index, signature=signature) if signature else None
        return _result(
            Verdict.CERTIFICATE_REVOKED,
            "certificate-revoked",
            record=record,
            key=key,
            revocation=rev,
            date=rev.date if rev else "不详",
            why=rev.reason if rev else "不详",
        )

    if valid_from > now or created > now + CLOCK_SKEW:
        return _result(
            Verdict.NOT_YET_VALID,
            "not-yet-valid",
            record=record,
            key=key,
            valid_from=record.valid_from if record else valid_from.isoformat(),
        )
    return _result(Verdict.VALID, "valid", record=record, key=key)


def verify_record(data: bytes | str, *, trust: Trust, now: dt.datetime) -> CertificateRecord:
    """The raising form: the record when valid, else RecordVerificationError."""
    result = verification_result(data, trust=trust, now=now)
    if not result.ok:
        raise RecordVerificationError(result)
    assert result.record is not None
    return result.record
