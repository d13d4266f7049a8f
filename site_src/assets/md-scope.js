// Material's inline head script (partials/javascripts/base.html in mkdocs-material 9.8.2), as a
// file so the Content-Security-Policy allows no inline script. A classic, blocking script: the
// globals exist before Material's bundle runs. The scope (the site root) comes from the tag.
window.__md_scope = new URL(document.currentScript.dataset.mdScope, location);
window.__md_hash = (value) =>
  [...value].reduce((hash, c) => (hash << 5) - hash + c.charCodeAt(0), 0);
window.__md_get = (key, storage = localStorage, base = window.__md_scope) =>
  JSON.parse(storage.getItem(`${base.pathname}.${key}`));
window.__md_set = (key, value, storage = localStorage, base = window.__md_scope) => {
  try {
    storage.setItem(`${base.pathname}.${key}`, JSON.stringify(value));
  } catch {
    // Storage full or disabled: Material then treats the value as unset.
  }
};
