// Multibase (base58btc 'z', base64url 'u') and Ed25519 Multikey, as generator/credentials/formats/multibase.py.

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const INDEX = new Map([...ALPHABET].map((c, i) => [c, BigInt(i)]));

export class MultibaseError extends Error {}

export function b58decode(text) {
  let n = 0n;
  for (const c of text) {
    const d = INDEX.get(c);
    if (d === undefined) throw new MultibaseError('not a base58btc character');
    n = n * 58n + d;
  }
  let zeros = 0;
  while (zeros < text.length && text[zeros] === '1') zeros++;
  const body = [];
  while (n > 0n) {
    body.push(Number(n & 0xffn));
    n >>= 8n;
  }
  body.reverse();
  return Uint8Array.from([...new Array(zeros).fill(0), ...body]);
}

export function decodeBase58btc(text) {
  if (typeof text !== 'string' || !text.startsWith('z') || text.length < 2) {
    throw new MultibaseError("expected multibase base58btc text starting with 'z'");
  }
  return b58decode(text.slice(1));
}

export function decodeBase64url(text) {
  if (typeof text !== 'string' || !text.startsWith('u')) {
    throw new MultibaseError("expected multibase base64url text starting with 'u'");
  }
  const body = text.slice(1);
  if (!/^[A-Za-z0-9_-]*$/.test(body) || body.length % 4 === 1)
    throw new MultibaseError('bad base64url');
  const b64 = body.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (body.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

export function decodePublicMultikey(text) {
  const data = decodeBase58btc(text);
  if (data.length !== 34 || data[0] !== 0xed || data[1] !== 0x01) {
    throw new MultibaseError('not an Ed25519 Multikey public key (z6Mk...)');
  }
  return data.slice(2);
}
