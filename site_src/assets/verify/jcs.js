// RFC 8785 JSON Canonicalization Scheme: the bytes the page hashes, as the Python side's
// generator/credentials/formats/jcs.py produces them with the rfc8785 library.
// ECMAScript's own number and string serialization is what RFC 8785 specifies; keys sort by
// UTF-16 code units, which is JavaScript's default string order.

export class JcsError extends Error {}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function string(s) {
  if (LONE_SURROGATE.test(s)) throw new JcsError('lone surrogate in a string');
  return JSON.stringify(s);
}

export function canonicalize(value) {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new JcsError('number is not finite');
      return JSON.stringify(value);
    case 'string':
      return string(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
      const keys = Object.keys(value).sort();
      return `{${keys.map((k) => `${string(k)}:${canonicalize(value[k])}`).join(',')}}`;
    }
    default:
      throw new JcsError('not a JSON value');
  }
}

export function canonicalBytes(value) {
  return new TextEncoder().encode(canonicalize(value));
}
