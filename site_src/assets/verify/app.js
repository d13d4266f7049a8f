// The verify page (/verify/): loads the key registry and status lists from this site, then judges
// a record given as a file, as pasted text, by certificate number + name, or by a verify link
// (#r=<hash>; the number + name look-up fetches one shard, lookup.js). Every fetch is same-origin;
// after loading, files and pasted text verify offline.

import { extractCredential } from './baked.js';
import { ed25519Engine, forceEngine } from './crypto.js';
import { checkLayout, findRecord } from './lookup.js';
import { recordHash } from './record.js';
import {
  registryFromDocument,
  statusListFromDocument,
  TrustError,
  verificationResult,
} from './verify.js';

const ROOT = new URL('../../', import.meta.url); // the site root (this file is assets/verify/app.js)
const site = (path) => new URL(path, ROOT);

const TITLES = {
  valid: '✔ 有效',
  'not-a-record': '✘ 不是证书记录',
  malformed: '✘ 文件格式不对',
  altered: '✘ 签名不符：内容被改动',
  'unknown-key': '✘ 签发密钥未知',
  'key-revoked-before-issue': '✘ 签发密钥在签发前已被吊销',
  'key-not-valid-at-issue': '✘ 签发时密钥不在有效期内',
  'certificate-revoked': '✘ 证书已撤销',
  'not-yet-valid': '⚠ 证书尚未生效',
  'status-unavailable': '⚠ 无法确认撤销状态',
  'not-found': '✘ 未找到记录',
  'no-trust': '✘ 无法核验',
};
const SHOW_DETAILS = new Set(['valid', 'certificate-revoked', 'not-yet-valid']);

async function fetchBytes(url) {
  const response = await fetch(url, { cache: 'no-cache' });
  if (!response.ok) {
    const e = new Error(`${response.status} ${url}`);
    e.status = response.status;
    throw e;
  }
  return new Uint8Array(await response.arrayBuffer());
}

async function fetchJson(url) {
  return JSON.parse(new TextDecoder().decode(await fetchBytes(url)));
}

