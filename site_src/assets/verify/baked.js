// The signed record baked into a certificate image, as Open Badges 3.0 §5.3 ("Baked Badge")
// specifies and generator/credentials/issuing/holder.py bakes it: in a PNG, the first iTXt chunk
// with keyword `openbadgecredential` (uncompressed) holds the record's JSON; in an SVG, the
// first <openbadges:credential> element (namespace https://purl.imsglobal.org/ob/v3p0) holds it
// as text. The page then verifies the extracted record like an uploaded JSON file.

const OB_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const KEYWORD = 'openbadgecredential';
const latin1 = new TextDecoder('latin1');
const utf8 = new TextEncoder();

export class BakedError extends Error {}

function isPng(bytes) {
  return bytes.length > 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

function looksLikeSvg(bytes) {
  const head = new TextDecoder()
    .decode(bytes.subarray(0, 4096))
    .replace(/^\uFEFF/, '')
    .trimStart();
  return head.startsWith('<') && /<svg[\s>]/.test(head);
}

function fromPng(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  while (at + 8 <= bytes.length) {
    const length = view.getUint32(at);
    const kind = latin1.decode(bytes.subarray(at + 4, at + 8));
    const body = bytes.subarray(at + 8, Math.min(bytes.length, at + 8 + length));
    if (kind === 'iTXt') {
      const end = body.indexOf(0);
      if (end > 0 && latin1.decode(body.subarray(0, end)) === KEYWORD) {
        if (body[end + 1] !== 0)
          throw new BakedError('图片中的证书记录是压缩存放的，不符合 Open Badges 3.0 的规定。');
        let rest = body.subarray(end + 3);
        rest = rest.subarray(rest.indexOf(0) + 1); // language tag
        return rest.subarray(rest.indexOf(0) + 1); // translated keyword; then the text
      }
    }
    if (kind === 'IEND') break;
    at += 12 + length;
  }
  throw new BakedError('这张 PNG 图片中没有内嵌的证书记录。');
}

function fromSvg(bytes) {
  const doc = new DOMParser().parseFromString(new TextDecoder().decode(bytes), 'image/svg+xml');
  if (doc.getElementsByTagName('parsererror').length)
    throw new BakedError('这个 SVG 文件无法读取。');
  const found = doc.getElementsByTagNameNS(OB_NAMESPACE, 'credential')[0];
  if (!found) throw new BakedError('这张 SVG 图片中没有内嵌的证书记录。');
  if (found.hasAttribute('verify'))
    throw new BakedError('这张图片内嵌的是 JWT 形式的凭证，本页只核验本站签发的记录。');
  return utf8.encode(found.textContent.trim());
}

/** The record inside a baked PNG or SVG; any other bytes are returned as they are. */
export function extractCredential(bytes) {
  if (isPng(bytes)) return fromPng(bytes);
  if (looksLikeSvg(bytes)) return fromSvg(bytes);
  return bytes;
}
