// Verdicts on a certificate record, in the browser. Mirrors generator/credentials/formats/verify.py
// (and proof.py, registry.py, status.py): same checks, same order, same reason codes and words.

import { canonicalBytes, JcsError } from './jcs.js';
import { ed25519Verify, sha256, hex } from './crypto.js';

const subtle = globalThis.crypto?.subtle;
import {
  decodeBase58btc,
  decodeBase64url,
  decodePublicMultikey,
  MultibaseError,
} from './multibase.js';
import {
  hasType,
  isDate,
  isObject,
  isRecord,
  isTimestamp,
  parseRecord,
  RecordFormatError,
  sameList,
  timestampMs,
  VC_CONTEXT,
} from './record.js';
import { parseSite } from './site.js';

const CLOCK_SKEW_MS = 5 * 60 * 1000;
const DETAILS_FORMAT = 'xcert-revocation-details-v1';
const DETAIL_INDEX = /^(0|[1-9][0-9]{0,8})$/;

export const MESSAGES = {
  valid: '有效：记录真实、未被改动，签发密钥在签发时有效，证书未被撤销。',
  'not-object': '这不是证书记录文件：内容不是一个 JSON 对象。',
  'not-credential': '这不是证书记录文件：它不是本站签发的职业技能等级证书记录。',
  'invalid-json': '文件已损坏或不是 JSON 文本，无法核验。',
  malformed: '文件格式不对（{detail}），无法作为证书记录核验。',
  'key-not-in-registry': '签发密钥不在本站的密钥登记册中，无法确认签发机构。',
  'key-of-other-organization': '签发密钥不属于记录上写明的签发机构。',
  'signature-mismatch': '签名不符：记录内容在签发后被改动过，或签名是伪造的。',
  'key-revoked-before-issue':
    '签发所用的密钥在签发之前（{revoked_at}）已被吊销，原因：{why}。此记录不可信。',
  'key-not-valid-at-issue': '签发时间（{created}）不在该密钥的有效期内，此记录不可信。',
  'certificate-revoked': '证书已被撤销：撤销日期 {date}，原因：{why}。',
  'not-yet-valid': '证书尚未生效：生效时间为 {valid_from}。',
  'status-list-missing': '无法取得撤销状态列表，不能确认证书是否已被撤销。',
  'status-list-invalid': '撤销状态列表无法核验（{detail}），不能确认证书是否已被撤销。',
};

export const DETAILS = {
  'no-proof': '没有签名',
  'unsupported-proof': '签名类型不是 eddsa-jcs-2022',
  'bad-proof-purpose': '签名用途不对',
  'bad-verification-method': '签名密钥写法不对',
  'bad-created': '签名时间缺失或写法不对',
  'bad-proof-value': '签名值写法不对',
  'bad-context': '@context 不对',
  'bad-issuer': '签发机构写法不对',
  'bad-valid-from': '生效时间缺失或写法不对',
  'bad-subject': '证书信息缺项或写法不对',
  'bad-status-entry': '撤销状态条目不对',
  'not-canonical': '含有无法规范化的数值或字符',
};

class ProofFormatError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

export class TrustError extends Error {}

function result(verdict, reason, params = {}, extra = {}, template = null) {
  const message = MESSAGES[template ?? reason].replace(/\{(\w+)\}/g, (_, k) => String(params[k]));
  return { verdict, reason, message, ...extra };
}

function malformed(code) {
  return result('malformed', code, { detail: DETAILS[code] }, {}, 'malformed');
}

/**
 * Check an eddsa-jcs-2022 proof's form and split the secured document (proof.parse_proof). Every
 * document xcert publishes carries its proof as a set of exactly one.
 */
