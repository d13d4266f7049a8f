// The certificate record's form (a VC 2.0 / Open Badges 3.0 AchievementCredential) and its hash, as
// generator/credentials/formats/record.py and _time.py define them. Keep the two in step: tests
// compare verdicts.

import { sha256, hex } from './crypto.js';

export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const RECORD_TYPE = 'XcertCertificateCredential';
export const LEVELS = ['初级', '中级', '高级'];
export const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const NUMBER = /^[A-Z0-9][A-Z0-9-]{4,38}[A-Z0-9]$/;
const MASKED_ID = /^[0-9]{4}\*{10}[0-9]{3}[0-9X]$/;
const INDEX = /^(0|[1-9][0-9]{0,8})$/;
const YMD = '((?:19|2[0-9])[0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])';
const DATE = new RegExp(`^${YMD}$`);
const TIMESTAMP = new RegExp(
  `^${YMD}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$`,
);
const HASH_PREFIX = 'xcert-record-v1';
const HASH_HEX_LENGTH = 32;
const DROP = /[\t\n\v\f\r \u00a0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]/g;
const DOTS = /[\u2022\u2027\u2219\u22c5\u30fb\uff65\u00b7]/g;

export class RecordFormatError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

function dayExists(m) {
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

export function isDate(v) {
  const m = typeof v === 'string' ? DATE.exec(v) : null;
  return m !== null && dayExists(m);
}

export function isTimestamp(v) {
  const m = typeof v === 'string' ? TIMESTAMP.exec(v) : null;
  return m !== null && dayExists(m);
}

export function timestampMs(v) {
  return Date.parse(v);
}

export function normalizeNumber(number) {
  return number
    .normalize('NFKC')
    .replace(DROP, '')
    .replace(/[a-z]/g, (c) => c.toUpperCase());
}

export function normalizeName(name) {
  return name.normalize('NFKC').replace(DROP, '').replace(DOTS, '\u00b7');
}

/** The published file name for a number and a name (see record.record_hash in Python). */
export async function recordHash(number, name) {
  const text = `${HASH_PREFIX}\n${normalizeNumber(number)}\n${normalizeName(name)}`;
  return hex(await sha256(new TextEncoder().encode(text))).slice(0, HASH_HEX_LENGTH);
}

export function hasType(doc, name) {
  return Array.isArray(doc.type) && doc.type.includes(name);
}

export function isRecord(doc) {
  return hasType(doc, 'VerifiableCredential') && hasType(doc, RECORD_TYPE);
}

export const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

const REQUIRED = ['name', 'certificateNumber', 'issueDate'];
const OPTIONAL = ['examDate', 'examSite', 'nationalIdMasked'];
const ACHIEVEMENT = [
  'name',
  'description',
  'certificate',
  'certificateName',
  'level',
  'organization',
];
export const sameList = (a, b) =>
  Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);

export function recordContext(site) {
  return [VC_CONTEXT, OB_CONTEXT, site.contextUrl];
}

function parseIssuer(doc, site) {
  const issuer = doc.issuer;
  if (!isObject(issuer)) throw new RecordFormatError('bad-issuer', 'the issuer is not one object');
  const org = site.orgOf(issuer.id);
  if (
    org === null ||
    !sameList(issuer.type, ['Profile']) ||
    typeof issuer.name !== 'string' ||
    issuer.url !== site.organizationUrl(org)
  ) {
    throw new RecordFormatError('bad-issuer', 'the issuer is not an organization DID of this site');
  }
  return { org, issuerName: issuer.name };
}

function parseAchievement(s, site) {
  const a = s.achievement;
  if (!isObject(a)) throw new RecordFormatError('bad-subject', 'the subject has no achievement');
  if (!ACHIEVEMENT.every((k) => typeof a[k] === 'string' && a[k] !== '')) {
    throw new RecordFormatError('bad-subject', 'the achievement lacks a required field');
  }
  const batch = a.batch;
  if (
    !SLUG.test(a.certificate) ||
    !LEVELS.includes(a.level) ||
    !SLUG.test(a.organization) ||
    a.id !== site.achievementId(a.certificate, a.level) ||
    !sameList(a.type, ['Achievement']) ||
    a.achievementType !== 'Certificate' ||
    a.name !== `${a.certificateName}（${a.level}）` ||
    !isObject(a.criteria) ||
    typeof a.criteria.narrative !== 'string' ||
    (batch !== undefined && batch !== null && !Number.isInteger(batch))
  ) {
    throw new RecordFormatError('bad-subject', 'an achievement field has the wrong form');
  }
  return a;
}

function parseSubject(doc, site) {
  const s = doc.credentialSubject;
  if (!isObject(s) || !sameList(s.type, ['AchievementSubject'])) {
    throw new RecordFormatError('bad-subject', 'credentialSubject is not one AchievementSubject');
  }
  if (!REQUIRED.every((k) => typeof s[k] === 'string' && s[k] !== '')) {
    throw new RecordFormatError('bad-subject', 'the subject lacks a required field');
  }
  if (!OPTIONAL.every((k) => s[k] === undefined || s[k] === null || typeof s[k] === 'string')) {
    throw new RecordFormatError('bad-subject', 'an optional subject field is not text');
  }
  const opt = (k) => (typeof s[k] === 'string' ? s[k] : null);
  if (
    !NUMBER.test(s.certificateNumber) ||
    !isDate(s.issueDate) ||
    (opt('examDate') !== null && !isDate(opt('examDate'))) ||
    (opt('nationalIdMasked') !== null && !MASKED_ID.test(opt('nationalIdMasked')))
  ) {
    throw new RecordFormatError('bad-subject', 'a subject field has the wrong form');
  }
  return { s, a: parseAchievement(s, site), opt };
}

function parseStatus(doc, site, org) {
  const st = doc.credentialStatus;
  if (!isObject(st)) throw new RecordFormatError('bad-status-entry', 'credentialStatus');
  const list = site.parseStatusListUrl(st.statusListCredential);
  const index = st.statusListIndex;
  if (
    st.type !== 'BitstringStatusListEntry' ||
    st.statusPurpose !== 'revocation' ||
    list === null ||
    list.org !== org ||
    typeof index !== 'string' ||
    !INDEX.test(index) ||
    st.id !== `${st.statusListCredential}#${index}`
  ) {
    throw new RecordFormatError(
      'bad-status-entry',
      'credentialStatus is not a revocation entry of the issuer',
    );
  }
  return { listId: st.statusListCredential, index: Number(index) };
}

/** The typed view of a record of `site` (proof not checked); throws RecordFormatError. */
export function parseRecord(doc, site) {
  if (!sameList(doc['@context'], recordContext(site))) {
    throw new RecordFormatError(
      'bad-context',
      "@context must be the VC 2.0, OB 3.0 and this site's contexts",
    );
  }
  const { org, issuerName } = parseIssuer(doc, site);
  if (!isTimestamp(doc.validFrom)) throw new RecordFormatError('bad-valid-from', 'validFrom');
  const { s, a, opt } = parseSubject(doc, site);
  const { listId, index } = parseStatus(doc, site, org);
  return {
    recordId: String(doc.id ?? ''),
    organization: org,
    issuerName,
    holder: s.name,
    certificate: a.certificate,
    certificateName: a.certificateName,
    level: a.level,
    number: s.certificateNumber,
    issueDate: s.issueDate,
    validFrom: doc.validFrom,
    statusList: listId,
    statusIndex: index,
    examDate: opt('examDate'),
    examSite: opt('examSite'),
    nationalIdMasked: opt('nationalIdMasked'),
  };
}