/** Registry, status lists and catalogue, verified once per page load. */
async function loadTrust() {
  const registry = await registryFromDocument(await fetchJson(site('keys/registry.json')));
  const seenKey = `xcert-registry-max:${registry.fingerprint}`;
  const seen = Number(localStorage.getItem(seenKey) || 0);
  if (registry.version < seen) {
    throw new TrustError(
      `密钥登记册版本 ${registry.version} 低于此前见过的版本 ${seen}：可能是被替换的旧副本。`,
    );
  }
  localStorage.setItem(seenKey, String(registry.version));
  const lists = new Map();
  const load = async (path) => {
    try {
      // The sealed revocation details beside the list (status-details/): none is no error.
      const details = fetchJson(site(path.replace(/^status\//, 'status-details/'))).catch(
        () => null,
      );
      const list = await statusListFromDocument(
        await fetchJson(site(path)),
        registry,
        await details,
      );
      lists.set(list.listId, list);
    } catch (e) {
      if (e.status !== 404) lists.set(`path:${path}`, e);
    }
  };
  let index = { statusLists: [] };
  try {
    index = await fetchJson(site('status/index.json'));
  } catch {
    /* no list published yet */
  }
  await Promise.all(index.statusLists.map(load));
  let catalogue = { certificates: {} };
  try {
    catalogue = await fetchJson(site('verify/catalogue.json'));
  } catch {
    /* the verdict does not need it; links and names fall back to the record */
  }
  let layout = null; // r/index.json: how number + name look-ups find a record
  try {
    layout = await fetchJson(site('r/index.json'));
  } catch {
    /* no record published yet: every look-up finds nothing */
  }
  const statusList = async (listId) => {
    if (lists.has(listId)) return lists.get(listId);
    const ids = registry.site.parseStatusListUrl(listId);
    const path = ids ? `status/${ids.org}/${ids.number}.json` : null;
    if (path && lists.has(`path:${path}`)) throw lists.get(`path:${path}`);
    if (path && !index.statusLists.includes(path)) {
      await load(path); // a list published after this page loaded
      if (lists.has(listId)) return lists.get(listId);
      if (lists.has(`path:${path}`)) throw lists.get(`path:${path}`);
    }
    const e = new TrustError(`no status list ${listId}`);
    e.missing = true;
    throw e;
  };
  await ed25519Engine();
  return { registry, statusList, catalogue, layout };
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

/** The issuing organization by the name the public knows (the catalogue's), else the registry's. */
function organization(r, trust) {
  const known = trust.catalogue.organizations?.[r.organization];
  if (known) return el('a', { href: site(`organizations/${r.organization}/`).href }, known.name);
  const org = trust.registry.organizations.get(r.organization);
  return org ? org.name : r.issuerName;
}

function facts(r, trust, cat) {
  const rows = [
    ['持证人', r.holder],
    [
      '证书',
      cat
        ? el('a', { href: site(`certificates/${r.certificate}/`).href }, cat.name)
        : r.certificateName,
    ],
    ['等级', r.level],
    ['发证机构', organization(r, trust)],
    ['发证日期', r.issueDate],
    ['证书编号', r.number],
  ];
  if (r.examDate) rows.push(['考试日期', r.examDate]);
  if (r.examSite) rows.push(['考点', r.examSite]);
  if (r.nationalIdMasked) rows.push(['身份证号（部分隐去）', r.nationalIdMasked]);
  return list(rows, 'xv-details');
}

function list(rows, className) {
  const dl = el('dl', { class: className });
  for (const [k, v] of rows) dl.append(el('dt', {}, k), el('dd', {}, v));
  return dl;
}

/** What the level certifies, in the standard's own words (verify/catalogue.json, levelNotes). */
function levelMeaning(r, cat) {
  const box = el('div', { class: 'xv-level' });
  box.append(el('h3', {}, `${r.level}证书证明什么`));
  const note = cat?.levelNotes ? cat.levelNotes[r.level] : null;
  if (cat?.standard && !note) {
    const standard = el(
      'a',
      { href: site(`standards/${cat.standard}/`).href },
      `《${cat.standardName}》`,
    );
    box.append(el('p', {}, `${r.level}的要求见`, standard, '。'));
    return box;
  }
  if (!note) {
    box.append(
      el(
        'p',
        {},
        '本站尚未收录这一证书的职业技能等级标准，这一等级的具体要求请以发证机构公布的标准为准。',
      ),
    );
    return box;
  }
  const link = el(
    'a',
    { href: site(`standards/${cat.standard}/#${note.anchor}`).href },
    `《${cat.standardName}》对${r.level}的全部要求`,
  );
  if (note.goal) {
    const duties = note.goalKind === 'duties';
    const what =
      duties && note.goal.startsWith('主要职责是')
        ? `人员的${note.goal}`
        : `${duties ? '人员的职责' : '的培养目标'}：${note.goal}`;
    box.append(el('p', {}, `按《${cat.standardName}》，${r.level}${what}`));
  }
  if (note.skills.length) {
    const ul = el('ul', {});
    for (const s of note.skills) ul.append(el('li', {}, s));
    box.append(
      el(
        'p',
        {},
        note.goal
          ? '其中的几项技能：'
          : `按《${cat.standardName}》，${r.level}持证人应具备的几项技能：`,
      ),
      ul,
    );
  }
  box.append(el('p', {}, '查看', link, '。'));
  return box;
}

/** Key ids, registry version and reason code: for the curious, folded away. */
function technical(res, trust) {
  const rows = [];
  if (res.record) rows.push(['发证机构标识', res.record.organization]);
  if (res.key) rows.push(['签发密钥', res.key.keyId]);
  if (trust) {
    rows.push(['密钥登记册', `第 ${trust.registry.version} 版`]);
    rows.push(['根密钥指纹', el('code', {}, trust.registry.fingerprint)]);
  }
  if (res.record?.statusList)
    rows.push(['撤销状态列表', `${res.record.statusList} 第 ${res.record.statusIndex} 位`]);
  rows.push(['核验结论代码', res.reason]);
  const fold = el('details', { class: 'xv-tech' }, el('summary', {}, '技术细节'));
  fold.append(list(rows, 'xv-details'));
  return fold;
}

function show(res, trust, started) {
  const box = document.getElementById('xv-result');
  box.replaceChildren();
  box.removeAttribute('aria-busy');
  delete box.dataset.busy;
  box.className = `xv-result xv-${res.verdict === 'valid' ? 'ok' : SHOW_DETAILS.has(res.verdict) || res.verdict === 'status-unavailable' ? 'warn' : 'bad'}`;
  box.append(el('p', { class: 'xv-title' }, TITLES[res.verdict] || res.verdict));
  box.append(el('p', { class: 'xv-message' }, res.message));
  const demo =
    trust &&
    res.record &&
    (trust.registry.demo || trust.registry.organizations.get(res.record.organization)?.demo);
  if (demo)
    box.append(
      el('p', { class: 'xv-demo-flag' }, '演示数据（DEMO）：由演示密钥签发，不是真实证书。'),
    );
  if (trust && res.record && SHOW_DETAILS.has(res.verdict)) {
    const cat = trust.catalogue.certificates[res.record.certificate];
    box.append(facts(res.record, trust, cat));
    if (res.verdict === 'valid') box.append(levelMeaning(res.record, cat));
  }
  box.append(technical(res, trust));
  box.dataset.reason = res.reason;
  box.dataset.ms = String((performance.now() - started).toFixed(1));
  box.hidden = false;
  bringIntoView(box);
  box.dataset.verdict = res.verdict; // set last: tests wait for it
}

/** Focus the verdict and scroll it to the top of the window (at once when motion is reduced). */
function bringIntoView(box) {
  const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  box.focus({ preventScroll: true });
  box.scrollIntoView({ block: 'start', behavior: still ? 'auto' : 'smooth' });
}

/** While a record is judged: the old verdict goes, "正在核验…" shows, the controls wait. */
function busy(on) {
  const root = document.getElementById('xcert-verify');
  for (const control of root.querySelectorAll('button, input[type=file]')) {
    if (on) control.disabled = true;
    else if (!control.dataset.unavailable) control.disabled = false;
  }
  if (!on) return;
  const box = document.getElementById('xv-result');
  box.replaceChildren(el('p', { class: 'xv-title xv-checking' }, '正在核验…'));
  box.className = 'xv-result xv-busy';
  for (const k of ['verdict', 'reason', 'ms']) delete box.dataset[k];
  box.dataset.busy = '1';
  box.setAttribute('aria-busy', 'true');
  box.hidden = false;
  bringIntoView(box);
}

function main() {
  const root = document.getElementById('xcert-verify');
  if (!root || root.dataset.ready) return;
  root.dataset.ready = '1';
  const params = new URLSearchParams(location.search);
  if (params.get('engine') === 'noble') forceEngine('noble');
  const trustBox = document.getElementById('xv-trust');
  const trustReady = loadTrust().then(
    (trust) => {
      const reg = trust.registry;
      trustBox.replaceChildren(
        el('span', {}, `密钥登记册第 ${reg.version} 版，根密钥指纹：`),
        el('code', { id: 'xv-fingerprint' }, reg.fingerprint),
      );
      if (reg.demo) {
        trustBox.append(
          el('strong', { class: 'xv-demo-flag' }, '（演示根密钥：本站的记录都是演示数据）'),
        );
        showDemo();
      }
      return trust;
    },
    (e) => {
      trustBox.textContent = `无法载入本站的密钥登记册，不能核验：${e.message}`;
      // Said at the top too: nothing on this page can be checked until the site is fixed.
      const warning = document.getElementById('xv-no-trust');
      warning.textContent =
        '本站的核验依据没能载入或没有通过检查，现在无法核验任何证书记录。请稍后再试，或通过发证机构核实。';
      warning.hidden = false;
      return null;
    },
  );

  async function judge(getBytes) {
    const started = performance.now();
    busy(true);
    try {
      const trust = await trustReady;
      if (!trust) {
        show(
          { verdict: 'no-trust', reason: 'no-registry', message: trustBox.textContent },
          null,
          started,
        );
        return;
      }
      let bytes;
      try {
        bytes = await getBytes();
      } catch (e) {
        const message =
          e.status === 404
            ? '未找到与该编号和姓名对应的记录。请核对证书编号和姓名（姓名须与证书上一致）。'
            : `无法取得记录：${e.message}`;
        show(
          {
            verdict: 'not-found',
            reason: e.status === 404 ? 'not-found' : 'fetch-failed',
            message,
          },
          trust,
          started,
        );
        return;
      }
      show(await verificationResult(bytes, trust), trust, started);
    } finally {
      busy(false);
    }
  }
  const notFound = () => Object.assign(new Error('not found'), { status: 404 });
  const fetchShard = async (path) => {
    try {
      return await fetchJson(site(path));
    } catch (e) {
      if (e.status === 404) return null;
      throw e;
    }
  };
  const byHash = (hash) =>
    judge(async () => {
      const { layout } = await trustReady;
      if (!layout) throw notFound();
      const bytes = await findRecord(hash, checkLayout(layout), fetchShard);
      if (!bytes) throw notFound();
      // The record must be the one asked for (its number and name give the same hash).
      let subject = null;
      try {
        subject = JSON.parse(new TextDecoder().decode(bytes)).credentialSubject;
      } catch {
        return bytes; // not JSON: the verdict says so
      }
      const own =
        subject && (await recordHash(String(subject.certificateNumber), String(subject.name)));
      if (own !== hash) throw notFound();
      return bytes;
    });

  const file = document.getElementById('xv-file');
  const fileName = document.getElementById('xv-file-name');
  const judgeFile = (chosen) => {
    fileName.textContent = `已选择：${chosen.name}`;
    judge(async () => extractCredential(new Uint8Array(await chosen.arrayBuffer())));
  };
  file.addEventListener('change', () => {
    const chosen = file.files[0];
    file.value = ''; // so that choosing the same file again is judged again
    if (chosen) judgeFile(chosen);
  });
  const drop = document.getElementById('xv-drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('xv-over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('xv-over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('xv-over');
    const f = e.dataTransfer.files[0];
    if (f) judgeFile(f);
  });
  document.getElementById('xv-text-go').addEventListener('click', () => {
    const text = document.getElementById('xv-text').value;
    judge(async () => extractCredential(new TextEncoder().encode(text)));
  });
  document.getElementById('xv-lookup').addEventListener('submit', async (e) => {
    e.preventDefault();
    const number = document.getElementById('xv-number').value;
    const name = document.getElementById('xv-name').value;
    byHash(await recordHash(number, name));
  });

  /** The demo's sample buttons are in the page from the start (no layout shift); each works once
   * the site says it has that sample. */
  async function showDemo() {
    const panel = document.getElementById('xv-demo');
    panel.hidden = false;
    let samples = [];
    try {
      samples = (await fetchJson(site('verify/demo/index.json'))).samples;
    } catch {
      /* no sample published: the buttons stay unavailable */
    }
    for (const b of panel.querySelectorAll('button[data-sample]')) {
      const name = b.dataset.sample;
      if (!samples.includes(name)) continue;
      delete b.dataset.unavailable;
      b.addEventListener('click', () => judge(() => fetchBytes(site(`verify/demo/${name}`))));
      if (!document.getElementById('xv-result').dataset.busy) b.disabled = false;
    }
  }

  const fromLink = () => {
    const m =
      /^#r=([0-9a-f]{32})$/.exec(location.hash) || /^([0-9a-f]{32})$/.exec(params.get('r') || '');
    if (m) byHash(m[1]);
  };
  window.addEventListener('hashchange', fromLink);
  fromLink();
}

// Material for MkDocs with instant navigation swaps page content without reloading scripts.
if (window.document$ && typeof window.document$.subscribe === 'function')
  window.document$.subscribe(main);
else if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
else main();