export function parseProof(secured, purpose = 'assertionMethod') {
  const proof =
    Array.isArray(secured.proof) && secured.proof.length === 1 ? secured.proof[0] : null;
  if (!isObject(proof)) throw new ProofFormatError('no-proof', 'no proof');
  if (proof.type !== 'DataIntegrityProof' || proof.cryptosuite !== 'eddsa-jcs-2022') {
    throw new ProofFormatError('unsupported-proof', 'not eddsa-jcs-2022');
  }
  if (proof.proofPurpose !== purpose) throw new ProofFormatError('bad-proof-purpose', 'purpose');
  const vm = proof.verificationMethod;
  if (typeof vm !== 'string' || !vm.startsWith('did:') || vm.split('#').length !== 2) {
    throw new ProofFormatError('bad-verification-method', 'not a DID URL');
  }
  if (!isTimestamp(proof.created)) throw new ProofFormatError('bad-created', 'created');
  let signature;
  try {
    signature =
      typeof proof.proofValue === 'string' ? decodeBase58btc(proof.proofValue) : new Uint8Array();
  } catch (e) {
    if (e instanceof MultibaseError) throw new ProofFormatError('bad-proof-value', e.message);
    throw e;
  }
  if (signature.length !== 64) throw new ProofFormatError('bad-proof-value', 'not 64 bytes');
  const config = { ...proof };
  delete config.proofValue;
  const unsecured = { ...secured };
  delete unsecured.proof;
  if ('@context' in config) {
    const ctx = Array.isArray(config['@context']) ? config['@context'] : [config['@context']];
    const docCtx = Array.isArray(unsecured['@context'])
      ? unsecured['@context']
      : [unsecured['@context']];
    if (JSON.stringify(docCtx.slice(0, ctx.length)) !== JSON.stringify(ctx)) {
      throw new ProofFormatError('bad-context', '@context');
    }
    unsecured['@context'] = config['@context'];
  }
  return { verificationMethod: vm, signature, created: proof.created, config, unsecured };
}

/** SHA-256(JCS(proof config)) || SHA-256(JCS(document)), then Ed25519 (proof.signature_matches). */
export async function signatureMatches(parsed, publicKey) {
  const configHash = await sha256(canonicalBytes(parsed.config));
  const docHash = await sha256(canonicalBytes(parsed.unsecured));
  const message = new Uint8Array(64);
  message.set(configHash, 0);
  message.set(docHash, 32);
  return ed25519Verify(publicKey, parsed.signature, message);
}

// --- the key registry (registry.py) ---

function keyProblemAt(key, createdMs) {
  if (key.revokedAt !== null && createdMs >= timestampMs(key.revokedAt))
    return 'key-revoked-before-issue';
  if (createdMs < timestampMs(key.validFrom)) return 'key-not-valid-at-issue';
  if (key.validUntil !== null && createdMs >= timestampMs(key.validUntil))
    return 'key-not-valid-at-issue';
  return null;
}

export async function fingerprint(publicKeyMultibase) {
  const digest = hex(await sha256(decodePublicMultikey(publicKeyMultibase)));
  return digest.match(/.{4}/g).join(' ');
}

function stamp(v) {
  if (!isTimestamp(v)) throw new TrustError('bad timestamp');
  return v;
}

function orgEntry(o, site, keys) {
  const orgId = site.orgOf(o.id);
  if (orgId === null) throw new TrustError('an organization is not a DID of the site');
  const org = { id: orgId, name: String(o.name), demo: Boolean(o.demo) };
  for (const k of o.keys) {
    const found = site.splitMethod(k.id);
    if (found === null || found.org !== orgId)
      throw new TrustError('a key is not one of its organization');
    decodePublicMultikey(k.publicKeyMultibase);
    keys.set(k.id, {
      keyId: found.keyId,
      organization: orgId,
      publicKeyMultibase: k.publicKeyMultibase,
      validFrom: stamp(k.validFrom),
      validUntil: 'validUntil' in k ? stamp(k.validUntil) : null,
      revokedAt: 'revokedAt' in k ? stamp(k.revokedAt) : null,
      revocationReason: 'revokedAt' in k ? String(k.revocationReason ?? '') : null,
    });
  }
  return org;
}

