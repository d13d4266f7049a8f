// Finding a record by its hash (number + name), as generator/credentials/formats/sealing.py seals
// it and publishing/batches.py publishes it: Argon2id of the hash (slow and memory-hard on
// purpose, parameters from r/index.json; the vendored hash-wasm, loaded on the first look-up;
// PBKDF2-SHA256 in WebCrypto for the earlier layout) gives a master key; HKDF-SHA256 of it gives the entry's tag and
// its AES-256-GCM key; the tag's first bits name the shard r/<shard>.json (so the build places an
// entry without knowing its hash); the entry holds the nonce and the sealed, raw-DEFLATE-
// compressed record. One fetch per look-up, once the key is derived.

const subtle = globalThis.crypto?.subtle;
const utf8 = new TextEncoder();
const TAG_INFO = utf8.encode('xcert-lookup-v2 tag');
const KEY_INFO = utf8.encode('xcert-lookup-v2 key');
const NONCE_BYTES = 12;
export const LAYOUT_VERSION = 3;

export class LookupError extends Error {}

/** The shard file of a tag (bytes): its first `bits` bits in hex, ceil(bits / 4) digits. */
export function shardName(tag, bits) {
  const head = ((tag[0] << 24) | (tag[1] << 16) | (tag[2] << 8) | tag[3]) >>> 0;
  const index = bits === 0 ? 0 : head >>> (32 - bits);
  return index.toString(16).padStart(Math.max(1, Math.ceil(bits / 4)), '0');
}

export function b64url(bytes) {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromB64url(text) {
  const raw = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

let argon2 = null; // hash-wasm's argon2id, once loaded

async function masterKey(hash, kdf) {
  if (kdf.name === 'Argon2id') {
    if (!argon2) {
      // A UMD build: evaluated as a module, it sets globalThis.hashwasm.
      await import('../vendor/hash-wasm/argon2.umd.min.js');
      argon2 = globalThis.hashwasm.argon2id;
    }
    return argon2({
      password: hash,
      salt: utf8.encode(kdf.salt),
      parallelism: 1,
      iterations: kdf.passes,
      memorySize: kdf.memory,
      hashLength: 32,
      outputType: 'binary',
    });
  }
  const base = await subtle.importKey('raw', utf8.encode(hash), 'PBKDF2', false, ['deriveBits']);
  const params = {
    name: 'PBKDF2',
    hash: 'SHA-256',
    salt: utf8.encode(kdf.salt),
    iterations: kdf.iterations,
  };
  return new Uint8Array(await subtle.deriveBits(params, base, 256));
}

async function hkdf(master, info, bits) {
  const base = await subtle.importKey('raw', master, 'HKDF', false, ['deriveBits']);
  const params = { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info };
  return new Uint8Array(await subtle.deriveBits(params, base, bits));
}

async function inflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Checks r/index.json; throws LookupError when this page cannot read the layout. */
function knownKdf(kdf) {
  if (!kdf || typeof kdf.salt !== 'string') return false;
  if (kdf.name === 'Argon2id') {
    return (
      kdf.lanes === 1 &&
      Number.isInteger(kdf.passes) &&
      kdf.passes >= 1 &&
      Number.isInteger(kdf.memory) &&
      kdf.memory >= 8
    );
  }
  return (
    kdf.name === 'PBKDF2' &&
    kdf.hash === 'SHA-256' &&
    Number.isInteger(kdf.iterations) &&
    kdf.iterations >= 1
  );
}

export function checkLayout(layout) {
  if (
    !layout ||
    layout.version !== LAYOUT_VERSION ||
    !knownKdf(layout.kdf) ||
    !Number.isInteger(layout.shardBits) ||
    layout.shardBits < 0 ||
    layout.shardBits > 32
  ) {
    throw new LookupError('本站记录的存放格式不是本页面认识的版本，请刷新页面后重试。');
  }
  return layout;
}

/**
 * The record's bytes for a record hash, or null when the site holds none.
 * `fetchShard(path)` returns the parsed shard, or null when there is no such file.
 */
export async function findRecord(hash, layout, fetchShard) {
  if (!subtle || typeof DecompressionStream === 'undefined') {
    throw new LookupError(
      '此浏览器（或非 HTTPS 打开的页面）不提供按编号和姓名查询所需的加密功能；请用新版浏览器通过 HTTPS 打开本页，或上传记录文件核验。',
    );
  }
  const master = await masterKey(hash, layout.kdf);
  const tagBytes = await hkdf(master, TAG_INFO, 128);
  const shard = await fetchShard(`r/${shardName(tagBytes, layout.shardBits)}.json`);
  const tag = b64url(tagBytes);
  if (!shard || !Object.hasOwn(shard, tag)) return null;
  const key = await subtle.importKey('raw', await hkdf(master, KEY_INFO, 256), 'AES-GCM', false, [
    'decrypt',
  ]);
  const sealed = fromB64url(shard[tag]);
  const iv = sealed.slice(0, NONCE_BYTES);
  try {
    const plain = await subtle.decrypt({ name: 'AES-GCM', iv }, key, sealed.slice(NONCE_BYTES));
    return await inflate(new Uint8Array(plain));
  } catch {
    throw new LookupError('本站存放的这条记录已损坏，无法打开。');
  }
}
