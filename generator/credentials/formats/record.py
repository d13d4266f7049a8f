"""The certificate record: a W3C Verifiable Credential (Data Model 2.0) that is also an Open Badges
3.0 AchievementCredential, and the hash under which the site publishes it.

The issuer is the organization's `did:web` DID (an OB 3.0 Profile). The subject (an OB 3.0
AchievementSubject) carries the holder's name, the certificate number, the issue date, the exam
date and site when known, and at most a masked national ID (`3201**********1234`), never a full
one; its `achievement` is the certificate at its level: the certificate page as its id, the
criteria from the standard's level, the alignment to the standard, and the 1+X specifics
(certificate id, level, batch, organization) in the project's context.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from generator.credentials.formats._time import is_date, is_timestamp
from generator.credentials.formats.context import OB_CONTEXT, VC_CONTEXT
from generator.credentials.formats.jsontext import is_json_integer
from generator.credentials.formats.site import Site
from generator.models import LEVEL_NAMES
from generator.slug import SLUG

RECORD_TYPE = "XcertCertificateCredential"
RECORD_TYPES = ["VerifiableCredential", "OpenBadgeCredential", RECORD_TYPE]
RECORD_URN = "urn:xcert:certificate:"
STANDARD_FRAMEWORK = "职业技能等级标准"
LEVELS = LEVEL_NAMES
NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9-]{4,38}[A-Z0-9]\Z")
MASKED_ID = re.compile(r"^[0-9]{4}\*{10}[0-9]{3}[0-9X]\Z")
HASH_PREFIX = "xcert-record-v1"
HASH_HEX_LENGTH = 32
# Whitespace and invisible characters dropped from a typed name or number before hashing.
_DROP = re.compile(
    "[\t\n\v\f\r \u00a0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]"
)
# Middle dots that people type in names such as 买买提·艾力, all read as U+00B7.
_DOTS = re.compile("[\u2022\u2027\u2219\u22c5\u30fb\uff65\u00b7]")
_LOWER = re.compile("[a-z]")


class RecordFormatError(ValueError):
    """A credential that does not have the shape of an xcert record; `code` names the field."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


def normalize_number(number: str) -> str:
    """NFKC, no whitespace, ASCII letters upper-cased: `ab-12 3` and `ＡＢ-123` read `AB-123`."""
    text = _DROP.sub("", unicodedata.normalize("NFKC", number))
    return _LOWER.sub(lambda m: m.group(0).upper(), text)


def normalize_name(name: str) -> str:
    """NFKC, no whitespace, every middle-dot variant read as `·` (U+00B7)."""
    return _DOTS.sub("\u00b7", _DROP.sub("", unicodedata.normalize("NFKC", name)))


def record_hash(*, number: str, name: str) -> str:
    """The published file name: SHA-256 of `xcert-record-v1\\n<number>\\n<name>` (normalized),
    first 32 hex digits. Only someone who has both the number and the name can find the record."""
    text = f"{HASH_PREFIX}\n{normalize_number(number)}\n{normalize_name(name)}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_HEX_LENGTH]


def mask_national_id(value: str) -> str:
    """Mask an 18-character resident ID to `3201**********1234`; keep an already masked one."""
    text = normalize_number(value)
    if MASKED_ID.match(text):
        return text
    if not re.match(r"^[0-9]{17}[0-9X]\Z", text):
        raise ValueError("not an 18-character resident ID number")
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(text[:17], weights, strict=False)) % 11]
    if text[17] != check:
        raise ValueError("the resident ID's check digit is wrong (a typo?)")
    return text[:4] + "*" * 10 + text[-4:]


@dataclass(frozen=True)
class Achievement:
    """The certificate at one level, as the record describes it (from the catalogue)."""

    certificate: str
    certificate_name: str
    level: str
    organization: str  # the training and evaluation organization that owns the certificate
    description: str
    criteria: str
    batch: int | None = None
    standard: str | None = None
    standard_name: str | None = None

    @property
    def name(self) -> str:
        return f"{self.certificate_name}（{self.level}）"

    def to_json(self, site: Site) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": site.achievement_id(self.certificate, self.level),
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": self.name,
            "description": self.description,
            "criteria": {"narrative": self.criteria},
        }
        if self.standard is not None:
            out["alignment"] = [
                {
                    "type": ["Alignment"],
                    "targetName": self.standard_name or self.standard,
                    "targetUrl": site.standard_url(self.standard),
                    "targetFramework": STANDARD_FRAMEWORK,
                }
            ]
        out["certificate"] = self.certificate
        out["certificateName"] = self.certificate_name
        out["level"] = self.level
        out["organization"] = self.organization
        if self.batch is not None:
            out["batch"] = self.batch
        return out


