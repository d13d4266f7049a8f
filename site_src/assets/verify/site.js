// The site's identity in the published formats, as generator/credentials/formats/site.py defines
// it: its address (from the signed key registry), the did:web DIDs of the root and of each
// organization, and the URLs of status lists, the JSON-LD context and catalogue pages.

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const KEY_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SEGMENT = /^[A-Za-z0-9._~-]+$/;
const HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/;
const LIST = /^([a-z0-9]+(?:-[a-z0-9]+)*)\/([1-9][0-9]{0,5})\.json$/;
export const SITE_CONTEXT = 'contexts/xcert-v1.jsonld';
export const LEVEL_FRAGMENTS = { 初级: 'junior', 中级: 'intermediate', 高级: 'senior' };

export class SiteUrlError extends Error {}

/** A site address in its normal form (http(s), host, plain path ending in '/'), or throws. */
export function parseSite(text) {
  const m = typeof text === 'string' ? /^(https?):\/\/([^/?#]*)(\/[^?#]*)?$/.exec(text) : null;
  const host = m ? m[2].toLowerCase() : '';
  const segments = m?.[3] ? m[3].split('/').filter((s) => s !== '') : [];
  if (!m || !HOST.test(host) || !segments.every((s) => SEGMENT.test(s))) {
    throw new SiteUrlError('not a site address');
  }
  const url = `${m[1]}://${host}/${segments.map((s) => `${s}/`).join('')}`;
  const did = ['did:web', host.replace(':', '%3A'), ...segments].join(':');
  return makeSite(url, did);
}

function makeSite(url, did) {
  const at = (path) => url + path;
  const orgPrefix = `${did}:organizations:`;
  const site = {
    url,
    did,
    rootDid: `${did}:keys`,
    rootMethod: `${did}:keys#root`,
    contextUrl: at(SITE_CONTEXT),
    at,
    orgDid: (org) => orgPrefix + org,
    keyMethod: (org, keyId) => `${orgPrefix}${org}#${keyId}`,
    orgOf(value) {
      if (typeof value !== 'string' || !value.startsWith(orgPrefix)) return null;
      const org = value.slice(orgPrefix.length);
      return SLUG.test(org) ? org : null;
    },
    splitMethod(method) {
      if (typeof method !== 'string' || method.split('#').length !== 2) return null;
      const [d, keyId] = method.split('#');
      const org = site.orgOf(d);
      return org !== null && KEY_ID.test(keyId) ? { org, keyId } : null;
    },
    statusListUrl: (org, number) => at(`status/${org}/${number}.json`),
    parseStatusListUrl(value) {
      const prefix = at('status/');
      if (typeof value !== 'string' || !value.startsWith(prefix)) return null;
      const m2 = LIST.exec(value.slice(prefix.length));
      return m2 ? { org: m2[1], number: Number(m2[2]) } : null;
    },
    organizationUrl: (org) => at(`organizations/${org}/`),
    achievementId: (certificate, level) =>
      `${at(`certificates/${certificate}/`)}#${LEVEL_FRAGMENTS[level] ?? level}`,
  };
  return site;
}
