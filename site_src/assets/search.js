// The search page: Pagefind's UI (each result shows its 类型 from the page metadata), with the
// query taken from ?q= so the header box and shared links land on results. The UI loads its
// engine from search-bundle/ (Pagefind with this site's rules: every word must occur, filters in
// natural order) and shows snippets cleaned by search-snippet.js.
import { processResult } from './search-snippet.js';

// How the search page ranks: short pages (a notice found by its 文号) should not sink below long
// ones. benchmarks/search_recall.py and the browser tests search with the same options.
export const SEARCH_OPTIONS = { ranking: { pageLength: 0.3 }, excerptLength: 30 };

const ui = new window.PagefindUI({
  element: '#xcert-search',
  showSubResults: true,
  showImages: false,
  ...SEARCH_OPTIONS,
  bundlePath: new URL('./search-bundle/', import.meta.url).pathname,
  // Pagefind's own Chinese strings put spaces around the query ("找到 3 个 华为 的相关结果"):
  // quote it instead, as the rest of the site does.
  translations: {
    placeholder: '搜索证书、组织、标准、公告',
    zero_results: '没有找到与“[SEARCH_TERM]”相关的结果',
    many_results: '找到 [COUNT] 个与“[SEARCH_TERM]”相关的结果',
    one_result: '找到 1 个与“[SEARCH_TERM]”相关的结果',
    alt_search: '没有找到与“[SEARCH_TERM]”相关的结果，改为显示与“[DIFFERENT_TERM]”相关的结果',
    search_suggestion: '没有找到与“[SEARCH_TERM]”相关的结果，请换个词试试。',
    searching: '正在搜索“[SEARCH_TERM]”……',
  },
  processTerm(term) {
    return term.trim();
  },
  processResult,
});

// Pagefind names its input only by a title, which screen readers may skip: give it a label.
document
  .querySelector('#xcert-search .pagefind-ui__search-input')
  ?.setAttribute('aria-label', '搜索证书、组织、标准、公告');

// On a phone the filters fold into one "筛选" button, so the first results fit on the first
// screen; the button says how many filters are chosen.
const root = document.getElementById('xcert-search');
const toggle = document.getElementById('xcert-search-filters');
if (root && toggle) {
  toggle.hidden = false;
  const label = () => {
    const chosen = root.querySelectorAll('input.pagefind-ui__filter-checkbox:checked').length;
    toggle.textContent = chosen ? `筛选（已选 ${chosen} 项）` : '筛选';
  };
  toggle.addEventListener('click', () => {
    const open = root.classList.toggle('xcert-search--filters-open');
    toggle.setAttribute('aria-expanded', String(open));
  });
  root.addEventListener('change', label);
  label();
}

// Pagefind writes each result's tag as "类型: 公告" with an ASCII colon; the rest of the site
// uses the Chinese one. The colon is a text node of its own that Pagefind never rewrites.
if (root) {
  const chineseColons = () => {
    for (const node of root.querySelectorAll('.pagefind-ui__result-tag')) {
      for (const part of node.childNodes) {
        if (part.nodeType === Node.TEXT_NODE && part.data === ': ') part.data = '：';
      }
    }
  };
  new MutationObserver(chineseColons).observe(root, { childList: true, subtree: true });
}

const query = new URLSearchParams(window.location.search).get('q');
if (query) {
  ui.triggerSearch(query);
}

export { ui };
