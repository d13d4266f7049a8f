// Snippets of search results as clean Chinese.
//
// Pagefind builds an excerpt from the page text by counting words, and joins the text of
// consecutive block elements with ". " (an English full stop). With Chinese that gives
// "老年照护职业技能等级证书. 已确认2019年4": a Latin full stop, table cells run together with
// spaces, and a cut in the middle of a date. Here the joins become Chinese punctuation, and a cut
// end is moved back to the nearest punctuation and marked with "…". The excerpt's <mark>s (the
// matched words) are kept.

const HAN = /\p{Script=Han}/u;
// Where a sentence or clause may end, so a snippet may start after it or end with it.
const STOPS = new Set([...'。！？；，、：）」』》”']);
const OPENERS = new Set([...'（「『《“']);
// Trim a cut end back to punctuation only if that keeps most of the snippet.
const KEEP = 0.5;

/** The excerpt's text as characters, each knowing whether it is inside a <mark>. */
function parse(html) {
  const chars = [];
  const box = document.createElement('template');
  box.innerHTML = html;
  for (const node of box.content.childNodes) {
    const marked = node.nodeName === 'MARK';
    for (const ch of node.textContent ?? '') chars.push({ ch, marked });
  }
  return chars;
}

function render(chars) {
  let html = '';
  let open = false;
  const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  for (const { ch, marked } of chars) {
    if (marked !== open) {
      html += marked ? '<mark>' : '</mark>';
      open = marked;
    }
    html += escapeHtml(ch);
  }
  return open ? `${html}</mark>` : html;
}

const isHan = (c) => c !== undefined && HAN.test(c.ch);
const isCjkEdge = (c) =>
  c !== undefined && (HAN.test(c.ch) || STOPS.has(c.ch) || OPENERS.has(c.ch) || /\d/.test(c.ch));

/** Pagefind's ". " joins and the spaces between Chinese cells, as Chinese punctuation. */
function punctuate(chars) {
  const out = [];
  for (let i = 0; i < chars.length; i += 1) {
    const c = chars[i];
    const prev = out[out.length - 1];
    // A join at the very start (the excerpt begins with the next block) is dropped.
    const join = c.ch === '.' && (chars[i + 1]?.ch === ' ' || i + 1 === chars.length);
    if (join && (prev === undefined || isCjkEdge(prev))) {
      if (prev && !STOPS.has(prev.ch)) out.push({ ch: '。', marked: false });
      i += 1; // the space after the full stop
      while (chars[i + 1]?.ch === ' ') i += 1;
      continue;
    }
    if (c.ch === ' ' && prev && STOPS.has(prev.ch)) continue; // "。 试点" → "。试点"
    if (c.ch === ' ' && isHan(prev)) {
      let j = i;
      while (chars[j + 1]?.ch === ' ') j += 1;
      if (isHan(chars[j + 1])) {
        out.push({ ch: '，', marked: false });
        i = j;
        continue;
      }
    }
    out.push(c);
  }
  return out;
}

/** Move cut ends back to punctuation, keeping every marked character. */
function trimCuts(chars, cutStart, cutEnd) {
  let start = 0;
  let end = chars.length;
  const firstMark = chars.findIndex((c) => c.marked);
  const lastMark = chars.length - 1 - [...chars].reverse().findIndex((c) => c.marked);
  if (cutEnd && !STOPS.has(chars[end - 1]?.ch)) {
    for (let i = end - 1; i > 0; i -= 1) {
      if (STOPS.has(chars[i].ch) && chars[i].ch !== '）') {
        if (i >= chars.length * KEEP && (firstMark < 0 || i >= lastMark)) end = i;
        break;
      }
    }
  }
  if (cutStart) {
    for (let i = 0; i < end; i += 1) {
      if ('。！？；，'.includes(chars[i].ch)) {
        if (i < (end - start) * (1 - KEEP) && (firstMark < 0 || i < firstMark)) start = i + 1;
        break;
      }
    }
  }
  let kept = chars.slice(start, end);
  while (kept.length && STOPS.has(kept[0].ch)) kept = kept.slice(1);
  const tail = kept[kept.length - 1];
  if (cutEnd && tail && ['，', '、', '：', '；'].includes(tail.ch)) kept = kept.slice(0, -1);
  const ellipsis = { ch: '…', marked: false };
  return [
    ...(cutStart ? [ellipsis] : []),
    ...kept,
    ...(cutEnd && !STOPS.has(kept[kept.length - 1]?.ch) ? [ellipsis] : []),
  ];
}

/** The page text as Pagefind returns it, without its segment marks. */
function plain(text) {
  return (text ?? '').replace(/\u200B/g, '').replace(/\s+/g, ' ');
}

// How far a cut end may be moved out to the nearest punctuation in the page text.
const REACH = 16;

/** The page text just before `start` and just after `end`, out to the nearest punctuation. */
function widen(page, start, end) {
  const before = page.slice(Math.max(0, start - REACH), start);
  let from = -1;
  for (let i = before.length - 1; i >= 0; i -= 1) {
    if (STOPS.has(before[i]) || (before[i] === '.' && before[i + 1] === ' ')) {
      from = i + 1;
      break;
    }
  }
  const head = from >= 0 ? before.slice(from).trimStart() : start - REACH <= 0 ? before : '';
  const after = page.slice(end, end + REACH);
  let tail = '';
  for (let i = 0; i < after.length; i += 1) {
    if (STOPS.has(after[i]) && !OPENERS.has(after[i])) {
      tail = after.slice(0, i + 1);
      break;
    }
    if (after[i] === '.' && (after[i + 1] === ' ' || i + 1 === after.length)) {
      tail = `${after.slice(0, i)}. `;
      break;
    }
  }
  return [head, tail];
}

const unmarked = (text) => [...text].map((ch) => ({ ch, marked: false }));

/**
 * A clean snippet from one of Pagefind's excerpts. `content` is the page's whole text (the
 * result's `content`): an excerpt that starts or ends inside it was cut there, and is widened to
 * the nearest punctuation, or else trimmed back to it.
 */
export function cleanExcerpt(excerpt, content) {
  if (!excerpt) return excerpt;
  let chars = parse(excerpt);
  chars = chars.filter((c, i) => !(/\s/.test(c.ch) && /\s/.test(chars[i - 1]?.ch ?? 'x')));
  const text = chars.map((c) => c.ch).join('');
  const page = plain(content);
  const at = text ? page.indexOf(text) : -1;
  let cutStart = true;
  let cutEnd = true;
  if (at >= 0) {
    const [head, tail] = widen(page, at, at + text.length);
    chars = [...unmarked(head), ...chars, ...unmarked(tail)];
    cutStart = at - head.length > 0;
    cutEnd = at + text.length + tail.length < page.trimEnd().length;
  }
  chars = punctuate(chars);
  while (chars.length && chars[chars.length - 1].ch === ' ') chars.pop();
  return render(trimCuts(chars, cutStart, cutEnd));
}

/** Pagefind UI's processResult: clean snippets, and no internal fields shown as metadata. */
// A new object: Pagefind caches the one it gives, and the engine still reads its `names`.
export function processResult(result) {
  const meta = Object.fromEntries(Object.entries(result.meta ?? {}).filter(([k]) => k !== 'names'));
  return {
    ...result,
    meta,
    excerpt: cleanExcerpt(result.excerpt, result.content),
    sub_results: (result.sub_results ?? []).map((sub) => ({
      ...sub,
      excerpt: cleanExcerpt(sub.excerpt, result.content),
    })),
  };
}
