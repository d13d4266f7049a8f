// The compare page: 2 to 4 certificates side by side, read from the static /api/ JSON.
// Every value is written with textContent: catalogue text never becomes markup.
import { MAX, clean, fromUrl, load, save } from './compare-store.js';

const API = new URL('../api/certificates.json', import.meta.url);
const root = document.getElementById('xcert-compare');
const input = document.getElementById('xcert-compare-input');
const options = document.getElementById('xcert-compare-options');
const onlyDiff = document.getElementById('xcert-compare-diff');
const message = root.querySelector('.xcert-compare-message');
const wrap = root.querySelector('.xcert-compare-table-wrap');
const LEVELS = ['初级', '中级', '高级'];
const EDU = ['中职', '高职', '本科'];

let all = new Map();
let chosen = [];

// What a cell says when the catalogue has no value: in words, never a bare dash. Per-level values
// come from the certificate's standard, so without one the whole row is "not in the catalogue".
const NOT_HELD = '本目录未收录';
const NOT_LISTED = '标准未列出';
const join = (xs, none = NOT_HELD) => (xs?.length ? xs.join('、') : none);
const money = (v) => (v === null || v === undefined ? null : `${v} 元/人次`);

// One line per level; `pick` returns text or null. All null: one phrase for the whole cell;
// some null: `gap` on those lines.
function perLevel(cert, pick, none, gap = NOT_LISTED) {
  const lines = LEVELS.map((name) => {
    const lv = cert.levels.find((l) => l.level === name);
    return lv ? [name, pick(lv)] : null;
  }).filter(Boolean);
  if (!lines.some(([, v]) => v)) return none ?? (cert.standard ? NOT_LISTED : NOT_HELD);
  return lines.map(([name, v]) => `${name}：${v || gap}`).join('\n');
}

function examText(cert) {
  if (!cert.exam) return NOT_HELD;
  const parts = cert.exam.parts
    .map((p) => `${p.name}（${p.form_name}，占 ${p.share}%）`)
    .join('；');
  return cert.exam.description ? `${cert.exam.description}\n${parts}` : parts;
}

function passMarks(cert) {
  if (!cert.exam) return NOT_HELD;
  const marks = cert.exam.parts
    .filter((p) => p.pass_mark !== null)
    .map((p) => `${p.name} ${p.pass_mark}${p.full_mark ? ` / ${p.full_mark}` : ''} 分`);
  return marks.length ? marks.join('；') : '考核方式未规定合格线';
}

function outcomesText(cert) {
  if (!cert.outcomes.length) return '未公布';
  return cert.outcomes
    .map(
      (o) =>
        `${o.label}${o.year ? `（${o.year}）` : ''}：${o.value}${o.unit}（${o.source}，${o.date}）`,
    )
    .join('\n');
}

// Counted from the signed records this site publishes; DEMO records say so.
function issuedText(cert) {
  const r = cert.issued_records;
  if (!r?.total) return '本站尚无颁证记录';
  const years = {};
  for (const c of r.counts) years[c.year] = (years[c.year] || 0) + c.issued;
  const perYear = Object.keys(years)
    .sort()
    .map((y) => `${y}年 ${years[y]} 份`)
    .join('，');
  const revoked = r.revoked ? `，其中已撤销 ${r.revoked} 份` : '';
  return `${r.demo ? 'DEMO 演示数据：' : ''}共 ${r.total} 份（${perYear}${revoked}）`;
}

// The standing with the notice it follows from, as the certificate page explains it.
function statusText(cert) {
  const byKind = (kind) =>
    cert.notices.filter((n) => n.kind === kind).sort((a, b) => b.date.localeCompare(a.date))[0];
  const name = (n) => n.doc_number || `《${n.title}》`;
  const decision = cert.status === '已退出' ? byKind('退出') : byKind('确认');
  if ((cert.status === '已确认' || cert.status === '已退出') && decision) {
    return `${cert.status}（${name(decision)}，${decision.date}）`;
  }
  const announced = byKind('公示');
  if (announced && cert.status !== '未收录公告') {
    return `${cert.status}（${name(announced)}公示；本目录尚未收录确认通知）`;
  }
  return cert.status;
}

