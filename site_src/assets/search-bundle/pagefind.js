// The search engine the search page's Pagefind UI loads (its bundlePath points here): Pagefind's
// own module, with two rules of this site on top.
//
// 1. Every word of the query must occur. Pagefind quietly drops a query word that occurs nowhere
//    and answers with what the other words match, so "zzqqxx不存在" listed pages containing 不 and
//    钢琴调律 listed pages about 装调. Here a query word of two or more characters (as the browser
//    cuts the query into words, like Pagefind does) that matches no page empties the answer, and
//    the page says "没有找到". One-character words stay optional, as Pagefind treats them: 的, 和,
//    与 in a typed phrase should not empty the answer.
// 2. A page named by the query comes first: among the first results, the pages whose own name
//    contains every part of the query (kept in their `names` metadata, see
//    generator/render/name_index.py) move ahead of pages that only mention it, so
//    教职成〔2019〕6号 brings its notice before the notices that cite it.
// 3. Filter values in their natural order: 第一批 before 第二批, 初级 before 中级 before 高级
//    (Pagefind lists them by code point: 第一批, 第三批, 第二批, 第四批).
import * as pagefind from '../../pagefind/pagefind.js';

// The filters in the order a visitor meets the ideas, and the values whose order is not the
// alphabet's. Other values are listed in pinyin order.
const FILTER_ORDER = [
  '类型',
  '批次',
  '领域',
  '等级',
  '培训评价组织',
  '公告类型',
  '公示状态',
  '专业',
];
const VALUE_ORDER = {
  类型: ['证书', '培训评价组织', '职业技能等级标准', '公告', '领域', '专业', '目录'],
  批次: ['第一批', '第二批', '第三批', '第四批', '第五批', '第六批'],
  等级: ['初级', '中级', '高级'],
  公示状态: ['即将公示', '公示中', '已结束'],
};
const PINYIN = new Intl.Collator('zh-Hans-u-co-pinyin');

function rank(order, value) {
  const i = order.indexOf(value);
  return i < 0 ? order.length : i;
}

function orderValues(name, values) {
  const order = VALUE_ORDER[name] ?? [];
  const keys = Object.keys(values).sort(
    (a, b) => rank(order, a) - rank(order, b) || PINYIN.compare(a, b),
  );
  return Object.fromEntries(keys.map((k) => [k, values[k]]));
}

/** Filters (name → value → count) with names and values in natural order. */
export function orderFilters(filters) {
  if (!filters || typeof filters !== 'object') return filters;
  const names = Object.keys(filters).sort(
    (a, b) => rank(FILTER_ORDER, a) - rank(FILTER_ORDER, b) || PINYIN.compare(a, b),
  );
  return Object.fromEntries(names.map((n) => [n, orderValues(n, filters[n])]));
}

const SEGMENTER = new Intl.Segmenter('zh', { granularity: 'word' });
const PUNCTUATION = /[\p{P}\p{S}]/gu;

/** The query's words as the browser's segmenter cuts them (what Pagefind searches for). */
export function queryWords(term) {
  return [...SEGMENTER.segment(term ?? '')]
    .filter((s) => s.isWordLike)
    .map((s) => s.segment.replace(PUNCTUATION, '').toLocaleLowerCase())
    .filter((w) => w.length > 0);
}

/** The words of two or more characters that occur on no page. */
export async function missingWords(term) {
  const words = [...new Set(queryWords(term))];
  if (words.length < 2) return []; // Pagefind already answers nothing for one missing word
  const missing = [];
  for (const word of words.filter((w) => [...w].length >= 2)) {
    const alone = await pagefind.search(word);
    if (!alone || alone.unfilteredResultCount === 0) missing.push(word);
  }
  return missing;
}

// How many of the first results are looked at for rule 2 (each costs one small fragment fetch,
// which Pagefind caches; the search page shows the first five).
const PROMOTE_WINDOW = 20;

/** The query's runs of letters, digits and Chinese characters (as the name index cuts names). */
function queryRuns(term) {
  return (term ?? '').toLocaleLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

async function namedFirst(term, results) {
  const runs = queryRuns(term);
  if (!runs.length || results.length < 2) return results;
  const head = results.slice(0, PROMOTE_WINDOW);
  const named = await Promise.all(
    head.map(async (r) => {
      const names = ((await r.data()).meta?.names ?? '').split(' ');
      return runs.every((run) => names.some((n) => n.startsWith(run)));
    }),
  );
  const first = head.filter((_, i) => named[i]);
  const rest = head.filter((_, i) => !named[i]);
  return [...first, ...rest, ...results.slice(PROMOTE_WINDOW)];
}

/** The site's rules applied to one of Pagefind's answers. */
async function applyRules(term, result) {
  if (!result) return result; // a preload, or a debounced search overtaken by a newer one
  if (term !== null && result.results.length > 0 && (await missingWords(term)).length > 0) {
    result.results = [];
    result.unfilteredResultCount = 0;
    for (const values of Object.values(result.filters ?? {})) {
      for (const value of Object.keys(values)) values[value] = 0;
    }
  }
  if (term !== null) result.results = await namedFirst(term, result.results);
  result.filters = orderFilters(result.filters);
  result.totalFilters = orderFilters(result.totalFilters);
  return result;
}

export async function search(term, options) {
  return applyRules(term, await pagefind.search(term, options));
}

export async function debouncedSearch(term, options, timeout) {
  return applyRules(term, await pagefind.debouncedSearch(term, options, timeout));
}

export async function filters() {
  return orderFilters(await pagefind.filters());
}

export const { options, init, destroy, preload, mergeIndex, createInstance } = pagefind;
