// The compare selection shared by every page: certificate ids in the URL (?c=a,b) when on the
// compare page, remembered in localStorage so "加入对比" on any certificate page adds to it.
export const MAX = 4;
const KEY = 'xcert-compare';
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function clean(ids) {
  const out = [];
  for (const id of ids) {
    if (ID.test(id) && !out.includes(id) && out.length < MAX) out.push(id);
  }
  return out;
}

export function load() {
  try {
    return clean(JSON.parse(localStorage.getItem(KEY) || '[]'));
  } catch {
    return [];
  }
}

export function save(ids) {
  try {
    localStorage.setItem(KEY, JSON.stringify(clean(ids)));
  } catch {
    // Private browsing may refuse storage; the URL still carries the selection.
  }
}

export function fromUrl(search = window.location.search) {
  const raw = new URLSearchParams(search).get('c');
  return raw === null ? null : clean(raw.split(','));
}

export function compareUrl(ids, base) {
  const url = new URL(base);
  url.search = ids.length ? `?c=${ids.join(',')}` : '';
  return url.toString();
}