/** Check the registry credential and its root signature; returns the registry or throws. */
export async function registryFromDocument(doc) {
  if (!isObject(doc) || !hasType(doc, 'XcertKeyRegistry'))
    throw new TrustError('not a key registry');
  let parsed;
  try {
    parsed = parseProof(doc);
  } catch (e) {
    throw new TrustError(`the registry's proof is malformed: ${e.message}`);
  }
  try {
    const subject = doc.credentialSubject;
    const site = parseSite(subject.id);
    if (subject.id !== site.url || !sameList(doc['@context'], [VC_CONTEXT, site.contextUrl])) {
      throw new TrustError("the registry's site or @context is not in its normal form");
    }
    const root = subject.root.publicKeyMultibase;
    if (
      doc.issuer.id !== site.rootDid ||
      subject.root.id !== site.rootDid ||
      parsed.verificationMethod !== site.rootMethod
    ) {
      throw new TrustError('the registry is not signed by the root of its site');
    }
    if (!(await signatureMatches(parsed, decodePublicMultikey(root)))) {
      throw new TrustError("the registry's signature does not match");
    }
    const fp = await fingerprint(root);
    if (subject.root.fingerprint !== fp)
      throw new TrustError("the root fingerprint is not its root key's");
    const keys = new Map(); // verification method (<org DID>#<key id>) → key
    const orgs = new Map();
    for (const o of subject.organizations) {
      const org = orgEntry(o, site, keys);
      orgs.set(org.id, org);
    }
    if (!Number.isInteger(subject.version))
      throw new TrustError('the registry version is not an integer');
    stamp(doc.validFrom);
    return {
      site,
      version: subject.version,
      demo: Boolean(subject.demo),
      rootName: String(subject.root.name),
      fingerprint: fp,
      organizations: orgs,
      keys,
    };
  } catch (e) {
    if (e instanceof TrustError) throw e;
    throw new TrustError(`the registry is malformed: ${e.message}`);
  }
}

// --- status lists (status.py) ---

async function gunzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function hkdf(ikm, info, bits) {
  const base = await subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  const params = {
    name: 'HKDF',
    hash: 'SHA-256',
    salt: new Uint8Array(0),
    info: new TextEncoder().encode(info),
  };
  return new Uint8Array(await subtle.deriveBits(params, base, bits));
}

/** The date and reason sealed for the record whose signature this is (status.open_detail). */
export async function openDetail(sealed, signature, listUrl, index) {
  try {
    const data = decodeBase64url(sealed);
    const raw = await hkdf(signature, `${DETAILS_FORMAT} key`, 256);
    const key = await subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt']);
    const plain = await subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: data.slice(0, 12),
        additionalData: new TextEncoder().encode(`${listUrl}#${index}`),
      },
      key,
      data.slice(12),
    );
    const detail = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain));
    if (!isObject(detail) || !isDate(detail.date) || typeof detail.reason !== 'string') return null;
    return { index, date: detail.date, reason: detail.reason };
  } catch {
    return null;
  }
}

function sealedEntries(details, listId) {
  const out = new Map();
  if (
    !isObject(details) ||
    details.format !== DETAILS_FORMAT ||
    details.statusListCredential !== listId ||
    !isObject(details.details)
  ) {
    return out;
  }
  for (const [k, v] of Object.entries(details.details)) {
    if (DETAIL_INDEX.test(k) && typeof v === 'string') out.set(Number(k), v);
  }
  return out;
}

/** Check a status list credential against the registry; returns {listId, org, bits, sealed}. */
export async function statusListFromDocument(doc, registry, details = null) {
  if (!isObject(doc) || !hasType(doc, 'BitstringStatusListCredential')) {
    throw new TrustError('not a status list credential');
  }
  const site = registry.site;
  const ids = site.parseStatusListUrl(doc.id);
  if (ids === null) throw new TrustError('bad status list id');
  try {
    if (!sameList(doc['@context'], [VC_CONTEXT]) || doc.issuer.id !== site.orgDid(ids.org)) {
      throw new TrustError('issuer is not the list organization');
    }
    let parsed;
    try {
      parsed = parseProof(doc);
    } catch (e) {
      throw new TrustError(`the status list's proof is malformed: ${e.message}`);
    }
    const key = registry.keys.get(parsed.verificationMethod);
    if (!key || key.organization !== ids.org)
      throw new TrustError('not signed by a key of its organization');
    if (keyProblemAt(key, timestampMs(parsed.created)) !== null)
      throw new TrustError('key not valid');
    if (!(await signatureMatches(parsed, decodePublicMultikey(key.publicKeyMultibase)))) {
      throw new TrustError("the status list's signature does not match");
    }
    const subject = doc.credentialSubject;
    if (subject.statusPurpose !== 'revocation') throw new TrustError('purpose is not revocation');
    let bits;
    try {
      bits = await gunzip(decodeBase64url(subject.encodedList));
    } catch {
      throw new TrustError('the encoded list is not gzip in base64url');
    }
    stamp(doc.validFrom);
    return { listId: doc.id, org: ids.org, bits, sealed: sealedEntries(details, doc.id) };
  } catch (e) {
    if (e instanceof TrustError) throw e;
    throw new TrustError(`the status list is malformed: ${e.message}`);
  }
}