// Each row: a label and a function from a certificate to text; a link row gives [text, href].
const ROWS = [
  ['培训评价组织', (c) => [c.organization.name, c.organization.url]],
  ['试点批次', (c) => `第${'一二三四五六七八九十'[c.batch - 1] || c.batch}批`],
  ['领域', (c) => c.field.name],
  ['证书等级', (c) => join(c.levels.map((l) => l.level))],
  ['培训学时', (c) => perLevel(c, (l) => (l.training_hours ? `${l.training_hours} 学时` : null))],
  ['考核方式', examText],
  ['合格线', passMarks],
  ['考核成本上限', (c) => perLevel(c, (l) => money(l.cost_cap), '本目录未收录考核方式，无从计算')],
  [
    '公布的考核费用',
    (c) =>
      perLevel(
        c,
        (l) => (l.fee ? `${l.fee.amount} 元/人次（${l.fee.source}）` : null),
        '未公布',
        '未公布',
      ),
  ],
  ...EDU.map((edu) => [
    `衔接${edu === '本科' ? '（接续）本科' : edu}专业`,
    (c) => perLevel(c, (l) => (l.majors[edu]?.length ? l.majors[edu].join('、') : null)),
  ]),
  ['就业方向', (c) => perLevel(c, (l) => l.employment || null)],
  ['职业技能等级标准', (c) => (c.standard ? [c.standard.name, c.standard.url] : '本目录尚未收录')],
  ['状态', statusText],
  ['相关公告', (c) => join(c.notices.map((n) => n.doc_number || n.title))],
  ['使用情况', outcomesText],
  ['已颁发证书（本站记录）', issuedText],
];

function cell(tag, value) {
  const el = document.createElement(tag);
  if (Array.isArray(value)) {
    const a = document.createElement('a');
    a.textContent = value[0];
    a.href = new URL(`..${value[1]}`, API).pathname;
    el.append(a);
  } else {
    el.textContent = value;
  }
  return el;
}

function setSelection(ids) {
  chosen = clean(ids).filter((id) => all.has(id));
  save(chosen);
  const url = new URL(window.location.href);
  url.search = chosen.length ? `?c=${chosen.join(',')}` : '';
  history.replaceState(null, '', url);
  draw();
}

function draw() {
  wrap.replaceChildren();
  if (chosen.length < 2) {
    message.textContent =
      chosen.length === 0 ? '请添加 2 至 4 个证书进行对比。' : '再添加至少 1 个证书即可对比。';
  } else {
    message.textContent = `正在对比 ${chosen.length} 个证书；标出底色的行表示各证书不同。`;
  }
  if (!chosen.length) return;
  const certs = chosen.map((id) => all.get(id));
  const table = document.createElement('table');
  table.className = 'xcert-compare-table';
  const head = document.createElement('tr');
  head.append(cell('th', '项目'));
  for (const c of certs) {
    const th = cell('th', [c.short_name, c.url]);
    th.scope = 'col';
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'xcert-compare-remove';
    remove.textContent = '移除';
    remove.setAttribute('aria-label', `从对比中移除${c.short_name}`);
    remove.addEventListener('click', () => {
      setSelection(chosen.filter((x) => x !== c.id));
      input.focus(); // the button is gone with the old table: keep keyboard users in the picker
    });
    th.append(remove); // spaced by CSS: a space here would sit between two Chinese words
    head.append(th);
  }
  const thead = document.createElement('thead');
  thead.append(head);
  const tbody = document.createElement('tbody');
  for (const [name, pick] of ROWS) {
    const values = certs.map(pick);
    const texts = values.map((v) => (Array.isArray(v) ? v[0] : v));
    const differs = new Set(texts).size > 1;
    const tr = document.createElement('tr');
    if (differs) tr.className = 'xcert-diff';
    if (!differs && onlyDiff.checked && certs.length > 1) tr.hidden = true;
    const th = cell('th', name);
    th.scope = 'row';
    tr.append(th, ...values.map((v) => cell('td', v)));
    tbody.append(tr);
  }
  table.append(thead, tbody);
  wrap.append(table);
}

function add(text) {
  const wanted = text.trim();
  const match = [...all.values()].find(
    (c) => c.id === wanted || c.name === wanted || c.short_name === wanted,
  );
  if (!match) {
    message.textContent = `没有找到名为“${wanted}”的证书，请从提示中选择。`;
    return;
  }
  if (chosen.length >= MAX && !chosen.includes(match.id)) {
    message.textContent = `最多同时对比 ${MAX} 个证书，请先移除一个。`;
    return;
  }
  setSelection([...chosen, match.id]);
  input.value = '';
}

async function main() {
  const response = await fetch(API);
  const data = await response.json();
  all = new Map(data.certificates.map((c) => [c.id, c]));
  for (const c of data.certificates) {
    const option = document.createElement('option');
    option.value = c.name;
    option.label = c.organization.name;
    options.append(option);
  }
  root.querySelector('form').addEventListener('submit', (event) => {
    event.preventDefault();
    add(input.value);
  });
  onlyDiff.addEventListener('change', draw);
  const fromLink = fromUrl();
  setSelection(fromLink !== null ? fromLink : load());
  root.dataset.ready = 'true';
}

main().catch((error) => {
  message.textContent = `无法读取证书数据：${error.message}`;
});