@dataclass(frozen=True)
class CertificateRecord:
    """The typed view of a record's content (what the verify page shows)."""

    record_id: str
    organization: str
    issuer_name: str
    holder: str
    certificate: str
    certificate_name: str
    level: str
    number: str
    issue_date: str
    valid_from: str
    status_list: str
    status_index: int
    exam_date: str | None = None
    exam_site: str | None = None
    national_id_masked: str | None = None

    @property
    def hash(self) -> str:
        return record_hash(number=self.number, name=self.holder)


def record_context(site: Site) -> list[str]:
    return [VC_CONTEXT, OB_CONTEXT, site.context_url]


def build_record(
    *,
    site: Site,
    organization: str,
    issuer_name: str,
    holder: str,
    achievement: Achievement,
    number: str,
    issue_date: dt.date,
    status: dict[str, str],
    exam_date: dt.date | None = None,
    exam_site: str | None = None,
    national_id_masked: str | None = None,
) -> dict[str, Any]:
    """The unsecured record; `proof.add_proof` secures it (as a proof set, as OB 3.0 wants)."""
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "name": holder,
        "certificateNumber": number,
        "issueDate": issue_date.isoformat(),
    }
    if exam_date is not None:
        subject["examDate"] = exam_date.isoformat()
    if exam_site:
        subject["examSite"] = exam_site
    if national_id_masked:
        subject["nationalIdMasked"] = national_id_masked
    subject["achievement"] = achievement.to_json(site)
    return {
        "@context": record_context(site),
        "id": f"{RECORD_URN}{organization}:{number}",
        "type": list(RECORD_TYPES),
        "name": achievement.name,
        "issuer": {
            "id": site.org_did(organization),
            "type": ["Profile"],
            "name": issuer_name,
            "url": site.organization_url(organization),
        },
        # Valid from the start of the issue day, China Standard Time.
        "validFrom": f"{issue_date.isoformat()}T00:00:00+08:00",
        "credentialSubject": subject,
        "credentialStatus": status,
    }


def is_record(doc: Any) -> bool:
    types = doc.get("type") if isinstance(doc, dict) else None
    return isinstance(types, list) and "VerifiableCredential" in types and RECORD_TYPE in types


_REQUIRED = ("name", "certificateNumber", "issueDate")
_OPTIONAL = ("examDate", "examSite", "nationalIdMasked")
_ACHIEVEMENT = ("name", "description", "certificate", "certificateName", "level", "organization")


def _required_text(obj: dict[str, Any], keys: tuple[str, ...], missing: str) -> dict[str, str]:
    """The fields `keys` of `obj`, each non-empty text; no stripping, as the page's JavaScript
    has another whitespace set."""
    text: dict[str, str] = {}
    for k in keys:
        value = obj.get(k)
        if not isinstance(value, str) or value == "":
            raise RecordFormatError("bad-subject", missing)
        text[k] = value
    return text


def _issuer(doc: dict[str, Any], site: Site) -> tuple[str, str]:
    issuer = doc.get("issuer")
    if not isinstance(issuer, dict):
        raise RecordFormatError("bad-issuer", "the issuer is not one object")
    org = site.org_of(issuer.get("id"))
    if (
        org is None
        or issuer.get("type") != ["Profile"]
        or not isinstance(issuer.get("name"), str)
        or issuer.get("url") != site.organization_url(org)
    ):
        raise RecordFormatError("bad-issuer", "the issuer is not an organization DID of this site")
    return org, issuer["name"]


