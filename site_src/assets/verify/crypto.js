// SHA-256 and Ed25519 verification: WebCrypto where the browser has it (Ed25519 in Chromium 137+,
// Firefox 129+, Safari 17+), else the vendored @noble/ed25519 and @noble/hashes. Loaded from the
// same site only, so the page keeps working with the network cut.

const subtle = globalThis.crypto?.subtle;
let noble = null; // {ed, sha256, sha512} once the fallback is loaded

async function loadNoble() {
  if (!noble) {
    const [ed, sha2] = await Promise.all([
      import('../vendor/noble-ed25519/index.js'),
      import('../vendor/noble-hashes/sha2.js'),
    ]);
    ed.hashes.sha512 = sha2.sha512;
    noble = { ed, sha256: sha2.sha256 };
  }
  return noble;
}

export async function sha256(bytes) {
  if (subtle) return new Uint8Array(await subtle.digest('SHA-256', bytes));
  return (await loadNoble()).sha256(bytes);
}

// Which engine verifies: decided once, by importing a key (WebCrypto throws if it lacks Ed25519).
let engine = null;
const TEST_KEY = new Uint8Array(32).fill(0x11);

export async function ed25519Engine() {
  if (engine === null) {
    try {
      if (!subtle) throw new Error('no WebCrypto');
      await subtle.importKey('raw', TEST_KEY, { name: 'Ed25519' }, false, ['verify']);
      engine = 'webcrypto';
    } catch {
      await loadNoble();
      engine = 'noble';
    }
  }
  return engine;
}

export function forceEngine(name) {
  // For tests and the benchmark: `?engine=noble` on the page.
  engine = name;
}

export async function ed25519Verify(publicKey, signature, message) {
  if ((await ed25519Engine()) === 'webcrypto') {
    try {
      const key = await subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
      return await subtle.verify({ name: 'Ed25519' }, key, signature, message);
    } catch {
      return false; // a malformed public key cannot verify anything
    }
  }
  const { ed } = await loadNoble();
  try {
    // zip215: false is RFC 8032 strict verification, like libsodium on the Python side.
    return ed.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

export function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