// --- the verdict (verify.py) ---

/**
 * trust = {registry, statusList(listId) -> list | throws TrustError (missing: e.missing = true)}
 * Returns {verdict, reason, message, record?, key?, revocation?}; never throws for bad input.
 */
export async function verificationResult(bytes, trust, nowMs = Date.now()) {
  let doc;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    doc = JSON.parse(text);
  } catch {
    return result('malformed', 'invalid-json');
  }
  if (!isObject(doc)) return result('not-a-record', 'not-object');
  if (!isRecord(doc)) return result('not-a-record', 'not-credential');
  const site = trust.registry.site;
  let parsed;
  let record;
  try {
    parsed = parseProof(doc);
    if (site.splitMethod(parsed.verificationMethod) === null) {
      throw new ProofFormatError('bad-verification-method', "not a key of this site's DIDs");
    }
    record = parseRecord(doc, site);
  } catch (e) {
    if (e instanceof ProofFormatError || e instanceof RecordFormatError) return malformed(e.code);
    throw e;
  }
  const key = trust.registry.keys.get(parsed.verificationMethod);
  if (!key) return result('unknown-key', 'key-not-in-registry', {}, { record });
  if (key.organization !== record.organization) {
    return result('unknown-key', 'key-of-other-organization', {}, { record, key });
  }
  try {
    if (!(await signatureMatches(parsed, decodePublicMultikey(key.publicKeyMultibase)))) {
      return result('altered', 'signature-mismatch', {}, { record, key });
    }
  } catch (e) {
    if (e instanceof JcsError) return malformed('not-canonical');
    throw e;
  }
  const createdMs = timestampMs(parsed.created);
  const problem = keyProblemAt(key, createdMs);
  if (problem === 'key-revoked-before-issue') {
    return result(
      problem,
      problem,
      { revoked_at: key.revokedAt, why: key.revocationReason },
      { record, key },
    );
  }
  if (problem === 'key-not-valid-at-issue') {
    return result(problem, problem, { created: parsed.created }, { record, key });
  }
  let status;
  try {
    status = await trust.statusList(record.statusList);
    if (record.statusIndex >= status.bits.length * 8)
      throw new TrustError('index outside the list');
  } catch (e) {
    if (e.missing) return result('status-unavailable', 'status-list-missing', {}, { record, key });
    return result(
      'status-unavailable',
      'status-list-invalid',
      { detail: '列表签名或格式不对' },
      { record, key },
    );
  }
  const i = record.statusIndex;
  if (status.bits[i >> 3] & (0x80 >> (i & 7))) {
    const sealed = status.sealed.get(i);
    const rev =
      sealed === undefined ? null : await openDetail(sealed, parsed.signature, status.listId, i);
    return result(
      'certificate-revoked',
      'certificate-revoked',
      { date: rev ? rev.date : '不详', why: rev ? rev.reason : '不详' },
      { record, key, revocation: rev },
    );
  }
  if (timestampMs(record.validFrom) > nowMs || createdMs > nowMs + CLOCK_SKEW_MS) {
    return result(
      'not-yet-valid',
      'not-yet-valid',
      { valid_from: record.validFrom },
      { record, key },
    );
  }
  return result('valid', 'valid', {}, { record, key });
}