def _achievement(s: dict[str, Any], site: Site) -> dict[str, str]:
    a = s.get("achievement")
    if not isinstance(a, dict):
        raise RecordFormatError("bad-subject", "the subject has no achievement")
    text = _required_text(a, _ACHIEVEMENT, "the achievement lacks a required field")
    criteria = a.get("criteria")
    batch = a.get("batch")
    if (
        not SLUG.match(text["certificate"])
        or text["level"] not in LEVELS
        or not SLUG.match(text["organization"])
        or a.get("id") != site.achievement_id(text["certificate"], text["level"])
        or a.get("type") != ["Achievement"]
        or a.get("achievementType") != "Certificate"
        or text["name"] != f"{text['certificateName']}（{text['level']}）"
        or not isinstance(criteria, dict)
        or not isinstance(criteria.get("narrative"), str)
        or (batch is not None and not is_json_integer(batch))
    ):
        raise RecordFormatError("bad-subject", "an achievement field has the wrong form")
    return text


def _subject(doc: dict[str, Any], site: Site) -> tuple[dict[str, str], dict[str, str | None]]:
    s = doc.get("credentialSubject")
    if not isinstance(s, dict) or s.get("type") != ["AchievementSubject"]:
        raise RecordFormatError("bad-subject", "credentialSubject is not one AchievementSubject")
    text = _required_text(s, _REQUIRED, "the subject lacks a required field")
    optional: dict[str, str | None] = {}
    for k in _OPTIONAL:
        value = s.get(k)
        if value is not None and not isinstance(value, str):
            raise RecordFormatError("bad-subject", "an optional subject field is not text")
        optional[k] = value
    exam_date, masked = optional["examDate"], optional["nationalIdMasked"]
    if (
        not NUMBER.match(text["certificateNumber"])
        or not is_date(text["issueDate"])
        or (exam_date is not None and not is_date(exam_date))
        or (masked is not None and not MASKED_ID.match(masked))
    ):
        raise RecordFormatError("bad-subject", "a subject field has the wrong form")
    achievement = _achievement(s, site)
    text.update({k: achievement[k] for k in ("certificate", "certificateName", "level")})
    return text, optional


def _status(doc: dict[str, Any], site: Site, org: str) -> tuple[str, int]:
    st = doc.get("credentialStatus")
    if not isinstance(st, dict):
        raise RecordFormatError("bad-status-entry", "credentialStatus is not one object")
    list_id = st.get("statusListCredential")
    list_ids = site.parse_status_list_url(list_id)
    index = st.get("statusListIndex")
    if (
        st.get("type") != "BitstringStatusListEntry"
        or st.get("statusPurpose") != "revocation"
        or not isinstance(list_id, str)
        or list_ids is None
        or list_ids[0] != org
        or not isinstance(index, str)
        or not re.match(r"^(0|[1-9][0-9]{0,8})\Z", index)
        or st.get("id") != f"{list_id}#{index}"
    ):
        raise RecordFormatError(
            "bad-status-entry", "credentialStatus is not a revocation entry of the issuer"
        )
    return list_id, int(index)


def parse_record(doc: dict[str, Any], *, site: Site) -> CertificateRecord:
    """The typed view of a record of `site` (proof not checked); raises RecordFormatError."""
    if doc.get("@context") != record_context(site):
        raise RecordFormatError(
            "bad-context", "@context must be the VC 2.0, OB 3.0 and this site's contexts"
        )
    org, issuer_name = _issuer(doc, site)
    valid_from = doc.get("validFrom")
    if not isinstance(valid_from, str) or not is_timestamp(valid_from):
        raise RecordFormatError("bad-valid-from", "validFrom is missing or malformed")
    text, optional = _subject(doc, site)
    list_id, index = _status(doc, site, org)
    return CertificateRecord(
        record_id=str(doc.get("id", "")),
        organization=org,
        issuer_name=issuer_name,
        holder=text["name"],
        certificate=text["certificate"],
        certificate_name=text["certificateName"],
        level=text["level"],
        number=text["certificateNumber"],
        issue_date=text["issueDate"],
        valid_from=valid_from,
        status_list=list_id,
        status_index=index,
        exam_date=optional["examDate"],
        exam_site=optional["examSite"],
        national_id_masked=optional["nationalIdMasked"],
    )
