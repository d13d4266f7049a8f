// The finder: education level + major → certificates whose standards link to that major,
// with the certificate level. Reads the static /api/ JSON; the choice lives in the URL. Words
// that are not a major's name are matched against certificates, standards and fields instead.
import { matchQuery, normalise } from './finder-match.js';

const API = new URL('../api/majors.json', import.meta.url);
const CERTIFICATES = new URL('../api/certificates.json', import.meta.url);
const STANDARDS = new URL('../api/standards.json', import.meta.url);
const form = document.getElementById('xcert-finder');
const input = document.getElementById('xcert-finder-major');
const list = document.getElementById('xcert-finder-majors');
const out = document.getElementById('xcert-finder-results');

let majors = [];
let certificates = [];
let standards = [];

const site = (path) => new URL(`..${path}`, API).pathname;

function education() {
  return form.querySelector('input[name=edu]:checked').value;
}

function show() {
  const edu = education();
  const name = input.value.trim();
  out.replaceChildren();
  delete out.dataset.matched;
  const url = new URL(window.location.href);
  url.search = name
    ? `?edu=${encodeURIComponent(edu)}&major=${encodeURIComponent(name)}`
    : `?edu=${encodeURIComponent(edu)}`;
  history.replaceState(null, '', url);
  if (!name) return;
  const major = majors.find((m) => m.name === name || m.name === normalise(name));
  const p = document.createElement('p');
  if (!major) {
    showOtherMatches(name, p);
    return;
  }
  const links = major.links.filter((l) => l.education === edu);
  if (!links.length) {
    p.textContent = `目前还没有证书的标准把${edu}“${major.name}”专业列为衔接专业。`;
    const others = [...new Set(major.links.map((l) => l.education))];
    if (others.length) p.textContent += `（该专业在${others.join('、')}层次有衔接的证书。）`;
    out.append(p);
    return;
  }
  // One line per certificate, with every certificate level that links to this major.
  const byCertificate = new Map();
  for (const l of links) {
    const entry = byCertificate.get(l.certificate) || { ...l, levels: [] };
    entry.levels.push(l.level);
    byCertificate.set(l.certificate, entry);
  }
  p.textContent = `${edu}“${major.name}”专业可以考的证书（${byCertificate.size} 个）：`;
  const ul = document.createElement('ul');
  for (const entry of byCertificate.values()) {
    const li = document.createElement('li');
    li.dataset.certificate = entry.certificate;
    const a = document.createElement('a');
    a.href = site(entry.url);
    a.textContent = entry.certificate_name;
    li.append(a, `（衔接等级：${entry.levels.join('、')}）`);
    ul.append(li);
  }
  const more = document.createElement('a');
  more.href = site(major.url);
  more.textContent = `“${major.name}”专业页面`;
  out.append(p, ul, more);
}

function itemLink(kind, item) {
  const a = document.createElement('a');
  if (kind === 'major') {
    const url = new URL(window.location.href);
    url.search = `?edu=${encodeURIComponent(education())}&major=${encodeURIComponent(item.name)}`;
    a.href = url.pathname + url.search;
    a.addEventListener('click', (event) => {
      event.preventDefault();
      input.value = item.name;
      show();
    });
  } else {
    a.href = site(item.url);
  }
  a.textContent = item.name;
  return a;
}

// Not a major: say so, then say what the words did match, group by group.
function showOtherMatches(name, p) {
  const found = matchQuery(name, { majors, certificates, standards });
  out.dataset.matched = found.groups.map((g) => g.kind).join(' ');
  if (!found.groups.length) {
    p.textContent = `本目录收录的职业技能等级标准中没有名为“${name}”的专业，也没有名称或说明中含“${found.query}”的证书、标准或领域。请从提示列表中选择，或查看全部专业。`;
    const a = document.createElement('a');
    a.href = site('/majors/');
    a.textContent = '全部专业';
    out.append(p, a);
    return;
  }
  p.textContent = `本目录收录的职业技能等级标准中没有名为“${name}”的专业。与“${found.query}”有关的有：`;
  out.append(p);
  for (const group of found.groups) {
    const h = document.createElement('p');
    h.className = 'xcert-finder-group';
    h.textContent = `${group.label}（${group.items.length} 个）：`;
    const ul = document.createElement('ul');
    ul.dataset.kind = group.kind;
    for (const item of group.items) {
      const li = document.createElement('li');
      li.append(itemLink(group.kind, item));
      if (group.kind === 'certificate')
        li.append(`（${item.organization.name}，${item.field.name}）`);
      ul.append(li);
    }
    out.append(h, ul);
  }
}

function fillList() {
  const edu = education();
  list.replaceChildren();
  // Majors linked at the chosen level first, then the rest: every major stays findable.
  const ranked = [...majors].sort((a, b) => {
    const ah = a.links.some((l) => l.education === edu) ? 0 : 1;
    const bh = b.links.some((l) => l.education === edu) ? 0 : 1;
    return ah - bh || a.name.localeCompare(b.name, 'zh');
  });
  for (const m of ranked) {
    const option = document.createElement('option');
    option.value = m.name;
    list.append(option);
  }
}

async function main() {
  const [data, certs, stds] = await Promise.all(
    [API, CERTIFICATES, STANDARDS].map(async (url) => (await fetch(url)).json()),
  );
  majors = data.majors;
  certificates = certs.certificates;
  standards = stds.standards;
  const params = new URLSearchParams(window.location.search);
  const edu = params.get('edu');
  if (edu) {
    const radio = form.querySelector(`input[name=edu][value="${CSS.escape(edu)}"]`);
    if (radio) radio.checked = true;
  }
  input.value = params.get('major') || '';
  fillList();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    show();
  });
  for (const radio of form.querySelectorAll('input[name=edu]')) {
    radio.addEventListener('change', () => {
      fillList();
      show();
    });
  }
  input.addEventListener('change', show);
  show();
  form.dataset.ready = 'true';
}

main().catch((error) => {
  out.textContent = `无法读取专业数据：${error.message}`;
});
